import { z } from "zod";
import type { Attribution } from "../explain/integrated-gradients.js";
import type { Learner } from "./learner.js";

/**
 * Empirical-Bayes shrinkage of the arms' average gains. Every learner's average gain of an arm
 * follows the training sample's luck with that arm: on the generator's seed 5 the rows of
 * loonkostensubsidie did 1.8 points better than their true chances, every learner put its average
 * gain near 0.055 against a true 0.029, and the advice sent two or three times as many clients to
 * it as the oracle would (README, "Causal quality on the generator"). With several arms, how far
 * their averages spread beyond their noise says how much of an arm's lead is real (James and
 * Stein; Efron and Morris): each arm's deviation from the arms' common mean is shrunk by
 * B = v / (v + τ²), with v the noise variance of that deviation and τ² the spread of the true
 * deviations, estimated by the method of moments. The learner's gains of that arm move by the same
 * share of its own deviation, for every client alike: the ranking within an arm stays, the arms'
 * levels come closer where the data cannot tell them apart.
 *
 * The averages are the doubly robust (AIPW) means of the cross-fitted pseudo-outcome differences
 * Γ_k − Γ_control of the validation (select.ts), and v the variance of the per-row deviation from
 * that row's mean over the arms (so the control arm's own noise, shared by every gain, cancels).
 * With fewer than MIN_SHRINK_ARMS arms beside the control there is no spread to learn from, and
 * nothing is shrunk.
 */
export const MIN_SHRINK_ARMS = 3;

export const ArmShrinkageSchema = z.object({
  /** τ: the standard deviation of the arms' true deviations from their common mean (estimated). */
  spread: z.number().min(0),
  /** The arms' common mean gain over the control arm. */
  commonGain: z.number(),
  arms: z.array(
    z.object({
      arm: z.string(),
      /** AIPW average gain over the control arm on the training rows, and its standard error. */
      averageGain: z.number(),
      standardError: z.number().min(0),
      /** Share of the deviation from the common mean that is taken away (B). */
      shrink: z.number().min(0).max(1),
      /** The learner's own average gain (its out-of-fold predictions in the validation), before the offset. */
      learnerGain: z.number(),
      /** What every client's gain of this arm moves by. */
      offset: z.number(),
    }),
  ),
});
export type ArmShrinkage = z.infer<typeof ArmShrinkageSchema>;

/**
 * The shrinkage from the pseudo-outcomes (n × K) and the learner's out-of-fold expected outcomes
 * (n × K, default: the pseudo-outcomes' averages); null with too few arms beside the control. B
 * comes from the pseudo-outcomes (how noisy each arm's deviation is against how far the arms
 * spread); it is applied to the learner's own deviation of each arm from its arms' common mean,
 * centred so the offsets sum to zero: a learner whose averages follow the pseudo-outcomes' is moved
 * as the AIPW averages are shrunk, one that already shrinks (an early-stopped network on a small
 * table) is moved only in proportion to what it keeps and never out again (a learner moved toward
 * the AIPW averages instead would take on their noise), and the learner's common level against the
 * control arm stays its own.
 */
