import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERVENTIONS } from "../catalogue.js";
import { ANALYSIS_COLUMNS, SECONDARY_TRUTH_OUTCOMES, secondaryTruthColumn } from "../reintegration.js";
import { type DeliveryManifest, generateDelivery } from "../synth/index.js";
import { type LinkageReport, linkDelivery } from "./index.js";

const KEY = "test-key-0123456789-0123456789-abcdef";
let dir: string;
let manifest: DeliveryManifest;
let report: LinkageReport;
let cleanReport: LinkageReport;
/** Without the quasi-identifier check (k = 1), so small groups with missing values are not suppressed. */
let reportK1: LinkageReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-mess-"));
  manifest = await generateDelivery({ outDir: join(dir, "messy"), n: 4000, seed: 3, clean: false });
  report = await linkDelivery({ inDir: join(dir, "messy"), outDir: join(dir, "messy-out"), pseudonymKey: KEY });
  reportK1 = await linkDelivery({ inDir: join(dir, "messy"), outDir: join(dir, "messy-k1"), pseudonymKey: KEY, minGroupSize: 1 });
  await generateDelivery({ outDir: join(dir, "clean"), n: 2000, seed: 3, clean: true });
  cleanReport = await linkDelivery({ inDir: join(dir, "clean"), outDir: join(dir, "clean-out"), pseudonymKey: KEY });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("messiness lands in quarantine with the right reason", () => {
  it("quarantines exactly the injected invalid rows, per file and reason", () => {
    for (const [file, kinds] of Object.entries(manifest.injected)) {
      const q = report.files[file]?.quarantined ?? {};
      for (const kind of ["invalid_bsn", "field_count", "invalid_date", "unknown_code"] as const) {
        expect(q[kind] ?? 0, `${file} ${kind}`).toBe(kinds[kind] ?? 0);
      }
      // Duplicates of rows of persons without a trajectory are counted as unlinked instead.
      for (const kind of ["duplicate", "conflicting_duplicate"] as const) {
        expect(q[kind] ?? 0, `${file} ${kind}`).toBeLessThanOrEqual(kinds[kind] ?? 0);
        if ((kinds[kind] ?? 0) > 5) expect(q[kind] ?? 0, `${file} ${kind}`).toBeGreaterThan(0);
      }
    }
    const injected = (kind: string) =>
      Object.values(manifest.injected).reduce((sum, kinds) => sum + ((kinds as Record<string, number>)[kind] ?? 0), 0);
    for (const kind of ["invalid_bsn", "field_count", "invalid_date", "unknown_code", "duplicate", "conflicting_duplicate", "missing"]) {
      expect(injected(kind), kind).toBeGreaterThan(0);
    }
  });

  it("reports persons missing from a file as missing features, and unlinked rows as unlinked", () => {
    expect(reportK1.features.huishouden?.missingShare).toBeGreaterThan(0.003);
    expect(reportK1.features.opleiding?.missingShare).toBeGreaterThan(0.003);
    expect(reportK1.trajectories.suppressed).toBe(0);
    expect(report.persons.withoutTrajectory).toBeGreaterThan(0);
    expect(report.files.personen?.quarantined.no_trajectory).toBeGreaterThan(0);
    expect(report.files.uitkomsten?.quarantined.unknown_trajectory).toBeGreaterThan(0);
    expect(report.trajectories.withoutOutcome).toBeGreaterThan(0);
    for (const [file, r] of Object.entries(report.files)) {
      const quarantined = Object.values(r.quarantined).reduce((a, b) => a + (b ?? 0), 0);
      expect(r.linked + quarantined, file).toBe(r.rowsRead);
    }
  });

  it("quarantines nothing in a clean delivery (but small quasi-identifier groups)", () => {
    for (const [file, r] of Object.entries(cleanReport.files)) {
      const { qi_suppressed: _suppressed, ...rest } = r.quarantined;
      expect(rest, file).toEqual({});
    }
    expect(cleanReport.trajectories.read).toBe(2000);
    expect(cleanReport.quasiIdentifiers.smallestGroupAfter).toBeGreaterThanOrEqual(10);
    expect(cleanReport.trajectories.written + cleanReport.trajectories.suppressed).toBe(2000);
  });
});

describe("no direct identifiers in any output", () => {
  it("has no bsn, birth date or postcode of the delivery anywhere in the outputs", async () => {
    const persons = (await readFile(join(dir, "messy", "personen.csv"), "utf8")).trim().split("\n").slice(1);
    const bsns = new Set<string>();
    const birthDates = new Set<string>();
    const postcodes = new Set<string>();
    for (const line of persons) {
      const [bsn, birth, , , postcode] = line.split(",");
      if (bsn) bsns.add(bsn);
      if (birth) birthDates.add(birth);
      if (postcode) postcodes.add(postcode);
    }
    const out = join(dir, "messy-out");
    const files = [
      ...(await readdir(out)).filter((f) => f.includes(".")).map((f) => join(out, f)),
      ...(await readdir(join(out, "quarantine"))).map((f) => join(out, "quarantine", f)),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const token of text.match(/(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])/g) ?? []) {
        expect(bsns.has(token), `bsn in ${file}`).toBe(false);
      }
      for (const token of text.match(/[1-9]\d{3} ?[A-Z]{2}/g) ?? []) expect(postcodes.has(token), `postcode in ${file}`).toBe(false);
      if (file.endsWith("analysis.csv") || file.endsWith("personen.csv")) {
        for (const token of text.match(/\d{4}-\d{2}-\d{2}/g) ?? []) expect(birthDates.has(token), `date in ${file}`).toBe(false);
      }
    }
    const analysis = await readFile(join(out, "analysis.csv"), "utf8");
    // The contract columns, then (from the generator's truth file) the secondary outcomes' truth.
    const secondary = SECONDARY_TRUTH_OUTCOMES.flatMap((o) => INTERVENTIONS.map((arm) => secondaryTruthColumn(o, arm)));
    expect(analysis.split("\n")[0]).toBe([...ANALYSIS_COLUMNS, ...secondary].join(","));
    expect(analysis).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const banned of ["bsn", "geboortedatum", "postcode", "traject_id"]) expect(analysis.split("\n")[0]).not.toContain(banned);
  });
});
