import { existsSync } from "node:fs";
import { createClient } from "@libsql/client";

/**
 * Before migrating: a SQLite file that is not a database (or is damaged) stops the start with a
 * message that says which file and what to do, instead of an engine error halfway through.
 */
export async function checkSqliteFile(databaseUrl: string): Promise<void> {
  if (!databaseUrl.startsWith("file:")) return;
  const file = databaseUrl.slice("file:".length);
  if (!existsSync(file)) return;
  const client = createClient({ url: databaseUrl });
  try {
    const result = await client.execute("PRAGMA quick_check");
    const verdict = String(result.rows[0]?.[0] ?? "");
    if (verdict !== "ok") throw new Error(verdict || "quick_check gave no answer");
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(
      `de database ${file} is beschadigd of geen SQLite-bestand (${reason}). Zet een back-up terug, of verwijder het bestand zodat een nieuwe demo-database wordt gemaakt.`,
    );
  } finally {
    client.close();
  }
}
