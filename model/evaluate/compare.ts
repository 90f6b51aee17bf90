import { ModelError } from "../errors.js";
import {
  argmaxRows,
  auc,
  bootstrap,
  bootstrapMean,
  brierScore,
  doublyRobustContributions,
  type Estimate,
  expectedCalibrationError,
  mean,
} from "../metrics/index.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { type ArmPredictions, readLogged } from "./evaluate.js";

/**
 * A candidate model against the active one on the same labelled table: factual AUC, Brier score
 * and ECE (pooled over arms, each row scored on its observed arm) and the doubly robust policy value
 * of each model's recommendation, with a paired bootstrap (same resampled rows for both models)
 * giving 95% intervals on the difference candidate − active.
 */
export const COMPARED_METRICS = ["auc", "brier", "ece", "policyValueDr"] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

export type MetricComparison = {
  metric: ComparedMetric;
  /** Which direction is better. */
  better: "higher" | "lower";
  candidate: number | null;
  active: number | null;
  /** candidate − active, with bootstrap intervals; null when the metric is undefined (e.g. one class only). */
  difference: Estimate | null;
};

/** The verdict in words, on the policy value (the expected outcome when each model's advice is followed). */
export type Verdict = "better" | "indistinguishable" | "worse";

/** One slice of the table (an observed trajectory, or a group of an audit column); figures are null below MIN_SLICE rows. */
export type SliceComparison = {
  key: string;
  /** Rows in the slice; null when fewer than MIN_SLICE (the slice is then suppressed). */
  rows: number | null;
  /** Policy value (DR) difference candidate − active in this slice. */
  policyValueDifference: number | null;
  /** Share of the slice whose top advice differs between the two models. */
  adviceChanged: number | null;
  /** Factual AUC of each model on the slice (trajectories only; null where undefined). */
  aucCandidate: number | null;
  aucActive: number | null;
};

export type ModelComparison = {
  rows: number;
  replicates: number;
  seed: number;
  metrics: MetricComparison[];
  verdict: Verdict;
  /** Share of rows whose top advice would change from the active model's to the candidate's. */
  adviceChanged: number;
  perArm: SliceComparison[];
  perGroup: { column: string; groups: SliceComparison[] }[];
};

/** Slices with fewer rows are suppressed (the same ≥10 rule as every aggregate shown). */
export const MIN_SLICE = 10;

export type CompareProgress = { step: number; steps: number };
export type CompareOptions = { replicates?: number; seed?: number; clip?: number; onProgress?: (progress: CompareProgress) => void };

/** better when the whole 95% interval of the difference is above 0, worse when below, else not distinguishable. */
export function verdictOf(difference: Estimate | null): Verdict {
  if (!difference) return "indistinguishable";
  if (difference.lower95 > 0) return "better";
  if (difference.upper95 < 0) return "worse";
  return "indistinguishable";
}

const nan = (v: number | null): number => (v === null ? Number.NaN : v);

