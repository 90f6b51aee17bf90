import { z } from "zod";
import { type Encoder, UNKNOWN_LEVEL } from "../table/encoder.js";
import { type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * Aggregated reference statistics saved in the bundle: no record-level data, every
 * count covers at least MIN_CELL people (smaller counts are stored as null), spreads as
 * percentiles (never min/max, which are single people's values).
 */
export const MIN_CELL = 10;

const Count = z.number().int().min(MIN_CELL).nullable();
/**
 * A feature's training distribution: categorical (and binary) bins are sets of levels, numeric bins
 * are intervals (previous upper, upper]; the last bin's upper is null (no bound). Bins with fewer
 * than MIN_CELL people are merged into a neighbour, so every share covers at least MIN_CELL people.
 */
export const FeatureDistributionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("categorical"), bins: z.array(z.object({ levels: z.array(z.string()), share: z.number() })) }),
  z.object({ kind: z.literal("numeric"), bins: z.array(z.object({ upper: z.number().nullable(), share: z.number() })) }),
]);
export type FeatureDistribution = z.infer<typeof FeatureDistributionSchema>;
export const ReferenceStatsSchema = z.object({
  minCell: z.literal(MIN_CELL),
  rows: Count,
  arms: z.record(z.string(), Count),
  /** Observed mean outcome per arm (only when the arm count is shown). */
  outcomeMean: z.record(z.string(), z.number().nullable()),
  /** Features defining the coarse cells in which "comparable clients" are counted. */
  cellFeatures: z.array(z.string()),
  /** cell key (values of cellFeatures joined by "|") → arm → count (null when < MIN_CELL). */
  cells: z.record(z.string(), z.record(z.string(), Count)),
  /** Per arm and numeric feature: 10th, 50th and 90th percentile. */
  percentiles: z.record(z.string(), z.record(z.string(), z.object({ p10: z.number(), p50: z.number(), p90: z.number() }))),
  /** Per feature: the training distribution over bins of at least MIN_CELL people (for input drift). Absent in older bundles. */
  distributions: z.record(z.string(), FeatureDistributionSchema).optional(),
});
export type ReferenceStats = z.infer<typeof ReferenceStatsSchema>;

/** Preferred cell features for the re-integration table; other tables use their first coarse features. */
const PREFERRED_CELL_FEATURES = ["leeftijdsklasse", "problematische_schulden", "taaleis_voldaan"];

export function chooseCellFeatures(schema: TableSchema, encoder: Encoder): string[] {
  const names = new Set(schema.features.map((f) => f.name));
  const preferred = PREFERRED_CELL_FEATURES.filter((n) => names.has(n));
  if (preferred.length > 0) return preferred;
  const coarse = encoder.features.filter((f) => f.type === "binary" || (f.type === "categorical" && f.levels.length <= 6));
  return coarse.slice(0, 3).map((f) => f.name);
}

/** The coarse cell of a row: the values of the cell features, unseen or missing values as "unknown". */
export function cellKey(encoder: Encoder, cellFeatures: readonly string[], row: Row): string {
  return cellFeatures
    .map((name) => {
      const f = encoder.features.find((e) => e.name === name);
      const value = row[name];
      if (!f) return UNKNOWN_LEVEL;
      if (f.type === "categorical") {
        const text = value === null || value === undefined ? "" : String(value).trim();
        return f.levels.includes(text) ? text : UNKNOWN_LEVEL;
      }
      const v = toNumber(value);
      return v === null || Number.isNaN(v) ? UNKNOWN_LEVEL : String(v);
    })
    .join("|");
}

const suppress = (n: number): number | null => (n >= MIN_CELL ? n : null);

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  return a + ((sorted[hi] ?? a) - a) * (pos - lo);
}

