import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveAppLocations } from "./app-env";

/** The one resolution of DATA_DIR, DATABASE_URL, MODEL_DIR and the secrets that npm start and the operations CLIs share. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tw-app-env-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resolveAppLocations", () => {
  it("derives the database and the model folder from DATA_DIR, and keeps the secrets it makes", async () => {
    const dataDir = path.join(dir, "fresh");
    const first = resolveAppLocations({ DATA_DIR: dataDir, DATABASE_URL: "", MODEL_DIR: undefined });
    expect(first.databaseUrl).toBe(`file:${path.join(dataDir, "trajectwijzer.db")}`);
    expect(first.modelDir).toBe(path.join(dataDir, "models"));
    expect(first.env.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(first.env.PSEUDONYM_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(first.env.PSEUDONYM_KEY).not.toBe(first.env.SESSION_SECRET);
    expect((await stat(path.join(dataDir, ".env"))).mode & 0o777).toBe(0o600);
    // A second start, a CLI: the same secrets (a new PSEUDONYM_KEY would make every client someone else).
    const second = resolveAppLocations({ DATA_DIR: dataDir });
    expect(second.env).toEqual(first.env);
    expect(await readFile(path.join(dataDir, ".env"), "utf8")).toContain(`PSEUDONYM_KEY=${first.env.PSEUDONYM_KEY}`);
  });

  it("an explicit DATABASE_URL and MODEL_DIR win over the ones derived from DATA_DIR", () => {
    const dataDir = path.join(dir, "explicit");
    const url = "postgresql://tw@db.internal:5432/tw";
    const explicit = resolveAppLocations({ DATA_DIR: dataDir, DATABASE_URL: url, MODEL_DIR: "/srv/models" });
    expect(explicit).toMatchObject({ dataDir, databaseUrl: url, modelDir: "/srv/models" });
    expect(explicit.env).toMatchObject({ DATABASE_URL: url, MODEL_DIR: "/srv/models", DATA_DIR: dataDir });
  });
});
