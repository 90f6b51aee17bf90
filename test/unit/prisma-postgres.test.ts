import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, diffMigration, PG_CONFIG, PG_LOCK, PG_LOCK_TEXT, PG_MIGRATIONS, PG_SCHEMA, SOURCE_SCHEMA } from "../../scripts/prisma-postgres";
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
  it.skipIf(process.env.TEST_DATABASE !== "postgres")("prisma migrate deploy applies every migration to an empty database", async () => {
    const url = await createEmptyPostgresDatabase();
    const args = ["node_modules/prisma/build/index.js", "migrate", "deploy", "--config", PG_CONFIG];
    const output = execFileSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
    expect(output).toContain("All migrations have been successfully applied");
    const client = await pgClient(url);
    try {
      const applied = await client.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name");
      expect(applied.rows.map((r) => r.migration_name)).toEqual(migrationNames(PG_MIGRATIONS));
      expect((await client.query('SELECT count(*) FROM "Client"')).rows).toEqual([{ count: "0" }]);
    } finally {
      await client.end();
    }
  });

  // Migrations are incremental; together they must build what the current schema describes.
  // `migrate diff` connects to a PostgreSQL (JS schema engine), so this runs in `npm run test:db:postgres`.
  it.skipIf(process.env.TEST_DATABASE !== "postgres")("all migrations together build what migrate diff of the derived schema builds", async () => {
    const fromMigrations = await createEmptyPostgresDatabase();
    const fromSchema = await createEmptyPostgresDatabase();
    const migrations = migrationNames(PG_MIGRATIONS).map((name) => readFileSync(path.join(PG_MIGRATIONS, name, "migration.sql"), "utf8"));
    expect(await postgresStructure(fromMigrations, migrations)).toEqual(await postgresStructure(fromSchema, [diffMigration(PG_SCHEMA)]));
  });
});

describe("SQLite migrations", () => {
  it("all migrations together build what migrate diff of prisma/schema.prisma builds", async () => {
    const args = ["node_modules/prisma/build/index.js", "migrate", "diff", "--from-empty", "--to-schema-datamodel", SOURCE_SCHEMA, "--script"];
    // The JS schema engine opens the adapter's database even to diff from empty: give it a throw-away file.
    const scratch = `file:${path.join(mkdtempSync(path.join(tmpdir(), "tw-diff-")), "diff.db")}`;
    const env = { ...process.env, DATABASE_URL: scratch };
    const fromSchema = execFileSync(process.execPath, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
    const migrations = migrationNames("prisma/migrations").map((name) => readFileSync(path.join("prisma/migrations", name, "migration.sql"), "utf8"));
    expect(await sqliteStructure(migrations)).toEqual(await sqliteStructure([fromSchema]));
  });
});

function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function pgClient(url: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Tables, columns (type, nullability, default), indexes and constraints of a database built by `scripts`. */
async function postgresStructure(url: string, scripts: string[]): Promise<unknown> {
  const client = await pgClient(url);
  try {
    for (const sql of scripts) await client.query(sql);
    const columns = await client.query(
      "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
    );
    const indexes = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
    const constraints = await client.query(
      "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY conname",
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  } finally {
    await client.end();
  }
}

async function sqliteStructure(scripts: string[]): Promise<unknown> {
  const { createClient } = await import("@libsql/client");
  const dir = mkdtempSync(path.join(tmpdir(), "tw-migrations-"));
  const client = createClient({ url: `file:${path.join(dir, "structure.db")}` });
  try {
    for (const sql of scripts) await client.executeMultiple(sql);
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    const structure: Record<string, unknown> = {};
    for (const { name } of tables.rows) {
      const table = String(name);
      const columns = await client.execute(`PRAGMA table_info("${table}")`);
      const indexes = await client.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' ORDER BY name`);
      const keys = await client.execute(`PRAGMA foreign_key_list("${table}")`);
      structure[table] = { columns: columns.rows.map((r) => ({ ...r })), indexes: indexes.rows.map((r) => ({ ...r })), keys: keys.rows.map((r) => ({ ...r })) };
    }
    return structure;
  } finally {
    client.close();
  }
}

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
