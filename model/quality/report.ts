import { z } from "zod";
import { populationStabilityIndex, type ReferenceStats } from "../bundle/reference.js";
import { type Catalogue, defaultCatalogue } from "../config/municipality.js";
import { calibrationBins, type Estimate, meanEstimate, offPolicyValue } from "../metrics/index.js";
import { MIN_CELL, type Shown, SUPPRESSED, suppressFigure, suppressList, suppressTable } from "../privacy/suppression.js";
import { type Cell, type Column, FAIRNESS_DIMENSIONS, type FairnessDimension, type ReportTable, type TableId } from "./report-table.js";

/**
 * The managers' quality report as pure functions over decided clients: adoption, realised outcomes of
 * followed and not followed advice, calibration, off-policy value, fairness and drift, every figure
 * suppressed below 10 people. No database: the app hands it the rows (app/models/quality.server.ts).
 */

/** One decided client, as the app's quality query returns it (the latest decision and its outcome). */
export type QualityRow = {
  team: string | null;
  decidedAt: Date;
  chosenArm: string;
  followedAdvice: boolean;
  reasonCode: string | null;
  topArm: string | null;
  resultJson: string | null;
  profileJson: string;
  fairnessSex: string | null;
  fairnessOrigin: string | null;
  work: boolean | null;
};

/**
 * Recommendation quality from the app's own records, as tables of already suppressed figures:
 * the dashboard, its charts and its CSV exports all render these and nothing else, so no figure
 * reaches a page or a file without passing model/privacy/suppression.
 */
export type QualityReport =
  | { suppressed: true; population: Shown }
  | {
      suppressed: false;
      population: number;
      adoption: Shown;
      tables: Record<TableId, ReportTable>;
      /** False when the active bundle's reference has no per-feature distributions (older bundle). */
      driftAvailable: boolean;
      /** The catalogue the labels come from: the active model's (its trajectories and features). */
      catalogue: Catalogue;
      /** Over everyone with an outcome and a shown advice: the mean shown chance of work for the chosen trajectory, and the realised share. */
      accuracy: { count: Shown; predicted: Shown; realised: Shown };
    };

/** Just the parts of a stored RecommendationResult the quality figures need. */
const ShownResultSchema = z.object({
  control: z.string(),
  arms: z.array(z.object({ arm: z.string(), expected: z.number(), propensity: z.number() })),
  /** How it was shown: the model's first arm and the logged probability of each arm being shown first. */
  shown: z.object({ ranked: z.string(), probabilities: z.record(z.string(), z.number()) }).optional(),
});

type Parsed = {
  team: string;
  /** Calendar quarter of the decision, e.g. "2025-Q2". */
  quarter: string;
  /** Calendar month of the decision, e.g. "2025-04". */
  month: string;
  followed: boolean;
  reasonCode: string | null;
  topArm: string | null;
  chosenArm: string;
  work: number | null;
  expected: Map<string, number> | null;
  propensity: Map<string, number> | null;
  /** Logged probabilities of each arm being shown first, and the model's own first arm; null when not recorded. */
  shown: { ranked: string; probabilities: Map<string, number> } | null;
  control: string | null;
  profile: Record<string, unknown>;
  sex: string;
  origin: string;
  ageBand: string;
  household: string;
};

export const NOT_RECORDED = "not_recorded";

export const NO_TEAM = "no_team";

function parseRow(row: QualityRow): Parsed {
  let shown: z.infer<typeof ShownResultSchema> | null = null;
  if (row.resultJson) {
    try {
      const parsed = ShownResultSchema.safeParse(JSON.parse(row.resultJson));
      if (parsed.success) shown = parsed.data;
    } catch {
      shown = null;
    }
  }
  let profile: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(row.profileJson);
    if (value && typeof value === "object") profile = value as Record<string, unknown>;
  } catch {
    profile = {};
  }
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : NOT_RECORDED);
  return {
    team: row.team ?? NO_TEAM,
    quarter: calendarQuarter(row.decidedAt),
    month: calendarMonth(row.decidedAt),
    followed: row.followedAdvice,
    reasonCode: row.reasonCode,
    topArm: row.topArm,
    chosenArm: row.chosenArm,
    work: row.work === null ? null : row.work ? 1 : 0,
    expected: shown ? new Map(shown.arms.map((a) => [a.arm, a.expected])) : null,
    propensity: shown ? new Map(shown.arms.map((a) => [a.arm, a.propensity])) : null,
    shown: shown?.shown ? { ranked: shown.shown.ranked, probabilities: new Map(Object.entries(shown.shown.probabilities)) } : null,
    control: shown?.control ?? null,
    profile,
    sex: text(row.fairnessSex),
    origin: text(row.fairnessOrigin),
    ageBand: text(profile[FAIRNESS_DIMENSIONS.ageBand]),
    household: text(profile[FAIRNESS_DIMENSIONS.household]),
  };
}

