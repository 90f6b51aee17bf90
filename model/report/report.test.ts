import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { disposeBundle, loadBundle } from "../bundle/bundle.js";
import { linkDelivery } from "../link/link.js";
import { checkReportFiles } from "../privacy/disclosure-check.js";
import { predictTable } from "../recommend/predict-table.js";
import { generateDelivery } from "../synth/generate.js";
import { readTableCsv, type Table } from "../table/read.js";
import { buildReport, type Report, readReport, truthCoverage, writeReport } from "./index.js";

/**
 * The report on a held-out table from the generator, with its truth: a tiny bundle (trained on other,
 * tiny-table data) supplies the primary outcome model; AIPW's cross-fitted propensities make up for
 * its weakness. One report, several assertions.
 */
let root: string;
let table: Table;
let report: Report;
let bundleDir: string;
let fixtureRoot: string;

beforeAll(async () => {
  process.env.TRAJECTWIJZER_QUIET_BACKEND = "1";
  root = await mkdtemp(join(tmpdir(), "tw-report-"));
  const fixture = await makeTinyBundle({ n: 700, seed: 3 });
  bundleDir = fixture.dir;
  fixtureRoot = fixture.root;
  await generateDelivery({ outDir: join(root, "source"), n: 5000, seed: 21, clean: true });
  await linkDelivery({ inDir: join(root, "source"), outDir: join(root, "linked"), pseudonymKey: "report-test-key-0123456789abcdef" });
  table = await readTableCsv(join(root, "linked", "analysis.csv"));
  const bundle = await loadBundle(bundleDir);
  try {
    report = buildReport({
      schema: bundle.schema,
      catalogue: bundle.catalogue,
      rows: table.rows,
      columns: table.columns,
      primaryPredicted: predictTable(bundle, table.rows).mean,
      model: { version: bundle.version },
      table: { sha256: "0".repeat(64) },
      options: { generatedAt: "2026-01-02T03:04:05.000Z" },
    });
  } finally {
    disposeBundle(bundle);
  }
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(fixtureRoot, { recursive: true, force: true });
});

describe("what works for whom", () => {
  it("covers the true average effect on the primary outcome for most trajectories", async () => {
    const bundle = await loadBundle(bundleDir);
    const coverage = truthCoverage(report, { schema: { ...bundle.schema, truth: Object.fromEntries(bundle.schema.treatment.arms.map((a) => [a, `mu_${a}`])) }, rows: table.rows });
    disposeBundle(bundle);
    expect(coverage).toHaveLength(7);
    expect(coverage.filter((c) => c.covered === true).length).toBeGreaterThanOrEqual(5);
  });

  it("follows the report.json contract: effects of { outcome, arm, group, estimate, lower, upper, n }", () => {
    const primary = report.outcomes.find((o) => o.primary);
    expect(primary).toMatchObject({ column: "werk_12m", outcomeModel: "network" });
    // The secondary outcomes the configuration declares and the table has, on linear models.
    expect(report.outcomes.map((o) => o.column)).toEqual(["werk_12m", "uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"]);
    for (const e of report.effects) {
      expect(Object.keys(e).sort()).toEqual(["arm", "estimate", "group", "lower", "n", "outcome", "upper"]);
      expect(report.arms.map((a) => a.key)).toContain(e.arm);
      expect(e.arm).not.toBe(report.control);
      if (e.group !== null) expect(Object.keys(e.group).sort()).toEqual(["feature", "value"]);
      if (e.estimate !== null) {
        expect(e.lower).toBeLessThanOrEqual(e.estimate);
        expect(e.upper).toBeGreaterThanOrEqual(e.estimate);
      }
    }
    const overall = report.effects.filter((e) => e.group === null);
    expect(overall).toHaveLength(report.outcomes.length * (report.arms.length - 1));
    // Origin and sex only as an audit, never as a factor of the projections.
    expect(report.subgroups.filter((s) => s.role === "audit").map((s) => s.feature).sort()).toEqual(["geslacht", "herkomst"]);
    expect(report.factors.some((f) => ["geslacht", "herkomst"].includes(f.factor.feature))).toBe(false);
    // Binary outcome effects lie on the difference-in-proportions scale; hours on their own.
    expect(overall.filter((e) => e.outcome === "werk_12m").every((e) => Math.abs(e.estimate ?? 0) < 0.5)).toBe(true);
  });

  it("shows no figure over fewer than 10 people, and hides a second cell where one is hidden", () => {
    for (const e of [...report.effects, ...report.factors]) {
      if (e.estimate === null) expect(e.n).toBeNull();
      else expect(e.n).toBeGreaterThanOrEqual(10);
    }
    for (const s of report.subgroups) for (const v of s.values) expect(v.n === null || v.n >= 10).toBe(true);
    // Within one partition (outcome, arm, feature) never exactly one hidden cell.
    const partitions = new Map<string, number>();
    for (const e of report.effects) {
      if (e.group === null) continue;
      const key = `${e.outcome}|${e.arm}|${e.group.feature}`;
      partitions.set(key, (partitions.get(key) ?? 0) + (e.estimate === null ? 1 : 0));
    }
    expect([...partitions.values()].some((hidden) => hidden === 1)).toBe(false);
  });

  it("finds the generator's driver of debt counselling: debts", () => {
    const cell = (value: string) =>
      report.effects.find((e) => e.outcome === "werk_12m" && e.arm === "schuldhulp" && e.group?.feature === "problematische_schulden" && e.group.value === value);
    expect(cell("1")?.estimate ?? 0).toBeGreaterThan(cell("0")?.estimate ?? 0);
  });

  it("writes report.json, a self-contained accessible HTML page and Excel CSV that pass the disclosure rules", async () => {
    const out = join(root, "report");
    const files = await writeReport(out, report);
    expect(files).toEqual(["report.json", "report.html", "effects.csv", "factors.csv"]);
    expect(await readReport(out)).toEqual(report);
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain('<html lang="nl">');
    expect(html).toMatch(/<svg[^>]+role="img"[^>]+aria-labelledby=/);
    expect(html).not.toMatch(/<(script|link|img)\b|src=|href=/);
    expect(html).toContain("ongemeten");
    const csv = await readFile(join(out, "effects.csv"), "utf8");
    expect(csv.startsWith("\uFEFFoutcome;outcome_label;arm;")).toBe(true);
    const checks = await checkReportFiles(out);
    expect(checks.flatMap((c) => c.findings)).toEqual([]);
    expect(checks.every((c) => c.passed)).toBe(true);
  });

  it("the disclosure rules catch a small count slipped into a report's CSV", async () => {
    const out = join(root, "leaky");
    await writeReport(out, report);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(out, "extra.csv"), "\uFEFFfeature;value;n\r\nopleiding;basis;3\r\n");
    const checks = await checkReportFiles(out);
    expect(checks.find((c) => c.name === "small-counts")?.passed).toBe(false);
  });
});
