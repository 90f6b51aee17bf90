import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/**
 * The model import takes a path typed in the browser, relative to MODEL_DIR/import. Its answer must
 * not tell whether something exists outside that folder: "outside" either way.
 */
let registry: typeof import("~/utils/registry/model-registry.server");
let base = "";
let userId = "";

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), "tw-import-"));
  process.env.MODEL_DIR = path.join(base, "models");
  mkdirSync(path.join(base, "models", "import", "present"), { recursive: true });
  mkdirSync(path.join(base, "secret-project"), { recursive: true });
  await useTestDatabase();
  const db = (await import("~/utils/db.server")).getDb();
  userId = (await db.user.create({ data: { username: "ds-import", displayName: "DS", role: "datascientist", passwordHash: "x" } })).id;
  registry = await import("~/utils/registry/model-registry.server");
});

const codeOf = async (source: string) => {
  const result = await registry.importBundle({ source, createdById: userId });
  return result.ok ? "ok" : result.code;
};

describe("the model import path check", () => {
  it("answers 'outside' alike for an existing and a missing path outside the import folder", async () => {
    for (const source of ["../../secret-project", "../../no-such-project", path.join(base, "secret-project"), path.join(base, "no-such-project"), "/etc", "/no-such-dir"]) {
      expect(await codeOf(source), source).toBe("outside");
    }
  });

  it("inside the import folder: a missing directory is 'not found', an existing one is read", async () => {
    expect(await codeOf("absent")).toBe("not_found");
    expect(await codeOf("present")).not.toBe("outside");
    expect(await codeOf("present")).not.toBe("not_found");
  });
});
