import { createRandom, shuffleInPlace } from "../random.js";
import type { Encoder } from "../table/encoder.js";
import { ESTIMATE_MEMBER, type TrainingData } from "./learner.js";
import { fitLinearLearner, linearMemberValue, linearPropensity } from "./linear.js";

/**
 * Cross-fitting: each row's nuisance estimates (expected outcome under every arm, propensity of
 * every arm) come from models fitted without that row's fold, so that the doubly robust
 * pseudo-outcomes built from them are honest on every row.
 */

/** Fold of each row (0..folds−1), stratified by arm, seeded. */
export function assignFolds(treatment: Int32Array, arms: number, folds: number, seed: number): Int32Array {
  const fold = new Int32Array(treatment.length);
  const random = createRandom(seed * 13 + 5);
  for (let k = 0; k < arms; k++) {
    const rows = Int32Array.from(Array.from(treatment).flatMap((t, i) => (t === k ? [i] : [])));
    shuffleInPlace(rows, random).forEach((row, j) => {
      fold[row] = j % folds;
    });
  }
  return fold;
}

/** Rows of `rows` in fold f (held out) and the others (to fit on). */
export function splitFold(rows: Int32Array, fold: Int32Array, f: number): { fit: Int32Array; held: Int32Array } {
  return { fit: rows.filter((i) => fold[i] !== f), held: rows.filter((i) => fold[i] === f) };
}

/** Smallest propensity a pseudo-outcome divides by: keeps one rare row from dominating. */
export const PROPENSITY_FLOOR = 0.02;

export type Nuisance = {
  /** n × K expected outcome under every arm (only `rows` are filled). */
  mu: Float64Array;
  /** n × K propensity (only `rows` are filled). */
  propensity: Float64Array;
};

/**
 * Cross-fitted nuisance on `rows`: a t-linear (or s-linear) outcome learner (one member) and one-vs-rest
 * logistic propensities, each fitted on the other folds.
 */
export function crossFitNuisance(
  data: TrainingData,
  options: {
    rows: Int32Array;
    folds: number;
    seed: number;
    arms: string[];
    control: string;
    outcomeType: "binary" | "continuous";
    encoder: Encoder;
    /** The outcome model's learner (default t-linear). */
    baseKind?: "t-linear" | "s-linear";
  },
): Nuisance {
  const n = data.treatment.length;
  const K = options.arms.length;
  const mu = new Float64Array(n * K);
  const propensity = new Float64Array(n * K);
  const fold = assignFolds(data.treatment, K, options.folds, options.seed);
  for (let f = 0; f < options.folds; f++) {
    const { fit, held } = splitFold(options.rows, fold, f);
    if (held.length === 0) continue;
    const state = fitLinearLearner(data, {
      kind: options.baseKind ?? "t-linear",
      arms: options.arms,
      control: options.control,
      outcomeType: options.outcomeType,
      encoder: options.encoder,
      rows: fit,
      members: 1,
    });
    const x = gatherRows(data.x, data.inputs, held);
    const values = linearMemberValue(state, x, held.length, ESTIMATE_MEMBER);
    const e = linearPropensity(state.propensity, x, held.length, data.inputs, K);
    held.forEach((row, j) => {
      for (let k = 0; k < K; k++) {
        mu[row * K + k] = values[j * K + k] ?? 0;
        propensity[row * K + k] = e[j * K + k] ?? 0;
      }
    });
  }
  return { mu, propensity };
}

/** Row-major copy of the given rows of x (width `inputs`). */
export function gatherRows(x: Float32Array, inputs: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * inputs);
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j] as number;
    out.set(x.subarray(i * inputs, (i + 1) * inputs), j * inputs);
  }
  return out;
}

/**
 * Doubly robust (AIPW) pseudo-outcome of every arm per row: Γ_k = μ_k + 1[T = k] (Y − μ_k) / e_k,
 * whose mean over rows estimates the average outcome under arm k, and whose differences are the
 * DR-learner's targets. n × K; rows not in `rows` stay 0.
 */
export function pseudoOutcomes(data: TrainingData, nuisance: Nuisance, rows: Int32Array, K: number): Float64Array {
  const out = new Float64Array(data.treatment.length * K);
  for (const i of rows) {
    const t = data.treatment[i] ?? 0;
    const y = data.outcome[i] ?? 0;
    for (let k = 0; k < K; k++) {
      const mu = nuisance.mu[i * K + k] ?? 0;
      out[i * K + k] = k === t ? mu + (y - mu) / Math.max(PROPENSITY_FLOOR, nuisance.propensity[i * K + k] ?? 0) : mu;
    }
  }
  return out;
}
