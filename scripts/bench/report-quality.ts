import { join } from "node:path";
import { disposeBundle, loadBundle, predictTable, readTableCsv, type Row } from "../../model/index.js";
import { buildReport, type Report, truthCoverage } from "../../model/report/index.js";
import { toNumber } from "../../model/table/read.js";
import { prepareTable } from "./train.js";

/**
 * The report validated against the generator's truth: on `tables` held-out tables (each its own seed),
 * whether each overall 95% interval holds the true average effect, for work and for every secondary
 * outcome the generator writes truth for (about 95% of arm–outcome pairs should; coverage per outcome
 * and over all pairs), and on the first table whether the subgroup effects find the generator's
 * drivers (the driver's cell has the larger estimated effect, as it has the larger true one).
 */
type DriverCheck = { driver: string; arm: string; feature: string; inside: (value: string) => boolean };

const DRIVERS: DriverCheck[] = [
  { driver: "problem debts → schuldhulp", arm: "schuldhulp", feature: "problematische_schulden", inside: (v) => v === "1" },
  { driver: "language requirement not met → taaltraject", arm: "taaltraject", feature: "taaleis_voldaan", inside: (v) => v === "0" },
  { driver: "long since last job → werkervaringsplaats", arm: "werkervaringsplaats", feature: "maanden_sinds_werk", inside: (v) => v.startsWith(">") },
  { driver: "young → scholing", arm: "scholing", feature: "leeftijdsklasse", inside: (v) => v === "18-26" },
  { driver: "low education → scholing", arm: "scholing", feature: "opleiding", inside: (v) => v === "basis" || v === "vmbo_mbo1" },
];

const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 10000) / 10000);

/** Whether a row falls in a published subgroup cell (a value, or a band "<=c" / ">c" of a number). */
function inCell(row: Row, feature: string, value: string): boolean {
  const raw = String(row[feature] ?? "").trim();
  if (value.startsWith("<=") || value.startsWith(">")) {
    const cut = Number(value.replace(/^<=|^>/, ""));
    const v = toNumber(row[feature]);
    const below = v === null || Number.isNaN(v) || v <= cut;
    return value.startsWith("<=") ? below : !below;
  }
  return raw === value;
}

/** Estimated and true effect in the driver's cells and in the others (n-weighted over published cells). */
function driverRecovery(report: Report, rows: readonly Row[], control: string) {
  const truthColumn = (arm: string) => `mu_${arm}`;
  return DRIVERS.map((d) => {
    const cells = report.effects.filter((e) => e.outcome === "werk_12m" && e.arm === d.arm && e.group?.feature === d.feature && e.estimate !== null);
    const side = (inside: boolean) => {
      const mine = cells.filter((e) => d.inside(e.group?.value ?? "") === inside);
      const n = mine.reduce((s, e) => s + (e.n ?? 0), 0);
      const estimate = n > 0 ? mine.reduce((s, e) => s + (e.estimate ?? 0) * (e.n ?? 0), 0) / n : null;
      const members = rows.filter((row) => mine.some((e) => inCell(row, d.feature, e.group?.value ?? "")));
      const truth = members.length
        ? members.reduce((s, row) => s + (toNumber(row[truthColumn(d.arm)]) ?? 0) - (toNumber(row[truthColumn(control)]) ?? 0), 0) / members.length
        : null;
      return { estimate, truth };
    };
    const inside = side(true);
    const outside = side(false);
    const estimated = inside.estimate !== null && outside.estimate !== null ? inside.estimate - outside.estimate : null;
    const truth = inside.truth !== null && outside.truth !== null ? inside.truth - outside.truth : null;
    return {
      driver: d.driver,
      estimatedDifference: round(estimated),
      trueDifference: round(truth),
      recovered: estimated !== null && truth !== null && Math.sign(estimated) === Math.sign(truth),
    };
  });
}

export async function reportQuality(options: { bundleDir: string; workDir: string; persons: number; seed: number; tables: number }) {
  const bundle = await loadBundle(options.bundleDir);
  const perTable: { seed: number; seconds: number; covered: number; pairs: number }[] = [];
  const pairs: { outcome: string; arm: string; truth: number; lower: number | null; upper: number | null; covered: boolean | null }[] = [];
  let drivers: ReturnType<typeof driverRecovery> = [];
  let overlapShare = 0;
  try {
    for (let t = 0; t < options.tables; t++) {
      const seed = options.seed + 100 + t;
      const prepared = await prepareTable(join(options.workDir, `report-${t}`), options.persons, seed);
      const table = await readTableCsv(prepared.table);
      const started = Date.now();
      const report = buildReport({
        schema: bundle.schema,
        catalogue: bundle.catalogue,
        rows: table.rows,
        columns: table.columns,
        primaryPredicted: predictTable(bundle, table.rows).mean,
        model: { version: bundle.version },
        table: { sha256: "0".repeat(64) },
        options: { seed },
      });
      const seconds = (Date.now() - started) / 1000;
      const coverage = truthCoverage(report, { schema: bundle.schema, rows: table.rows });
      pairs.push(...coverage.map((c) => ({ outcome: c.outcome, arm: c.arm, truth: round(c.truth) as number, lower: c.lower, upper: c.upper, covered: c.covered })));
      perTable.push({ seed, seconds, covered: coverage.filter((c) => c.covered).length, pairs: coverage.length });
      if (t === 0) {
        drivers = driverRecovery(report, table.rows, bundle.schema.treatment.control);
        overlapShare = report.overlap.share;
      }
    }
  } finally {
    disposeBundle(bundle);
  }
  const judged = pairs.filter((p) => p.covered !== null);
  const share = (list: typeof judged) => (list.length ? round(list.filter((p) => p.covered).length / list.length) : null);
  const outcomes = [...new Set(judged.map((p) => p.outcome))];
  return {
    tables: options.tables,
    personsPerTable: options.persons,
    // Over all arm–outcome pairs of all tables (work and the secondary outcomes), then per outcome.
    coverage: share(judged),
    pairs: judged.length,
    coverageByOutcome: Object.fromEntries(
      outcomes.map((o) => {
        const mine = judged.filter((p) => p.outcome === o);
        return [o, { coverage: share(mine), pairs: mine.length }];
      }),
    ),
    perTable,
    overlapShare,
    drivers,
    missed: pairs.filter((p) => p.covered === false),
  };
}
