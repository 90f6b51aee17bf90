import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, diffMigration, PG_CONFIG, PG_LOCK, PG_LOCK_TEXT, PG_MIGRATION, PG_SCHEMA, SOURCE_SCHEMA } from "../../scripts/prisma-postgres";
import { createEmptyPostgresDatabase } from "../setup/test-db";

// prisma/schema.prisma is the one source of truth; the PostgreSQL files beside it are derived and committed.
// When one of these fails: `npm run db:postgres:generate` (with a PostgreSQL running) and commit prisma/postgresql/.
describe("derived PostgreSQL schema and migration", () => {
  it("prisma/postgresql/schema.prisma is derived from the current prisma/schema.prisma", () => {
    expect(readFileSync(PG_SCHEMA, "utf8")).toBe(derivePostgresSchema(readFileSync(SOURCE_SCHEMA, "utf8")));
    expect(readFileSync(PG_LOCK, "utf8")).toBe(PG_LOCK_TEXT);
  });

  it("keeps the models and only swaps the datasource and the client output", () => {
    const derived = derivePostgresSchema(readFileSync(SOURCE_SCHEMA, "utf8"));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output     = "../../app/generated/prisma-pg"');
    expect(derived).not.toContain("sqlite");
    const models = (text: string) => text.slice(text.indexOf("\nmodel "));
    expect(models(derived)).toBe(models(readFileSync(SOURCE_SCHEMA, "utf8")));
  });

  // `migrate deploy` as npm start runs it (through the adapter shim in prisma/postgresql/prisma.config.ts).
  it.skipIf(process.env.TEST_DATABASE !== "postgres")("prisma migrate deploy applies the init migration to an empty database", async () => {
    const url = await createEmptyPostgresDatabase();
    const args = ["node_modules/prisma/build/index.js", "migrate", "deploy", "--config", PG_CONFIG];
    const output = execFileSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
    expect(output).toContain("All migrations have been successfully applied");
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const applied = await client.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL");
      expect(applied.rows.map((r) => r.migration_name)).toEqual(["0001_init"]);
      expect((await client.query('SELECT count(*) FROM "Client"')).rows).toEqual([{ count: "0" }]);
    } finally {
      await client.end();
    }
  });

  // `migrate diff` connects to a PostgreSQL (JS schema engine), so this runs in `npm run test:db:postgres`.
  it.skipIf(process.env.TEST_DATABASE !== "postgres")("the one init migration is prisma migrate diff of the derived schema", () => {
    expect(readFileSync(PG_MIGRATION, "utf8")).toBe(diffMigration(PG_SCHEMA));
  });
});

describe("DATABASE_URL picks the database", () => {
  const secrets = { SESSION_SECRET: "s".repeat(32), PSEUDONYM_KEY: "p".repeat(32) };

  it("accepts SQLite and PostgreSQL URLs, and nothing else", async () => {
    const { parseEnv } = await import("~/utils/env.server");
    for (const url of ["file:/tmp/x.db", "postgresql://tw:pw@db.internal:5432/trajectwijzer", "postgres://tw@localhost/tw?host=/var/run/postgresql"]) {
      expect(parseEnv({ ...secrets, DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
    expect(() => parseEnv({ ...secrets, DATABASE_URL: "mysql://tw@localhost/tw" })).toThrow(/DATABASE_URL/);
  });

  it("postgres:// and postgresql:// go to PostgreSQL, file: and libsql: to SQLite", async () => {
    const { isPostgresUrl } = await import("~/utils/db.server");
    expect(["postgres://a@b/c", "postgresql://a@b/c"].map(isPostgresUrl)).toEqual([true, true]);
    expect(["file:./x.db", "libsql://x.turso.io", "postgresql:relative"].map(isPostgresUrl)).toEqual([false, false, false]);
  });
});