/** "2025-Q2" for a moment in April, May or June 2025 (UTC). */
export function calendarQuarter(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

/** "2025-04" for a moment in April 2025 (UTC). */
export function calendarMonth(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

const Z95 = 1.959963984540054;

/** Wilson score interval (95%) for k successes out of n. */
export function wilsonInterval(k: number, n: number): { lower: number; upper: number } {
  if (n === 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Distinct keys in a stable order: the catalogue order for arms, else alphabetical. */
function keysOf(values: readonly string[], order?: readonly string[]): string[] {
  const set = new Set(values);
  const known = (order ?? []).filter((k) => set.has(k));
  const rest = [...set].filter((k) => !(order ?? []).includes(k)).sort();
  return [...known, ...rest];
}

/** Shared margins; FW, FNW, NFW, NFNW are the cells of the followed table (followed × work / no work). */
type Shared = "F" | "NF" | "W" | "NW" | "P" | "N" | "FW" | "FNW" | "NFW" | "NFNW";

/**
 * The count tables that share margins (followed / not followed, work / no work / pending, the total)
 * are suppressed together: a margin hidden in one of them is hidden in all, repeated until stable.
 * The month outcome table's column totals are the followed table's cells, so those are linked too.
 */
function suppressLinked(input: {
  teamCounts: number[][];
  periodCounts: number[][];
  monthCounts: number[][];
  monthOutcomeCounts: number[][];
  armCounts: number[][];
  followedCounts: number[][];
  interventionCounts: number[][];
}) {
  const hidden = new Set<Shared>();
  for (let round = 0; round < 10; round++) {
    const h = (k: Shared) => hidden.has(k);
    const team = suppressTable({ cells: input.teamCounts, hide: { colTotals: [h("F"), h("NF")], total: h("N") } });
    const period = suppressTable({ cells: input.periodCounts, hide: { colTotals: [h("F"), h("NF")], total: h("N") } });
    const month = suppressTable({ cells: input.monthCounts, hide: { colTotals: [h("F"), h("NF")], total: h("N") } });
    // Its grand total (all known outcomes) is work + no work: hidden when either is.
    const monthOutcome = suppressTable({
      cells: input.monthOutcomeCounts,
      hide: { colTotals: [h("FW"), h("FNW"), h("NFW"), h("NFNW")], total: h("W") || h("NW") },
    });
    const arm = suppressTable({ cells: input.armCounts, hide: { colTotals: [h("F"), h("NF")], total: h("N") } });
    const followed = suppressTable({
      cells: input.followedCounts,
      hide: {
        rowTotals: [h("F"), h("NF")],
        colTotals: [h("W"), h("NW"), h("P")],
        total: h("N"),
        cells: [
          [h("FW"), h("FNW"), false],
          [h("NFW"), h("NFNW"), false],
        ],
      },
    });
    const interventions = suppressTable({
      cells: input.interventionCounts,
      hide: { colTotals: [h("W"), h("NW"), h("P")], total: h("N") },
    });
    const before = hidden.size;
    const mark = (k: Shared, v: Shown | undefined | null) => {
      if (v === SUPPRESSED) hidden.add(k);
    };
    for (const t of [team, period, month, arm]) {
      mark("F", t.colTotals?.[0]);
      mark("NF", t.colTotals?.[1]);
      mark("N", t.total);
    }
    mark("F", followed.rowTotals?.[0]);
    mark("NF", followed.rowTotals?.[1]);
    mark("FW", followed.cells[0]?.[0]);
    mark("FNW", followed.cells[0]?.[1]);
    mark("NFW", followed.cells[1]?.[0]);
    mark("NFNW", followed.cells[1]?.[1]);
    mark("FW", monthOutcome.colTotals?.[0]);
    mark("FNW", monthOutcome.colTotals?.[1]);
    mark("NFW", monthOutcome.colTotals?.[2]);
    mark("NFNW", monthOutcome.colTotals?.[3]);
    for (const t of [followed, interventions]) {
      mark("W", t.colTotals?.[0]);
      mark("NW", t.colTotals?.[1]);
      mark("P", t.colTotals?.[2]);
      mark("N", t.total);
    }
    if (hidden.size === before) return { team, period, month, monthOutcome, arm, followed, interventions, hidden };
  }
  throw new Error("suppression did not settle");
}

const rate = (k: number, n: number, visible: boolean): Shown => (visible ? suppressFigure(k / n, n) : SUPPRESSED);
const visibleAll = (cells: readonly (Shown | undefined)[]) => cells.every((c) => c !== undefined && c !== SUPPRESSED);

/** Interval bounds of an estimate over n people, suppressed with it. */
function estimateCells(e: Estimate | null, n: number): Shown[] {
  if (!e) return [SUPPRESSED, SUPPRESSED, SUPPRESSED];
  return [suppressFigure(e.value, n), suppressFigure(e.lower95, n), suppressFigure(e.upper95, n)];
}

const DRIFT_THRESHOLD = 0.2;

export function computeQualityReport(rows: readonly QualityRow[], reference: ReferenceStats | null, catalogue: Catalogue = defaultCatalogue()): QualityReport {
  const catalogueArms = catalogue.trajectories.map((t) => t.key);
  if (rows.length < MIN_CELL) return { suppressed: true, population: SUPPRESSED };
  const records = rows.map(parseRow);
  const N = records.length;
  const arms = keysOf(
    records.flatMap((r) => [r.chosenArm, ...(r.topArm ? [r.topArm] : [])]),
    catalogueArms,
  );
  const teams = keysOf(records.map((r) => r.team));
  const outcomeCol = (r: Parsed) => (r.work === null ? 2 : r.work === 1 ? 0 : 1);

  // Count tables.
  const teamCounts = teams.map((t) => {
    const own = records.filter((r) => r.team === t);
    return [own.filter((r) => r.followed).length, own.filter((r) => !r.followed).length];
  });
  // Periods are rows of one table (with complementary suppression), never separate selections:
  // see docs/decisions/ on differencing.
  const quarters = keysOf(records.map((r) => r.quarter));
  const periodCounts = quarters.map((q) => {
    const own = records.filter((r) => r.quarter === q);
    return [own.filter((r) => r.followed).length, own.filter((r) => !r.followed).length];
  });
  const months = keysOf(records.map((r) => r.month));
  const monthCounts = months.map((m) => {
    const own = records.filter((r) => r.month === m);
    return [own.filter((r) => r.followed).length, own.filter((r) => !r.followed).length];
  });
  // Known outcomes per month: followed × work, followed × no work, not followed × work, not followed × no work.
  const monthOutcomeCounts = months.map((m) => {
    const own = records.filter((r) => r.month === m && r.work !== null);
    const count = (followed: boolean, work: number) => own.filter((r) => r.followed === followed && r.work === work).length;
    return [count(true, 1), count(true, 0), count(false, 1), count(false, 0)];
  });
  const adviceArms = keysOf(
    records.map((r) => r.topArm ?? NOT_RECORDED),
    catalogueArms,
  );
  const armCounts = adviceArms.map((a) => {
    const own = records.filter((r) => (r.topArm ?? NOT_RECORDED) === a);
    return [own.filter((r) => r.followed).length, own.filter((r) => !r.followed).length];
  });
  const byOutcome = (subset: Parsed[]) => {
    const c = [0, 0, 0];
    for (const r of subset) c[outcomeCol(r)] = (c[outcomeCol(r)] ?? 0) + 1;
    return c;
  };
  const followedCounts = [byOutcome(records.filter((r) => r.followed)), byOutcome(records.filter((r) => !r.followed))];
  const interventionCounts = arms.map((a) => byOutcome(records.filter((r) => r.chosenArm === a)));
  const linked = suppressLinked({ teamCounts, periodCounts, monthCounts, monthOutcomeCounts, armCounts, followedCounts, interventionCounts });

  const adoptionTable = (id: TableId, keys: string[], counts: number[][], s: ReturnType<typeof suppressTable>): ReportTable => ({
    id,
    columns: [
      { key: id === "adoption-team" ? "team" : id === "adoption-period" ? "period" : id === "adoption-month" ? "month" : "recommendedArm", kind: "label" },
      { key: "followed", kind: "count" },
      { key: "notFollowed", kind: "count" },
      { key: "total", kind: "count" },
      { key: "adoptionRate", kind: "rate" },
      { key: "lower95", kind: "rate" },
      { key: "upper95", kind: "rate" },
    ],
    rows: [
      ...keys.map((k, i) => {
        const [f = 0, nf = 0] = counts[i] ?? [];
        const shown = s.cells[i] ?? [];
        const ok = visibleAll(shown);
        const ci = wilsonInterval(f, f + nf);
        return [k, ...shown, s.rowTotals?.[i] ?? SUPPRESSED, rate(f, f + nf, ok), ok ? ci.lower : SUPPRESSED, ok ? ci.upper : SUPPRESSED];
      }),
      totalRow(s, () => {
        const f = records.filter((r) => r.followed).length;
        const ci = wilsonInterval(f, N);
        return [f / N, ci.lower, ci.upper];
      }),
    ],
  });
  /** The margin row: column totals, the grand total and the overall figures (shown when both column totals are). */
  function totalRow(s: ReturnType<typeof suppressTable>, figures: () => number[]): Cell[] {
    const ok = visibleAll(s.colTotals ?? []);
    return ["total", ...(s.colTotals ?? []), s.total, ...figures().map((v) => (ok ? v : SUPPRESSED))];
  }

  // Deviation reasons among decisions that did not follow the advice.
  const deviating = records.filter((r) => !r.followed);
  const reasonKeys = keysOf(deviating.map((r) => r.reasonCode ?? NOT_RECORDED));
  const reasonCounts = reasonKeys.map((k) => deviating.filter((r) => (r.reasonCode ?? NOT_RECORDED) === k).length);
  const reasons = suppressList(reasonCounts);
  const nfShown = !linked.hidden.has("NF") && deviating.length >= MIN_CELL;
  const reasonsTable: ReportTable = {
    id: "reasons",
    columns: [
      { key: "reason", kind: "label" },
      { key: "count", kind: "count" },
      { key: "share", kind: "rate" },
    ],
    rows: [
      ...reasonKeys.map((k, i) => {
        const c = reasons.cells[i] ?? SUPPRESSED;
        return [k, c, c === SUPPRESSED || !nfShown ? SUPPRESSED : (reasonCounts[i] ?? 0) / deviating.length];
      }),
      ["total", nfShown ? deviating.length : SUPPRESSED, nfShown ? 1 : SUPPRESSED],
    ],
  };

  const outcomeColumns = (label: string): Column[] => [
    { key: label, kind: "label" },
    { key: "work", kind: "count" },
    { key: "noWork", kind: "count" },
    { key: "pending", kind: "count" },
    { key: "total", kind: "count" },
    { key: "workRate", kind: "rate" },
    { key: "lower95", kind: "rate" },
    { key: "upper95", kind: "rate" },
  ];
  const outcomeRow = (key: string, counts: number[], shown: Shown[], total: Shown): Cell[] => {
    const [w = 0, nw = 0] = counts;
    const ok = visibleAll([shown[0], shown[1]]);
    const ci = wilsonInterval(w, w + nw);
    return [key, ...shown, total, rate(w, w + nw, ok), ok ? ci.lower : SUPPRESSED, ok ? ci.upper : SUPPRESSED];
  };
  const overallOutcome = (): number[] => {
    const w = records.filter((r) => r.work === 1).length;
    const n = records.filter((r) => r.work !== null).length;
    const ci = wilsonInterval(w, n);
    return [n > 0 ? w / n : Number.NaN, ci.lower, ci.upper];
  };
  const outcomeTotalRow = (s: ReturnType<typeof suppressTable>): Cell[] => {
    const ok = visibleAll([s.colTotals?.[0], s.colTotals?.[1]]);
    return ["total", ...(s.colTotals ?? []), s.total, ...overallOutcome().map((v) => (ok ? v : SUPPRESSED))];
  };
  const followedTable: ReportTable = {
    id: "followed",
    columns: outcomeColumns("advice"),
    rows: [
      outcomeRow("followed", followedCounts[0] ?? [], linked.followed.cells[0] ?? [], linked.followed.rowTotals?.[0] ?? SUPPRESSED),
      outcomeRow("notFollowed", followedCounts[1] ?? [], linked.followed.cells[1] ?? [], linked.followed.rowTotals?.[1] ?? SUPPRESSED),
      outcomeTotalRow(linked.followed),
    ],
  };
  // Outcomes by month of the decision: work rates of followed and of not followed advice, each shown
  // only when its work and no-work counts are.
  const monthOutcomeRow = (key: string, counts: number[], shown: Shown[], total: Shown): Cell[] => {
    const [fw = 0, fnw = 0, nfw = 0, nfnw = 0] = counts;
    const followedOk = visibleAll([shown[0], shown[1]]);
    const notFollowedOk = visibleAll([shown[2], shown[3]]);
    return [key, ...shown, total, rate(fw, fw + fnw, followedOk), rate(nfw, nfw + nfnw, notFollowedOk)];
  };
  const outcomeMonthTable: ReportTable = {
    id: "outcome-month",
    columns: [
      { key: "month", kind: "label" },
      { key: "followedWork", kind: "count" },
      { key: "followedNoWork", kind: "count" },
      { key: "notFollowedWork", kind: "count" },
      { key: "notFollowedNoWork", kind: "count" },
      { key: "knownOutcomes", kind: "count" },
      { key: "followedWorkRate", kind: "rate" },
      { key: "notFollowedWorkRate", kind: "rate" },
    ],
    rows: [
      ...months.map((m, i) =>
        monthOutcomeRow(m, monthOutcomeCounts[i] ?? [], linked.monthOutcome.cells[i] ?? [], linked.monthOutcome.rowTotals?.[i] ?? SUPPRESSED),
      ),
      monthOutcomeRow(
        "total",
        [0, 1, 2, 3].map((j) => monthOutcomeCounts.reduce((sum, row) => sum + (row[j] ?? 0), 0)),
        linked.monthOutcome.colTotals ?? [],
        linked.monthOutcome.total ?? SUPPRESSED,
      ),
    ],
  };
  const interventionsTable: ReportTable = {
    id: "interventions",
    columns: outcomeColumns("chosenArm"),
    rows: [
      ...arms.map((a, i) =>
        outcomeRow(a, interventionCounts[i] ?? [], linked.interventions.cells[i] ?? [], linked.interventions.rowTotals?.[i] ?? SUPPRESSED),
      ),
      outcomeTotalRow(linked.interventions),
    ],
  };

  // Counts of people with a known outcome are shown elsewhere only when work and no-work totals are
  // both public; otherwise their sum would let a hidden margin be computed back.
  const outcomeTotalsShown = !linked.hidden.has("W") && !linked.hidden.has("NW");
  // Records with an outcome and the recommendation that was shown.
  const scored = records.filter(
    (r): r is Parsed & { work: number; expected: Map<string, number>; propensity: Map<string, number> } =>
      r.work !== null && r.expected !== null && r.propensity !== null && r.expected.has(r.chosenArm),
  );

  // Calibration per chosen arm: equal-mass bins of the shown chance for the chosen arm, at most ten,
  // each of about n / bins ≥ 10 people; bin counts protected as a list whose total is known.
  const calibrationRows: Cell[][] = [];
  for (const [armIndex, a] of arms.entries()) {
    const own = scored.filter((r) => r.chosenArm === a);
    // Bin counts add up to this arm's known outcomes: shown only when that sum is public anyway.
    const armShown = outcomeTotalsShown && visibleAll((linked.interventions.cells[armIndex] ?? []).slice(0, 2));
    const predicted = own.map((r) => r.expected.get(a) as number);
    const outcome = own.map((r) => r.work);
    const binCount = Math.min(10, Math.floor(own.length / MIN_CELL));
    if (binCount < 1) {
      calibrationRows.push([a, null, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
      continue;
    }
    const bins = calibrationBins(predicted, outcome, { bins: binCount, strategy: "equal-mass" });
    const shown = suppressList(bins.map((b) => b.n));
    bins.forEach((b, k) => {
      const c = shown.cells[k] ?? SUPPRESSED;
      const ok = c !== SUPPRESSED && armShown;
      const ci = wilsonInterval(Math.round(b.observedRate * b.n), b.n);
      calibrationRows.push([
        a,
        b.bin,
        ok ? c : SUPPRESSED,
        ok ? b.meanPredicted : SUPPRESSED,
        ok ? b.observedRate : SUPPRESSED,
        ok ? ci.lower : SUPPRESSED,
        ok ? ci.upper : SUPPRESSED,
      ]);
    });
  }
  const calibrationTable: ReportTable = {
    id: "calibration",
    columns: [
      { key: "chosenArm", kind: "label" },
      { key: "decile", kind: "number" },
      { key: "count", kind: "count" },
      { key: "predicted", kind: "rate" },
      { key: "realised", kind: "rate" },
      { key: "lower95", kind: "rate" },
      { key: "upper95", kind: "rate" },
    ],
    rows: calibrationRows,
  };

  const offPolicyTable: ReportTable = {
    id: "offpolicy",
    columns: estimateColumns("estimate"),
    rows: offPolicyRows(scored, catalogueArms).map((row) => (outcomeTotalsShown ? row : [row[0] ?? null, SUPPRESSED, ...row.slice(2)])),
  };

  // Fairness per group: calibration (realised − shown chance for the chosen arm) and realised gain
  // (realised − the shown chance under the control arm, i.e. what regular guidance was expected to give).
  const fairnessRows: Cell[][] = [];
  const dimensions: [FairnessDimension, (r: Parsed) => string][] = [
    ["sex", (r) => r.sex],
    ["ageBand", (r) => r.ageBand],
    ["origin", (r) => r.origin],
    ["household", (r) => r.household],
  ];
  for (const [dimension, groupOf] of dimensions) {
    const groups = keysOf(scored.map(groupOf));
    const members = groups.map((g) => scored.filter((r) => groupOf(r) === g));
    const counts = suppressList(members.map((m) => m.length));
    groups.forEach((g, i) => {
      const own = members[i] ?? [];
      const c = counts.cells[i] ?? SUPPRESSED;
      if (c === SUPPRESSED) {
        fairnessRows.push([dimension, g, c, ...new Array<Cell>(10).fill(SUPPRESSED)]);
        return;
      }
      const predicted = own.map((r) => r.expected.get(r.chosenArm) as number);
      const realised = own.map((r) => r.work);
      const w = realised.reduce((s, v) => s + v, 0);
      const ci = wilsonInterval(w, own.length);
      const gap = meanEstimate(own.map((r, k) => r.work - (predicted[k] as number)));
      const gains = own.map((r) => r.work - (r.expected.get(r.control ?? "") ?? Number.NaN)).filter(Number.isFinite);
      const gain = gains.length > 0 ? meanEstimate(gains) : null;
      fairnessRows.push([
        dimension,
        g,
        outcomeTotalsShown ? c : SUPPRESSED,
        predicted.reduce((s, v) => s + v, 0) / own.length,
        w / own.length,
        ci.lower,
        ci.upper,
        ...estimateCells(gap, own.length),
        ...estimateCells(gain, own.length),
      ]);
    });
  }
  const fairnessTable: ReportTable = {
    id: "fairness",
    columns: [
      { key: "dimension", kind: "label" },
      { key: "group", kind: "label" },
      { key: "count", kind: "count" },
      { key: "predicted", kind: "rate" },
      { key: "realised", kind: "rate" },
      { key: "lower95", kind: "rate" },
      { key: "upper95", kind: "rate" },
      { key: "calibrationGap", kind: "rate" },
      { key: "lower95", kind: "rate" },
      { key: "upper95", kind: "rate" },
      { key: "realisedGain", kind: "rate" },
      { key: "lower95", kind: "rate" },
      { key: "upper95", kind: "rate" },
    ],
    rows: fairnessRows,
  };

  // Input drift: PSI of the decided clients' profiles against the training distributions.
  const distributions = reference?.distributions;
  const driftRows: Cell[][] = distributions
    ? catalogue.features.filter((f) => distributions[f.name]).map((f) => {
        const psi = populationStabilityIndex(
          distributions[f.name] as NonNullable<(typeof distributions)[string]>,
          records.map((r) => r.profile[f.name]),
        );
        return [f.name, suppressFigure(psi, N), psi > DRIFT_THRESHOLD ? "drift" : "stable"];
      })
    : [];
  const driftTable: ReportTable = {
    id: "drift",
    columns: [
      { key: "feature", kind: "label" },
      { key: "psi", kind: "number" },
      { key: "driftFlag", kind: "flag" },
    ],
    rows: driftRows,
  };

  const accuracyShown = outcomeTotalsShown && scored.length >= MIN_CELL;
  const accuracy = {
    count: accuracyShown ? scored.length : SUPPRESSED,
    predicted: accuracyShown ? scored.reduce((sum, r) => sum + (r.expected.get(r.chosenArm) as number), 0) / scored.length : SUPPRESSED,
    realised: accuracyShown ? scored.reduce((sum, r) => sum + r.work, 0) / scored.length : SUPPRESSED,
  };
  const teamTotals = linked.team.colTotals ?? [];
  const adoptionShown = visibleAll(teamTotals) && linked.team.total !== SUPPRESSED;
  return {
    suppressed: false,
    population: N,
    adoption: adoptionShown ? records.filter((r) => r.followed).length / N : SUPPRESSED,
    driftAvailable: distributions !== undefined,
    catalogue,
    accuracy,
    tables: {
      "adoption-team": adoptionTable("adoption-team", teams, teamCounts, linked.team),
      "adoption-period": adoptionTable("adoption-period", quarters, periodCounts, linked.period),
      "adoption-month": adoptionTable("adoption-month", months, monthCounts, linked.month),
      "outcome-month": outcomeMonthTable,
      "adoption-arm": adoptionTable("adoption-arm", adviceArms, armCounts, linked.arm),
      reasons: reasonsTable,
      followed: followedTable,
      calibration: calibrationTable,
      offpolicy: offPolicyTable,
      interventions: interventionsTable,
      fairness: fairnessTable,
      drift: driftTable,
    },
  };
}

function estimateColumns(label: string): Column[] {
  return [
    { key: label, kind: "label" },
    { key: "count", kind: "count" },
    { key: "workRate", kind: "rate" },
    { key: "lower95", kind: "rate" },
    { key: "upper95", kind: "rate" },
  ];
}

/**
 * Off-policy estimate of the work rate had every piece of advice been followed, against what happened.
 *
 * Estimator choice. The evaluated policy π(x) is the top-ranked arm that was shown; the logged
 * treatment A is the arm the case worker chose. The propensity stored with the shown
 * recommendation is the *historical* propensity p(a | x): how usual each arm was for clients like
 * this one before the tool (the model's propensity head). Used on its own as e(A | x) it ignores
 * that case workers who see the advice follow it far more often than history did, so 1 / p(π(x) | x)
 * over-weights followed cases (on the demo history plain IPW comes out above 1). We therefore model
 * the logging policy in the app as a mixture: with probability f_team the case worker follows the
 * advice, otherwise chooses as case workers historically did:
 *     e(a | x) = f_team · 1[a = π(x)] + (1 − f_team) · p(a | x),
 * with f_team estimated per team by moments from the team's adoption share and mean historical
 * propensity of the advised arm: f = (adoption − mean p(π(x) | x)) / (1 − mean p(π(x) | x)), clipped to [0, 1].
 * Reported: IPW (Horvitz–Thompson), self-normalised IPW (cancels a common scale error in the
 * weights) and doubly robust / AIPW with the shown expected chances as outcome model — consistent
 * when either the outcome model or the propensities are right; DR is the headline figure.
 * Logged probabilities: where the advice recorded how it was shown (the "keep effects measurable"
 * setting may vary which of several tied arms is shown first), the evaluated policy is the model's
 * own first arm and the indicator 1[a = π(x)] is replaced by the logged probability q(a | x) that a
 * was shown first: e(a | x) = f_team · q(a | x) + (1 − f_team) · p(a | x). Without variation q is
 * that indicator, so the figures are unchanged.
 * Intervals: 95% normal intervals from the influence function (model/metrics offPolicyValue); the
 * difference "DR − observed" is a paired mean of per-client contributions, so its interval accounts
 * for the shared clients. Propensities are clipped at 0.01 (offPolicyValue's default).
 */
function offPolicyRows(
  scored: readonly (Parsed & { work: number; expected: Map<string, number>; propensity: Map<string, number> })[],
  catalogueArms: readonly string[],
): Cell[][] {
  const usable = scored.filter((r) => r.topArm !== null && r.expected.has(r.topArm));
  const n = usable.length;
  if (n < MIN_CELL) {
    return ["observed", "ipw", "selfNormalisedIpw", "doublyRobust", "difference"].map((k) => [k, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]);
  }
  const arms = keysOf(
    usable.flatMap((r) => [...r.expected.keys()]),
    catalogueArms,
  );
  const index = new Map(arms.map((a, k) => [a, k]));
  const followShare = new Map<string, number>();
  for (const team of new Set(usable.map((r) => r.team))) {
    const own = usable.filter((r) => r.team === team);
    const adoption = own.filter((r) => r.followed).length / own.length;
    const usual = own.reduce((sum, r) => sum + (r.propensity.get(r.topArm as string) ?? 0), 0) / own.length;
    followShare.set(team, usual >= 1 ? 1 : Math.min(1, Math.max(0, (adoption - usual) / (1 - usual))));
  }
  const loggingPropensity = (r: (typeof usable)[number]) => {
    const f = followShare.get(r.team) ?? 0;
    const shownFirst = (a: string) => (r.shown ? (r.shown.probabilities.get(a) ?? 0) : a === r.topArm ? 1 : 0);
    return arms.map((a) => f * shownFirst(a) + (1 - f) * (r.propensity.get(a) ?? 0));
  };
  const evaluated = (r: (typeof usable)[number]) => (r.shown && index.has(r.shown.ranked) ? r.shown.ranked : (r.topArm as string));
  const input = {
    treatment: usable.map((r) => index.get(r.chosenArm) as number),
    outcome: usable.map((r) => r.work),
    policy: usable.map((r) => index.get(evaluated(r)) as number),
    propensity: usable.map(loggingPropensity),
    predicted: usable.map((r) => arms.map((a) => r.expected.get(a) ?? 0)),
  };
  const value = offPolicyValue(input);
  const observed = meanEstimate(input.outcome);
  // Paired difference: per-client DR contribution minus the observed outcome.
  const dr = input.treatment.map((arm, i) => {
    const row = input.predicted[i] as number[];
    const rec = input.policy[i] as number;
    const direct = row[rec] as number;
    if (arm !== rec) return direct;
    const e = Math.max((input.propensity[i] as number[])[arm] as number, 0.01);
    return direct + ((input.outcome[i] as number) - direct) / e;
  });
  const difference = meanEstimate(dr.map((v, i) => v - (input.outcome[i] as number)));
  const row = (key: string, e: Estimate | null): Cell[] => [key, n, ...estimateCells(e, n)];
  return [
    row("observed", observed),
    row("ipw", value.ipw),
    row("selfNormalisedIpw", value.selfNormalisedIpw),
    row("doublyRobust", value.doublyRobust),
    row("difference", difference),
  ];
}

/**
 * Dashboard filters: a fixed team only. There is no date selection: two overlapping date ranges
 * differ by a few people whose suppressed figures the difference would give away. Periods appear
 * as rows of the "adoption-period" table instead, suppressed together with their totals
 * (docs/decisions/005-differencing.md). Unknown parameters (an old `from` or `to`) are ignored.
 */
