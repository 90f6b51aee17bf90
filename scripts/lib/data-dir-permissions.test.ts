import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveAppLocations } from "./app-env";

/** DATA_DIR holds source files with BSNs, the database and the secrets: only the owner may read it. */
const mode = (p: string) => statSync(p).mode & 0o777;
const before = process.umask();
afterEach(() => {
  process.umask(before);
});

describe("DATA_DIR permissions", () => {
  it("an existing world-readable data directory becomes 0700 with its files 0600; new files are 0600 too", () => {
    process.umask(0o022);
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "tw-perm-")), "data");
    mkdirSync(path.join(dataDir, "source"), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, "source", "personen.csv"), "bsn\n123456782\n", { mode: 0o644 });
    writeFileSync(path.join(dataDir, "trajectwijzer.db"), "", { mode: 0o644 });
    resolveAppLocations({ DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "source"))).toBe(0o700);
    expect(mode(path.join(dataDir, "source", "personen.csv"))).toBe(0o600);
    expect(mode(path.join(dataDir, "trajectwijzer.db"))).toBe(0o600);
    expect(mode(path.join(dataDir, ".env"))).toBe(0o600);
    // What the start and the CLIs write afterwards (linked tables, models, the database's journal).
    mkdirSync(path.join(dataDir, "linked"));
    writeFileSync(path.join(dataDir, "linked", "analysis.csv"), "x\n");
    expect(mode(path.join(dataDir, "linked"))).toBe(0o700);
    expect(mode(path.join(dataDir, "linked", "analysis.csv"))).toBe(0o600);
  });

  it("a fresh data directory is created 0700", () => {
    process.umask(0o022);
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "tw-perm-")), "fresh", "data");
    resolveAppLocations({ DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, ".env"))).toBe(0o600);
  });
});
