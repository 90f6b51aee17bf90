import { z } from "zod";
import type { Attribution } from "../explain/integrated-gradients.js";
import { type EnsemblePrediction, Z90 } from "../network/ensemble.js";
import { type DrLearnerState, DrLearnerStateSchema } from "./dr.js";
import type { Learner, LearnerKind } from "./learner.js";
import { type LinearLearnerState, LinearLearnerStateSchema } from "./linear.js";

/**
 * A stacked learner: a convex combination of learners, Σ_j w_j · learner_j, with weights w ≥ 0,
 * Σ w = 1 that minimise the cross-fitted DR loss of the combined gains on the training rows (see
 * select.ts). Learners that err in different places average part of their errors away; the
 * weights let the validation lean on whichever learner the data supports, without betting
 * everything on a winner whose lead is within the noise. The network's weights are in the bundle
 * anyway; the state holds the weights and the other parts' states.
 */
export const STACKABLE: readonly Exclude<LearnerKind, "stack">[] = ["network", "t-linear", "s-linear", "dr", "dr-trees"];
const StackableSchema = z.enum(STACKABLE as [Exclude<LearnerKind, "stack">, ...Exclude<LearnerKind, "stack">[]]);

export const StackLearnerStateSchema = z
  .object({
    kind: z.literal("stack"),
    outcomeType: z.enum(["binary", "continuous"]),
    arms: z.array(z.string()).min(2),
    control: z.string(),
    /** Per part, its weight (> 0; they sum to 1) and, for a learner other than the network, its state. */
    parts: z
      .array(
        z.object({
          kind: StackableSchema,
          weight: z.number().positive().max(1),
          state: z.union([LinearLearnerStateSchema, DrLearnerStateSchema]).nullable(),
        }),
      )
      .min(1),
  })
  .refine((s) => Math.abs(s.parts.reduce((sum, p) => sum + p.weight, 0) - 1) < 1e-6, { message: "stack weights must sum to 1" })
  .refine((s) => s.parts.every((p) => (p.kind === "network" ? p.state === null : p.state?.kind === p.kind)), {
    message: "a stack part's state must match its kind (none for the network)",
  });
export type StackLearnerState = z.infer<typeof StackLearnerStateSchema>;
export type StackPartState = LinearLearnerState | DrLearnerState;

/**
 * Weights w ≥ 0 with Σ w = 1 minimising Σ_rows Σ_arms≠control (target − Σ_j w_j gain_j)², exactly:
 * with few learners every support set is tried (equality-constrained least squares on it) and the
 * best feasible solution kept. `gains[j]` and `target` are n × K (the control column is skipped).
 */
export function stackWeights(options: { gains: readonly Float64Array[]; target: Float64Array; K: number; c: number }): number[] {
  const { gains, target, K, c } = options;
  const J = gains.length;
  const A = Array.from({ length: J }, () => new Float64Array(J));
  const b = new Float64Array(J);
  for (let o = 0; o < target.length; o++) {
    if (o % K === c) continue;
    const t = target[o] ?? 0;
    for (let j = 0; j < J; j++) {
      const gj = gains[j]?.[o] ?? 0;
      b[j] = (b[j] ?? 0) + t * gj;
      const row = A[j] as Float64Array;
      for (let l = j; l < J; l++) row[l] = (row[l] ?? 0) + gj * (gains[l]?.[o] ?? 0);
    }
  }
  for (let j = 0; j < J; j++) for (let l = 0; l < j; l++) (A[j] as Float64Array)[l] = (A[l] as Float64Array)[j] ?? 0;
  const objective = (w: readonly number[]) => {
    let v = 0;
    for (let j = 0; j < J; j++) {
      v -= 2 * (w[j] ?? 0) * (b[j] ?? 0);
      for (let l = 0; l < J; l++) v += (w[j] ?? 0) * (w[l] ?? 0) * ((A[j] as Float64Array)[l] ?? 0);
    }
    return v;
  };
  let best: number[] = Array.from({ length: J }, (_, j) => (j === 0 ? 1 : 0));
  let bestValue = objective(best);
  for (let mask = 1; mask < 1 << J; mask++) {
    const support = Array.from({ length: J }, (_, j) => j).filter((j) => mask & (1 << j));
    const w = constrainedLeastSquares(A, b, support);
    if (!w || w.some((v) => v < -1e-12)) continue;
    const full = Array.from({ length: J }, (_, j) => Math.max(0, w[support.indexOf(j)] ?? 0));
    const value = objective(full);
    if (value < bestValue - 1e-15) {
      best = full;
      bestValue = value;
    }
  }
  const total = best.reduce((s, v) => s + v, 0);
  return best.map((v) => v / total);
}

