import { createHash } from "node:crypto";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { disposeBundle, loadBundle, verifyBundle, writeBundleFile } from "../bundle/bundle.js";
import { BundleError } from "../errors.js";
import { DISCLOSURE_REPORT_FILE } from "./disclosure-check.js";
import { DisclosureError, DisclosureReportSchema, requireDisclosurePass, runDisclosureCheck } from "./disclosure-report.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let checked: string;
const hash = (text: string) => createHash("sha256").update(text).digest("hex");

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 900, seed: 51 });
  checked = join(fixture.root, "checked");
  await cp(fixture.dir, checked, { recursive: true });
  const bundle = await loadBundle(checked);
  try {
    const rows = fixture.tiny.rows;
    await runDisclosureCheck({
      bundle,
      members: rows.slice(0, 600),
      nonMembers: rows.slice(600),
      trainSha256: hash("train"),
      holdoutSha256: hash("holdout"),
      repeats: 3,
      replicates: 20,
    });
  } finally {
    disposeBundle(bundle);
  }
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

const copy = async (name: string) => {
  const dir = join(fixture.root, name);
  await cp(checked, dir, { recursive: true });
  return dir;
};

/** Rewrites the report through writeBundleFile (manifest kept valid) with `change` applied. */
async function rewriteReport(dir: string, change: (report: Record<string, unknown>) => void): Promise<void> {
  const report = JSON.parse(await readFile(join(dir, DISCLOSURE_REPORT_FILE), "utf8")) as Record<string, unknown>;
  change(report);
  await writeBundleFile(dir, DISCLOSURE_REPORT_FILE, JSON.stringify(report));
}

describe("disclosure report", () => {
  it("is written into the bundle, valid, and covered by the manifest", async () => {
    const { manifest, files } = await verifyBundle(checked);
    expect(manifest.files.map((f) => f.path)).toContain(DISCLOSURE_REPORT_FILE);
    const report = DisclosureReportSchema.parse(JSON.parse(new TextDecoder().decode(files.get(DISCLOSURE_REPORT_FILE))));
    expect(report.version).toBe(manifest.version);
    expect(report.covers.map((c) => c.path).sort()).toEqual(manifest.files.map((f) => f.path).filter((p) => p !== DISCLOSURE_REPORT_FILE).sort());
    expect(report.staticChecks.every((c) => c.passed)).toBe(true);
    expect(report.membershipInference.attacks).toHaveLength(2);
    expect(report.membershipInference.trainSha256).toBe(hash("train"));
    const bundle = await loadBundle(checked);
    disposeBundle(bundle);
  });

  it("passes requireDisclosurePass when it passed, and is refused otherwise", async () => {
    const dir = await copy("forced-pass");
    await rewriteReport(dir, (r) => {
      r.passed = true;
      r.reasons = [];
    });
    const bundle = await loadBundle(dir);
    await expect(requireDisclosurePass(bundle)).resolves.toMatchObject({ passed: true });
    disposeBundle(bundle);

    const failing = await copy("forced-fail");
    await rewriteReport(failing, (r) => {
      r.passed = false;
      r.reasons = ["loss attack: advantage 0.080 exceeds 0.05"];
    });
    const b2 = await loadBundle(failing);
    await expect(requireDisclosurePass(b2)).rejects.toThrow(/did not pass \(loss attack: advantage 0\.080/);
    disposeBundle(b2);
  });

  it("tampering with the report makes loadBundle and verifyBundle refuse", async () => {
    const dir = await copy("tampered");
    const report = JSON.parse(await readFile(join(dir, DISCLOSURE_REPORT_FILE), "utf8")) as Record<string, unknown>;
    await writeFile(join(dir, DISCLOSURE_REPORT_FILE), JSON.stringify({ ...report, passed: true, reasons: [] }, null, 2));
    await expect(verifyBundle(dir)).rejects.toThrow(/disclosure-report\.json: checksum mismatch/);
    await expect(loadBundle(dir)).rejects.toBeInstanceOf(BundleError);
  });

  it("a file replaced after the check voids the report", async () => {
    const dir = await copy("stale");
    await rewriteReport(dir, (r) => {
      r.passed = true;
      r.reasons = [];
    });
    await writeBundleFile(dir, "metrics.json", `${await readFile(join(dir, "metrics.json"), "utf8")} `);
    const bundle = await loadBundle(dir);
    await expect(requireDisclosurePass(bundle)).rejects.toThrow(/files changed after the disclosure check/);
    disposeBundle(bundle);
  });

  it("a bundle without a report, or with an unreadable one, is refused with DisclosureError", async () => {
    const bare = await loadBundle(fixture.dir);
    await expect(requireDisclosurePass(bare)).rejects.toBeInstanceOf(DisclosureError);
    await expect(requireDisclosurePass(bare)).rejects.toThrow(/has no disclosure report; run npm run check-bundle/);
    disposeBundle(bare);
    const dir = await copy("unreadable");
    await writeBundleFile(dir, DISCLOSURE_REPORT_FILE, JSON.stringify({ passed: true }));
    const bundle = await loadBundle(dir);
    await expect(requireDisclosurePass(bundle)).rejects.toThrow(/disclosure report is invalid/);
    disposeBundle(bundle);
  });
});
