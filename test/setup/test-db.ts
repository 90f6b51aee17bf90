import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";

/**
 * A fresh, migrated database for one test file: the real schema through the real migrations.
 * Sets the env the app reads, so app/ modules use it through getDb().
 * SQLite by default; with TEST_DATABASE=postgres a new PostgreSQL database on TEST_POSTGRES_URL
 * (`npm run test:db:postgres`, README "PostgreSQL (multi-instance)").
 */
export async function useTestDatabase(): Promise<string> {
  const url = process.env.TEST_DATABASE === "postgres" ? await createPostgresDatabase() : await createSqliteDatabase();
  process.env.DATABASE_URL = url;
  process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";
  process.env.PSEUDONYM_KEY ??= "test-pseudonym-key-0123456789abcdef";
  return url;
}

function migrationScripts(dir: string): string[] {
  const migrations = path.resolve(dir);
  return readdirSync(migrations)
    .filter((n) => !n.endsWith(".toml"))
    .sort()
    .map((name) => readFileSync(path.join(migrations, name, "migration.sql"), "utf8"));
}

async function createSqliteDatabase(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "tw-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const client = createClient({ url });
  for (const sql of migrationScripts("prisma/migrations")) await client.executeMultiple(sql);
  client.close();
  return url;
}

export const DEFAULT_TEST_POSTGRES_URL = "postgresql://postgres:postgres@localhost:5432/postgres";
const TEST_DB_PREFIX = "tw_test_";

async function createPostgresDatabase(): Promise<string> {
  const url = await createEmptyPostgresDatabase();
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of migrationScripts("prisma/postgresql/migrations")) await client.query(sql);
  } finally {
    await client.end();
  }
  return url;
}

/** A new, empty database on TEST_POSTGRES_URL (named tw_test_<time>_<random>); test databases over an hour old are dropped first. */
export async function createEmptyPostgresDatabase(): Promise<string> {
  const { default: pg } = await import("pg");
  const base = process.env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  const name = `${TEST_DB_PREFIX}${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const old = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${TEST_DB_PREFIX}%`]);
    for (const { datname } of old.rows) {
      const time = Number(datname.slice(TEST_DB_PREFIX.length).split("_")[0]);
      if (Number.isFinite(time) && Date.now() - time > 3_600_000) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(base);
  target.pathname = `/${name}`;
  return target.toString();
}
