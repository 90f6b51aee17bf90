import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, PORT: "3998", ...env },
    encoding: "utf8",
    timeout: 180_000,
  });
}

describe("npm start refuses a broken installation with a clear message", () => {
  it("a corrupt database file: names the file and what to do, exit 1, no stack trace", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tw-start-"));
    writeFileSync(path.join(dir, "trajectwijzer.db"), "not a database ".repeat(100));
    const result = start({ DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "trajectwijzer.db")}` });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/start: error: de database .*trajectwijzer\.db is beschadigd of geen SQLite-bestand/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("an active model whose directory is gone: says so, exit 1", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tw-start-"));
    const url = `file:${path.join(dir, "trajectwijzer.db")}`;
    // Migrated the way start itself migrates, so its own `migrate deploy` finds nothing to do.
    const migrate = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
    });
    expect(migrate.status).toBe(0);
    const client = createClient({ url });
    await client.execute(
      "INSERT INTO ModelVersion (id, dir, status, metricsJson, activatedAt) VALUES ('reintegration-x', '/nonexistent/models/reintegration-x', 'active', '{}', CURRENT_TIMESTAMP)",
    );
    client.close();
    const result = start({ DATA_DIR: dir, DATABASE_URL: url });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the active model reintegration-x is missing");
  });
});