export function armShrinkage(options: { gamma: Float64Array; arms: readonly string[]; control: string; predicted?: Float64Array }): ArmShrinkage | null {
  const { gamma, arms } = options;
  const K = arms.length;
  const c = arms.indexOf(options.control);
  const n = Math.floor(gamma.length / K);
  const effect = arms.flatMap((_, k) => (k === c ? [] : [k]));
  const p = effect.length;
  if (p < MIN_SHRINK_ARMS || n < 2) return null;
  const difference = (i: number, k: number) => (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0);
  const moments = effect.map(() => ({ gain: 0, gainSquares: 0, deviation: 0, deviationSquares: 0 }));
  for (let i = 0; i < n; i++) {
    let rowMean = 0;
    for (const k of effect) rowMean += difference(i, k) / p;
    effect.forEach((k, a) => {
      const m = moments[a] as (typeof moments)[number];
      const d = difference(i, k);
      m.gain += d;
      m.gainSquares += d * d;
      m.deviation += d - rowMean;
      m.deviationSquares += (d - rowMean) ** 2;
    });
  }
  // Mean over rows and the variance of that mean.
  const meanAndVariance = (sum: number, squares: number) => {
    const mean = sum / n;
    return { mean, variance: Math.max(0, squares / n - mean * mean) * (n / (n - 1)) / n };
  };
  const gains = moments.map((m) => meanAndVariance(m.gain, m.gainSquares));
  const deviations = moments.map((m) => meanAndVariance(m.deviation, m.deviationSquares));
  const observedSpread = deviations.reduce((s, d) => s + d.mean ** 2, 0) / (p - 1);
  const noise = deviations.reduce((s, d) => s + d.variance, 0) / p;
  const tau2 = Math.max(0, observedSpread - noise);
  const commonGain = gains.reduce((s, g) => s + g.mean, 0) / p;
  const learnerGains = options.predicted ? averageGains(options.predicted, K, c, effect) : gains.map((g) => g.mean);
  const learnerCommon = learnerGains.reduce((s, g) => s + g, 0) / p;
  const shrinks = deviations.map((d) => (d.variance + tau2 > 0 ? d.variance / (d.variance + tau2) : 0));
  const taken = shrinks.map((b, a) => b * ((learnerGains[a] ?? 0) - learnerCommon));
  const takenMean = taken.reduce((s, v) => s + v, 0) / p;
  return {
    spread: Math.sqrt(tau2),
    commonGain,
    arms: effect.map((k, a) => {
      const g = gains[a] as { mean: number; variance: number };
      const learnerGain = learnerGains[a] ?? 0;
      const offset = takenMean - (taken[a] ?? 0);
      const shrink = shrinks[a] ?? 0;
      return { arm: arms[k] as string, averageGain: g.mean, standardError: Math.sqrt(g.variance), shrink, learnerGain, offset };
    }),
  };
}

/** Per arm in `effect`, the mean over rows of expected outcome minus the control arm's (values n × K). */
function averageGains(values: Float64Array, K: number, c: number, effect: readonly number[]): number[] {
  const n = Math.floor(values.length / K);
  return effect.map((k) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (values[i * K + k] ?? 0) - (values[i * K + c] ?? 0);
    return sum / Math.max(n, 1);
  });
}

/** Each arm's offset in the arms' order (0 for the control arm and any arm the shrinkage does not name). */
export function armOffsets(shrinkage: ArmShrinkage, arms: readonly string[]): Float64Array {
  return Float64Array.from(arms, (arm) => shrinkage.arms.find((a) => a.arm === arm)?.offset ?? 0);
}

/** Expected outcomes (n × K) with the arms' offsets added, clipped to [0, 1] for a binary outcome. */
export function shiftValues(values: Float64Array, offsets: Float64Array, binary: boolean): Float64Array {
  const K = offsets.length;
  return Float64Array.from(values, (v, o) => clip(v + (offsets[o % K] ?? 0), binary));
}

const clip = (v: number, binary: boolean) => (binary ? Math.min(1, Math.max(0, v)) : v);
const clipGain = (v: number, binary: boolean) => (binary ? Math.min(1, Math.max(-1, v)) : v);

/**
 * The learner with the shrinkage applied: every client's expected outcome and gain under an arm
 * (with their intervals) move by that arm's offset; explanations keep their attributions, and the
 * baseline they start from moves by the offset.
 */
export function shrunkLearner(learner: Learner, shrinkage: ArmShrinkage): Learner {
  const offsets = armOffsets(shrinkage, learner.arms);
  const K = learner.arms.length;
  const binary = learner.outcomeType === "binary";
  return {
    ...learner,
    predict: (x, n) => {
      const p = learner.predict(x, n);
      for (let o = 0; o < n * K; o++) {
        const offset = offsets[o % K] ?? 0;
        if (offset === 0) continue;
        // Plain statements, no arrays per cell: this runs for every client the app ranks.
        p.mean[o] = clip((p.mean[o] ?? 0) + offset, binary);
        p.lower[o] = clip((p.lower[o] ?? 0) + offset, binary);
        p.upper[o] = clip((p.upper[o] ?? 0) + offset, binary);
        p.gain[o] = clipGain((p.gain[o] ?? 0) + offset, binary);
        p.gainLower[o] = clipGain((p.gainLower[o] ?? 0) + offset, binary);
        p.gainUpper[o] = clipGain((p.gainUpper[o] ?? 0) + offset, binary);
      }
      return p;
    },
    attribute: (x, n, options) =>
      learner.attribute(x, n, options).map(
        (a): Attribution => ({
          ...a,
          baselineExpected: Object.fromEntries(Object.entries(a.baselineExpected).map(([arm, v]) => [arm, v + (offsets[learner.arms.indexOf(arm)] ?? 0)])),
        }),
      ),
  };
}
