import type { Attribution } from "../explain/integrated-gradients.js";
import { type EnsemblePrediction, intervalMultiplier, setPredictionCell } from "../network/ensemble.js";
import type { Encoder } from "../table/encoder.js";
import type { LearnerKind } from "./kinds.js";

export { LEARNER_CHOICES, LEARNER_KINDS, type LearnerKind } from "./kinds.js";

/**
 * One interface for every learner a bundle can hold. A learner predicts, for n encoded rows
 * (row-major n × encoder.width), every arm's expected outcome with its 80% interval, the gain over
 * the control arm with its interval, and the propensity; and it explains one client's expected
 * outcomes and gains by feature group (the same `Attribution` the network's integrated gradients
 * give). The recommend path, what-ifs, overlap and low-evidence rules only use these two functions,
 * so they work for every learner.
 */

export type Learner = {
  kind: LearnerKind;
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  predict: (x: Float32Array, n: number) => EnsemblePrediction;
  /** Grouped attributions per client (x holds n encoded rows). */
  attribute: (x: Float32Array, n: number, options?: { steps?: number }) => Attribution[];
};

/** Training rows as the learners see them: encoded features, arm index and outcome per row. */
export type TrainingData = {
  x: Float32Array;
  /** Encoded width. */
  inputs: number;
  treatment: Int32Array;
  outcome: Float32Array;
};

/**
 * Summarises per-member expected outcomes (each n × K, row-major) into the ensemble prediction:
 * the estimate (member ESTIMATE_MEMBER, not the members' mean) with an 80% interval of the members'
 * spread around it (Student's t, as the network's), and the gain over control likewise.
 */
export function summariseMembers(options: {
  members: readonly Float64Array[];
  propensity: Float64Array;
  n: number;
  arms: string[];
  control: string;
  binary: boolean;
}): EnsemblePrediction {
  const { members, n, arms, binary } = options;
  const K = arms.length;
  const M = members.length;
  const c = arms.indexOf(options.control);
  const centre = members[ESTIMATE_MEMBER] as Float64Array;
  const half = intervalMultiplier(M, { bootstrap: "resample", bootstrapConcentration: 1 });
  const [lo, hi] = binary ? [0, 1] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const out: EnsemblePrediction = {
    n,
    arms,
    mean: new Float32Array(n * K),
    lower: new Float32Array(n * K),
    upper: new Float32Array(n * K),
    gain: new Float32Array(n * K),
    gainLower: new Float32Array(n * K),
    gainUpper: new Float32Array(n * K),
    propensity: Float32Array.from(options.propensity),
  };
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const o = i * K + k;
      let sum = 0;
      let gsum = 0;
      for (const m of members) {
        sum += m[o] ?? 0;
        gsum += (m[o] ?? 0) - (m[i * K + c] ?? 0);
      }
      const mean = sum / M;
      const gain = gsum / M;
      let ss = 0;
      let gss = 0;
      for (const m of members) {
        ss += ((m[o] ?? 0) - mean) ** 2;
        gss += ((m[o] ?? 0) - (m[i * K + c] ?? 0) - gain) ** 2;
      }
      const sd = M > 1 ? Math.sqrt(ss / (M - 1)) : 0;
      const gsd = M > 1 ? Math.sqrt(gss / (M - 1)) : 0;
      const value = centre[o] ?? 0;
      const valueGain = value - (centre[i * K + c] ?? 0);
      setPredictionCell(out, o, value, valueGain, half * sd, half * gsd, lo, hi);
    }
  }
  return out;
}

/**
 * Integrated gradients for a learner given as a plain function of encoded rows (the linear and DR
 * learners): the straight path from the mean training client to the client, `steps` midpoints,
 * and at each the directional derivative along each feature group's part of the path: the
 * learner's exact input gradient times the path's step, summed over the group's columns (one
 * gradient per midpoint). The group attributions sum to expected − expected at the baseline, up to
 * the midpoint rule's error, as the network's do.
 */
export function numericIntegratedGradients(options: {
  expected: (x: Float32Array, n: number) => Float64Array;
  /** Input gradient of every arm's expected outcome at m rows (m × K × D, row-major). */
  gradient: (x: Float32Array, m: number) => Float64Array;
  encoder: Encoder;
  arms: string[];
  control: string;
  x: Float32Array;
  n: number;
  steps?: number;
}): Attribution[] {
  const { encoder, arms, n } = options;
  const D = encoder.width;
  const K = arms.length;
  const c = arms.indexOf(options.control);
  const steps = options.steps ?? 6;
  const groups = [...new Set(encoder.features.map((f) => f.group))];
  const groupOfColumn = Array.from({ length: D }, (_, col) => groups.indexOf(encoder.features[encoder.columnFeature[col] ?? 0]?.group ?? ""));
  const G = groups.length;
  const base = Float32Array.from(encoder.baseline);
  const atBase = options.expected(base, 1);
  const baselineExpected = Object.fromEntries(arms.map((arm, k) => [arm, atBase[k] ?? 0]));
  const path = { x: options.x, n, base, steps, groupOfColumn, G, K };
  // Per client, arm and group: the attribution (n × K × G).
  const sums = pathGradients(path, options.gradient);
  return Array.from({ length: n }, (_, i) => {
    const chance: Attribution["chance"] = {};
    const gain: Attribution["gain"] = {};
    arms.forEach((arm, k) => {
      const own: Record<string, number> = {};
      const vsControl: Record<string, number> = {};
      groups.forEach((group, g) => {
        const value = sums[(i * K + k) * G + g] ?? 0;
        own[group] = value;
        vsControl[group] = k === c ? 0 : value - (sums[(i * K + c) * G + g] ?? 0);
      });
      chance[arm] = own;
      gain[arm] = vsControl;
    });
    return { chance, gain, baselineExpected: { ...baselineExpected } };
  });
}

type PathSetup = { x: Float32Array; n: number; base: Float32Array; steps: number; groupOfColumn: number[]; G: number; K: number };

/** Σ over the midpoints of gradient · step, by group, / steps (n × K × G). */
function pathGradients(path: PathSetup, gradient: (x: Float32Array, m: number) => Float64Array): Float64Array {
  const { x, n, base, steps, groupOfColumn, G, K } = path;
  const D = base.length;
  const points = new Float32Array(n * steps * D);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < steps; s++) {
      const alpha = (s + 0.5) / steps;
      const p = (i * steps + s) * D;
      for (let j = 0; j < D; j++) points[p + j] = (base[j] as number) + alpha * ((x[i * D + j] as number) - (base[j] as number));
    }
  }
  const grad = gradient(points, n * steps);
  const sums = new Float64Array(n * K * G);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < steps; s++) {
      for (let k = 0; k < K; k++) {
        const o = ((i * steps + s) * K + k) * D;
        const out = (i * K + k) * G;
        for (let j = 0; j < D; j++) {
          const g = groupOfColumn[j] as number;
          sums[out + g] = (sums[out + g] as number) + ((grad[o + j] as number) * ((x[i * D + j] as number) - (base[j] as number))) / steps;
        }
      }
    }
  }
  return sums;
}

/**
 * The rule for the linear and DR learners' members: member 0 is the fit on all rows, the estimate
 * (what the validation scores); the others are refits on bootstrap samples, whose spread is only
 * the interval. Their mean is not the estimate: on small or heavy-tailed tables it moved the
 * estimate by the bootstrap's own noise (README, "Causal quality on the generator").
 */
export const ESTIMATE_MEMBER = 0;

