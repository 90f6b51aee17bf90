import { cp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { writeBundleFile } from "../../model/bundle/bundle.js";
import { clientFrom, makeTinyBundle, writeDisclosureVerdict } from "../fixtures/tiny-bundle.js";

/**
 * The app serves a bundle only with a passing disclosure report that covers its files: the active
 * model comes from the registry (mocked here), the predictor answers 503 with a plain message otherwise.
 */
const active = vi.hoisted(() => ({ current: null as { id: string; dir: string; activatedAt: Date } | null }));
vi.mock("~/models/model-version.server", () => ({ getActiveModelVersion: async () => active.current }));

const { recommendForClient } = await import("~/utils/registry/predictor.server");

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let checkedDir: string;
let failedDir: string;

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 700, seed: 61 });
  checkedDir = join(fixture.root, "checked");
  failedDir = join(fixture.root, "failed");
  await cp(fixture.dir, checkedDir, { recursive: true });
  await cp(fixture.dir, failedDir, { recursive: true });
  await writeDisclosureVerdict(checkedDir, fixture.tiny.rows, { passed: true });
  await writeDisclosureVerdict(failedDir, fixture.tiny.rows, { passed: false, reasons: ["loss attack: advantage 0.090 exceeds 0.05"] });
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

async function refusal(id: string, dir: string): Promise<{ response: Response; logged: string }> {
  const logged: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(String(args[0]));
  });
  active.current = { id, dir, activatedAt: new Date() };
  try {
    await recommendForClient(clientFrom(fixture.tiny));
  } catch (error) {
    if (error instanceof Response) return { response: error, logged: logged.join("\n") };
    throw error;
  } finally {
    spy.mockRestore();
  }
  throw new Error("expected a refusal");
}

describe("predictor disclosure gate", () => {
  it("serves a bundle with a passing report", async () => {
    active.current = { id: "passing", dir: checkedDir, activatedAt: new Date() };
    const result = await recommendForClient(clientFrom(fixture.tiny));
    expect(result?.arms.length).toBeGreaterThan(0);
  });

  it("refuses a bundle without a report with a 503 and a plain message", async () => {
    const { response, logged } = await refusal("unchecked", fixture.dir);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toMatch(/onthullingscontrole ontbreekt of is niet geslaagd/);
    expect(text).not.toContain(fixture.root);
    expect(logged).toMatch(/has no disclosure report/);
  });

  it("refuses a bundle whose report did not pass", async () => {
    const { response, logged } = await refusal("failed", failedDir);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/onthullingscontrole/);
    expect(logged).toMatch(/did not pass/);
  });

  it("refuses a bundle changed after its check", async () => {
    const dir = join(fixture.root, "changed");
    await cp(checkedDir, dir, { recursive: true });
    await writeBundleFile(dir, "metrics.json", `${await readFile(join(dir, "metrics.json"), "utf8")} `);
    const { response, logged } = await refusal("changed", dir);
    expect(response.status).toBe(503);
    expect(logged).toMatch(/files changed after the disclosure check/);
  });
});