export function computeReferenceStats(options: {
  schema: TableSchema;
  encoder: Encoder;
  rows: readonly Row[];
  treatment: Int32Array;
  outcome: Float32Array;
}): ReferenceStats {
  const { schema, encoder, rows, treatment, outcome } = options;
  const arms = schema.treatment.arms;
  const cellFeatures = chooseCellFeatures(schema, encoder);
  const armCounts = arms.map(() => 0);
  const outcomeSums = arms.map(() => 0);
  const cells = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const k = treatment[i] ?? 0;
    armCounts[k] = (armCounts[k] ?? 0) + 1;
    outcomeSums[k] = (outcomeSums[k] ?? 0) + (outcome[i] ?? 0);
    const key = cellKey(encoder, cellFeatures, row);
    let counts = cells.get(key);
    if (!counts) {
      counts = arms.map(() => 0);
      cells.set(key, counts);
    }
    counts[k] = (counts[k] ?? 0) + 1;
  });
  const percentiles: ReferenceStats["percentiles"] = {};
  arms.forEach((arm, k) => {
    if ((armCounts[k] ?? 0) < MIN_CELL) return;
    const perFeature: Record<string, { p10: number; p50: number; p90: number }> = {};
    for (const f of schema.features) {
      if (f.type !== "numeric") continue;
      const values: number[] = [];
      rows.forEach((row, i) => {
        if (treatment[i] !== k) return;
        const v = toNumber(row[f.name]);
        if (v !== null && !Number.isNaN(v)) values.push(v);
      });
      if (values.length < MIN_CELL) continue;
      const sorted = Float64Array.from(values).sort();
      perFeature[f.name] = { p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
    }
    percentiles[arm] = perFeature;
  });
  const cellRecord: ReferenceStats["cells"] = {};
  for (const [key, counts] of [...cells.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (counts.every((c) => c < MIN_CELL)) continue;
    cellRecord[key] = Object.fromEntries(arms.map((arm, k) => [arm, suppress(counts[k] ?? 0)]));
  }
  return {
    minCell: MIN_CELL,
    distributions: featureDistributions(schema, rows),
    rows: suppress(rows.length),
    arms: Object.fromEntries(arms.map((arm, k) => [arm, suppress(armCounts[k] ?? 0)])),
    outcomeMean: Object.fromEntries(
      arms.map((arm, k) => {
        const n = armCounts[k] ?? 0;
        return [arm, n >= MIN_CELL ? (outcomeSums[k] ?? 0) / n : null];
      }),
    ),
    cellFeatures,
    cells: cellRecord,
    percentiles,
  };
}

/** Comparable training clients in each arm for one client: the count in its coarse cell, null when < MIN_CELL. */
export function comparableClients(reference: ReferenceStats, encoder: Encoder, row: Row): Record<string, number | null> {
  const cell = reference.cells[cellKey(encoder, reference.cellFeatures, row)];
  return Object.fromEntries(Object.keys(reference.arms).map((arm) => [arm, cell?.[arm] ?? null]));
}

const levelOf = (value: unknown): string => (value === null || value === undefined ? "" : String(value).trim());

/** Training distributions of every feature, each bin covering at least MIN_CELL rows. */
export function featureDistributions(schema: TableSchema, rows: readonly Row[]): Record<string, FeatureDistribution> {
  const out: Record<string, FeatureDistribution> = {};
  if (rows.length < MIN_CELL) return out;
  for (const f of schema.features) {
    if (f.type === "numeric") {
      const values = rows.map((r) => toNumber(r[f.name])).filter((v): v is number => v !== null && !Number.isNaN(v));
      if (values.length < MIN_CELL) continue;
      const sorted = Float64Array.from(values).sort();
      const cuts = [...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => quantile(sorted, d / 10)))];
      const counts = new Array<number>(cuts.length + 1).fill(0);
      for (const v of sorted) {
        const k = cuts.findIndex((c) => v <= c);
        counts[k === -1 ? cuts.length : k] = (counts[k === -1 ? cuts.length : k] ?? 0) + 1;
      }
      // Merge left to right until each bin has at least MIN_CELL; a small remainder joins the last bin.
      const bins: { upper: number | null; count: number }[] = [];
      let pending = 0;
      counts.forEach((c, k) => {
        pending += c;
        if (pending >= MIN_CELL) {
          bins.push({ upper: k < cuts.length ? (cuts[k] as number) : null, count: pending });
          pending = 0;
        }
      });
      const last = bins[bins.length - 1];
      if (last) {
        last.count += pending;
        last.upper = null;
      }
      out[f.name] = { kind: "numeric", bins: bins.map((b) => ({ upper: b.upper, share: b.count / values.length })) };
    } else {
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(levelOf(r[f.name]), (counts.get(levelOf(r[f.name])) ?? 0) + 1);
      const large = [...counts.entries()].filter(([, c]) => c >= MIN_CELL).sort(([a], [b]) => a.localeCompare(b));
      const small = [...counts.entries()].filter(([, c]) => c < MIN_CELL);
      const bins = large.map(([level, c]) => ({ levels: [level], count: c }));
      const pooled = { levels: small.map(([l]) => l).sort(), count: small.reduce((s, [, c]) => s + c, 0) };
      if (pooled.count >= MIN_CELL) bins.push(pooled);
      else if (pooled.count > 0) {
        const smallest = bins.reduce<(typeof bins)[number] | undefined>((m, b) => (!m || b.count < m.count ? b : m), undefined);
        if (!smallest) continue;
        smallest.levels.push(...pooled.levels);
        smallest.count += pooled.count;
      }
      out[f.name] = { kind: "categorical", bins: bins.map((b) => ({ levels: b.levels, share: b.count / rows.length })) };
    }
  }
  return out;
}

/** Index of the reference bin a value falls in; -1 for a level the training data did not have. */
export function distributionBin(distribution: FeatureDistribution, value: unknown): number {
  if (distribution.kind === "categorical") {
    const level = levelOf(value);
    return distribution.bins.findIndex((b) => b.levels.includes(level));
  }
  const v = toNumber(value as Row[string]);
  if (v === null || Number.isNaN(v)) return -1;
  const k = distribution.bins.findIndex((b) => b.upper === null || v <= b.upper);
  return k === -1 ? distribution.bins.length - 1 : k;
}

/**
 * Population stability index of current values against a reference distribution:
 * Σ (current − reference) · ln(current / reference) over the reference bins plus one bin for values
 * the reference did not have; shares are floored at 0.0001 so an empty bin stays finite.
 * Rule of thumb: < 0.1 stable, 0.1–0.2 some shift, > 0.2 a shift worth investigating.
 */
export function populationStabilityIndex(distribution: FeatureDistribution, values: readonly unknown[]): number {
  const bins = distribution.bins.length;
  const current = new Array<number>(bins + 1).fill(0);
  for (const value of values) {
    const k = distributionBin(distribution, value);
    const idx = k === -1 ? bins : k;
    current[idx] = (current[idx] ?? 0) + 1;
  }
  const floor = 0.0001;
  let psi = 0;
  for (let k = 0; k <= bins; k++) {
    const expected = Math.max(k < bins ? (distribution.bins[k]?.share ?? 0) : 0, floor);
    const actual = Math.max(values.length > 0 ? (current[k] ?? 0) / values.length : 0, floor);
    psi += (actual - expected) * Math.log(actual / expected);
  }
  return psi;
}
