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
