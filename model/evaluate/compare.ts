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

export type ModelComparison = { rows: number; replicates: number; seed: number; metrics: MetricComparison[] };

export type CompareOptions = { replicates?: number; seed?: number; clip?: number };

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
  }
  const diff = drc.map((c, i) => c - (dra[i] as number));
  metrics.push({
    metric: "policyValueDr",
    better: "higher",
    candidate: mean(drc),
    active: mean(dra),
    difference: bootstrapMean(diff, { replicates, seed }),
  });
  return { rows: n, replicates, seed, metrics };
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
