import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";

/**
 * A fresh, migrated SQLite database for one test file: the real schema through the real migrations.
 * Sets the env the app reads, so app/ modules use it through getDb().
 */
export async function useTestDatabase(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "tw-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const client = createClient({ url });
  const migrations = path.resolve("prisma/migrations");
  for (const name of readdirSync(migrations).filter((n) => !n.endsWith(".toml")).sort()) {
    await client.executeMultiple(readFileSync(path.join(migrations, name, "migration.sql"), "utf8"));
  }
  client.close();
  process.env.DATABASE_URL = url;
  process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";
  process.env.PSEUDONYM_KEY ??= "test-pseudonym-key-0123456789abcdef";
  return url;
}