export function compareModels(input: {
  schema: TableSchema;
  rows: readonly Row[];
  candidate: ArmPredictions;
  active: ArmPredictions;
  options?: CompareOptions;
}): ModelComparison {
  const { schema, rows } = input;
  if (rows.length === 0) throw new ModelError("the comparison table is empty");
  if (schema.outcome.type !== "binary") throw new ModelError("comparison needs a binary outcome (AUC, Brier score, ECE)");
  const replicates = input.options?.replicates ?? 500;
  const seed = input.options?.seed ?? 1;
  const clip = input.options?.clip ?? 0.01;
  const logged = readLogged(schema, rows);
  const n = rows.length;
  const K = schema.treatment.arms.length;
  for (const [name, p] of [
    ["candidate", input.candidate],
    ["active", input.active],
  ] as const) {
    if (p.expected.length !== n || p.propensity.length !== n || p.expected.some((r) => r.length !== K)) {
      throw new ModelError(`${name}: expected ${n} rows × ${K} arms`);
    }
  }
  const factual = (p: ArmPredictions) => Float64Array.from(logged.treatment, (t, i) => p.expected[i]?.[t] ?? Number.NaN);
  const dr = (p: ArmPredictions) =>
    doublyRobustContributions({
      treatment: logged.treatment,
      outcome: logged.outcome,
      propensity: p.propensity,
      policy: p.rec ? [...p.rec] : argmaxRows(p.expected),
      predicted: p.expected,
      clip,
    });
  const fc = factual(input.candidate);
  const fa = factual(input.active);
  const y = Float64Array.from(logged.outcome);
  const drc = dr(input.candidate);
  const dra = dr(input.active);

  const subset = (values: Float64Array, indices: Int32Array): Float64Array => Float64Array.from(indices, (i) => values[i] as number);
  const scorers: Record<Exclude<ComparedMetric, "policyValueDr">, (p: Float64Array, o: Float64Array) => number | null> = {
    auc: (p, o) => auc(p, o),
    brier: (p, o) => brierScore(p, o),
    ece: (p, o) => expectedCalibrationError(p, o),
  };
  const metrics: MetricComparison[] = [];
  const steps = 5;
  let step = 0;
  const progress = () => input.options?.onProgress?.({ step: ++step, steps });
  for (const metric of ["auc", "brier", "ece"] as const) {
    const score = scorers[metric];
    const candidate = score(fc, y);
    const active = score(fa, y);
    let difference: Estimate | null = null;
    if (candidate !== null && active !== null) {
      // Same seed for every metric: each replicate resamples the same rows for both models (paired).
      difference = bootstrap({
        n,
        replicates,
        seed,
        statistic: (indices) => {
          const o = subset(y, indices);
          return nan(score(subset(fc, indices), o)) - nan(score(subset(fa, indices), o));
        },
      });
      if (!Number.isFinite(difference.lower95) || !Number.isFinite(difference.upper95)) {
        // A resample with one class only leaves AUC undefined: drop those replicates by retrying with the finite ones.
        difference = finiteBootstrap({ n, replicates, seed, statistic: (indices) => {
          const o = subset(y, indices);
          return nan(score(subset(fc, indices), o)) - nan(score(subset(fa, indices), o));
        } });
      }
    }
    metrics.push({ metric, better: metric === "auc" ? "higher" : "lower", candidate, active, difference });
    progress();
  }
  const diff = drc.map((c, i) => c - (dra[i] as number));
  const policyDifference = bootstrapMean(diff, { replicates, seed });
  metrics.push({ metric: "policyValueDr", better: "higher", candidate: mean(drc), active: mean(dra), difference: policyDifference });
  progress();
  const recC = input.candidate.rec ? [...input.candidate.rec] : argmaxRows(input.candidate.expected);
  const recA = input.active.rec ? [...input.active.rec] : argmaxRows(input.active.expected);
  const changed = recC.map((c, i) => (c === recA[i] ? 0 : 1));
  const slice = (key: string, indices: number[], withAuc: boolean): SliceComparison => {
    if (indices.length < MIN_SLICE) return { key, rows: null, policyValueDifference: null, adviceChanged: null, aucCandidate: null, aucActive: null };
    const idx = Int32Array.from(indices);
    const o = subset(y, idx);
    return {
      key,
      rows: indices.length,
      policyValueDifference: indices.reduce((s, i) => s + (diff[i] as number), 0) / indices.length,
      adviceChanged: indices.reduce((s, i) => s + (changed[i] as number), 0) / indices.length,
      aucCandidate: withAuc ? auc(subset(fc, idx), o) : null,
      aucActive: withAuc ? auc(subset(fa, idx), o) : null,
    };
  };
  const perArm = schema.treatment.arms.map((arm, a) =>
    slice(
      arm,
      logged.treatment.flatMap((t, i) => (t === a ? [i] : [])),
      true,
    ),
  );
  const perGroup = (schema.audit ?? []).map((column) => {
    const byValue = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const value = String(row[column] ?? "").trim() || "?";
      byValue.set(value, [...(byValue.get(value) ?? []), i]);
    });
    return {
      column,
      groups: [...byValue.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([value, indices]) => slice(value, indices, false)),
    };
  });
  progress();
  return {
    rows: n,
    replicates,
    seed,
    metrics,
    verdict: verdictOf(policyDifference),
    adviceChanged: changed.reduce((s: number, v) => s + v, 0) / n,
    perArm,
    perGroup,
  };
}

/** Percentile bootstrap over the replicates whose statistic is finite. */
function finiteBootstrap(options: { n: number; replicates: number; seed: number; statistic: (indices: Int32Array) => number }): Estimate | null {
  const values: number[] = [];
  let calls = 0;
  const base = bootstrap({
    ...options,
    statistic: (indices) => {
      const v = options.statistic(indices);
      // The first call is the statistic on the original rows, not a replicate.
      if (calls++ > 0 && Number.isFinite(v)) values.push(v);
      return v;
    },
  });
  if (values.length < 2 || !Number.isFinite(base.value)) return null;
  values.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (values.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, values.length - 1);
    return (values[lo] as number) + (h - lo) * ((values[hi] as number) - (values[lo] as number));
  };
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const se = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
  return { value: base.value, se, lower80: q(0.1), upper80: q(0.9), lower95: q(0.025), upper95: q(0.975) };
}