/** Minimises wᵀAw − 2bᵀw over the support with Σ w = 1 (KKT system), null when singular. */
function constrainedLeastSquares(A: readonly Float64Array[], b: Float64Array, support: readonly number[]): number[] | null {
  const m = support.length;
  // [2A_S 1; 1ᵀ 0] [w; λ] = [2b_S; 1]
  const size = m + 1;
  const M: Float64Array[] = Array.from({ length: size }, () => new Float64Array(size + 1));
  support.forEach((j, r) => {
    const row = M[r] as Float64Array;
    support.forEach((l, s) => {
      row[s] = 2 * ((A[j] as Float64Array)[l] ?? 0);
    });
    row[m] = 1;
    row[size] = 2 * (b[j] ?? 0);
  });
  const last = M[m] as Float64Array;
  for (let s = 0; s < m; s++) last[s] = 1;
  last[size] = 1;
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs((M[r] as Float64Array)[col] ?? 0) > Math.abs((M[pivot] as Float64Array)[col] ?? 0)) pivot = r;
    const p = M[pivot] as Float64Array;
    if (Math.abs(p[col] ?? 0) < 1e-14) return null;
    M[pivot] = M[col] as Float64Array;
    M[col] = p;
    const pr = M[col] as Float64Array;
    for (let r = 0; r < size; r++) {
      if (r === col) continue;
      const row = M[r] as Float64Array;
      const f = (row[col] ?? 0) / (pr[col] ?? 1);
      if (f === 0) continue;
      for (let k = col; k <= size; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return support.map((_, r) => ((M[r] as Float64Array)[size] ?? 0) / ((M[r] as Float64Array)[r] ?? 1));
}

/** The stack behind the learner interface, from its parts (already restored learners, in the state's order). */
export function stackLearner(state: StackLearnerState, parts: readonly Learner[]): Learner {
  const weights = state.parts.map((p) => p.weight);
  const binary = state.outcomeType === "binary";
  const [lo, hi] = binary ? [0, 1] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  return {
    kind: "stack",
    arms: state.arms,
    control: state.control,
    outcomeType: state.outcomeType,
    predict: (x, n) => {
      const predictions = parts.map((part) => part.predict(x, n));
      const size = n * state.arms.length;
      const out: EnsemblePrediction = {
        n,
        arms: state.arms,
        mean: new Float32Array(size),
        lower: new Float32Array(size),
        upper: new Float32Array(size),
        gain: new Float32Array(size),
        gainLower: new Float32Array(size),
        gainUpper: new Float32Array(size),
        propensity: new Float32Array(size),
      };
      // Mean and gain: the weighted means. Interval: the parts' weighted half-widths around them
      // (each part's sampling uncertainty, as if their errors moved together), widened by how far
      // the parts disagree: half-width √(h² + z²·Σ w_j (m_j − m)²), the between-model variance
      // of model averaging (Hoeting et al. 1999). The parts' bootstrap intervals only see
      // sampling noise; where learners fitted to the same rows disagree, the data leave the
      // answer open, and the interval says so. Propensity: the weighted mean (still sums to 1).
      for (let o = 0; o < size; o++) {
        let mean = 0;
        let below = 0;
        let above = 0;
        let gain = 0;
        let gainBelow = 0;
        let gainAbove = 0;
        let propensity = 0;
        predictions.forEach((p, j) => {
          const w = weights[j] ?? 0;
          mean += w * (p.mean[o] ?? 0);
          below += w * ((p.mean[o] ?? 0) - (p.lower[o] ?? 0));
          above += w * ((p.upper[o] ?? 0) - (p.mean[o] ?? 0));
          gain += w * (p.gain[o] ?? 0);
          gainBelow += w * ((p.gain[o] ?? 0) - (p.gainLower[o] ?? 0));
          gainAbove += w * ((p.gainUpper[o] ?? 0) - (p.gain[o] ?? 0));
          propensity += w * (p.propensity[o] ?? 0);
        });
        let meanSpread = 0;
        let gainSpread = 0;
        predictions.forEach((p, j) => {
          const w = weights[j] ?? 0;
          meanSpread += w * ((p.mean[o] ?? 0) - mean) ** 2;
          gainSpread += w * ((p.gain[o] ?? 0) - gain) ** 2;
        });
        out.mean[o] = mean;
        out.lower[o] = Math.max(lo, mean - widen(below, meanSpread));
        out.upper[o] = Math.min(hi, mean + widen(above, meanSpread));
        out.gain[o] = gain;
        out.gainLower[o] = Math.max(-hi, gain - widen(gainBelow, gainSpread));
        out.gainUpper[o] = Math.min(hi, gain + widen(gainAbove, gainSpread));
        out.propensity[o] = propensity;
      }
      return out;
    },
    // Integrated gradients are linear in the model: the stack's attributions are the weighted sums of its parts'.
    attribute: (x, n, options = {}) => {
      const each = parts.map((part) => part.attribute(x, n, options));
      return Array.from({ length: n }, (_, i) => combineAttributions(each.map((a) => a[i] as Attribution), weights));
    },
  };
}

/** A part's weighted half-width widened by the parts' weighted spread around their mean (model averaging's between-model variance). */
function widen(half: number, spread: number): number {
  return Math.sqrt(half * half + Z90 * Z90 * spread);
}

function combineAttributions(parts: readonly Attribution[], weights: readonly number[]): Attribution {
  const out: Attribution = { chance: {}, gain: {}, baselineExpected: {} };
  parts.forEach((part, j) => {
    const w = weights[j] ?? 0;
    for (const key of ["chance", "gain"] as const) {
      for (const [arm, groups] of Object.entries(part[key])) {
        const target = out[key][arm] ?? {};
        for (const [group, value] of Object.entries(groups)) target[group] = (target[group] ?? 0) + w * value;
        out[key][arm] = target;
      }
    }
    for (const [arm, value] of Object.entries(part.baselineExpected)) out.baselineExpected[arm] = (out.baselineExpected[arm] ?? 0) + w * value;
  });
  return out;
}
