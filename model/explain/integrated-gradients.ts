import * as tf from "@tensorflow/tfjs";
import { type Ensemble, ensembleTensors } from "../network/ensemble.js";
import { summedInputGradients } from "../network/input-gradients.js";
import type { Encoder } from "../table/encoder.js";

/**
 * Integrated gradients on the calibrated ensemble mean, from the mean training client
 * (`encoder.baseline`) to this client, for every arm's expected outcome at once: the path
 * points are replicated per arm and one backward pass gives each arm's gradient.
 * Gain attributions are the arm's minus the control arm's (IG is linear in the output).
 * Attributions of one-hot / flag columns are summed per feature, then per group.
 */
/** Path points per ensemble member (staggered across members). */
export const DEFAULT_STEPS = 6;

export type Attribution = {
  /** arm → feature group → signed contribution to the expected outcome (outcome units). */
  chance: Record<string, Record<string, number>>;
  /** arm → feature group → signed contribution to the gain over the control arm. */
  gain: Record<string, Record<string, number>>;
  /** arm → expected outcome at the baseline (chance) — the attributions sum to expected − this. */
  baselineExpected: Record<string, number>;
};

export function integratedGradients(options: { ensemble: Ensemble; encoder: Encoder; x: Float32Array; steps?: number }): Attribution {
  const { ensemble, encoder } = options;
  const steps = options.steps ?? DEFAULT_STEPS;
  const D = encoder.width;
  const M = ensemble.params.length;
  const c = ensemble.arms.indexOf(ensemble.control);
  let grads: Float32Array = new Float32Array(0);
  let atBaseline: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    const x = tf.tensor2d(options.x.subarray(0, D), [1, D]);
    const base = tf.tensor2d(encoder.baseline, [1, D]);
    // Staggered midpoints: member m evaluates alphas (s + (m + ½)/M) / S, so the ensemble mean is
    // integrated on an M·S-point grid at the cost of S points per member.
    const alphas = tf.tensor3d(
      Array.from({ length: M * steps }, (_, i) => (i % steps) / steps + (Math.floor(i / steps) + 0.5) / (M * steps)),
      [M, steps, 1],
    );
    const path = tf.add(base, tf.mul(alphas, tf.sub(x, base))) as tf.Tensor3D; // M × S × D
    // The path integral of the ensemble mean: Σ over members and steps of the gradient, / (M·S).
    const meanGrad = tf.div(summedInputGradients(ensemble, path), M * steps); // K × D
    const attributions = tf.mul(meanGrad, tf.sub(x, base)); // K × D
    const baseValues = tf.mean(ensembleTensors(ensemble, base).values, 0); // 1 × K
    grads = attributions.dataSync() as Float32Array;
    atBaseline = baseValues.dataSync() as Float32Array;
  });
  const groups = [...new Set(encoder.features.map((f) => f.group))];
  const chance: Attribution["chance"] = {};
  const gain: Attribution["gain"] = {};
  const perArm = ensemble.arms.map((_, k) => {
    const byGroup: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
    for (let col = 0; col < D; col++) {
      const feature = encoder.features[encoder.columnFeature[col] ?? 0];
      if (!feature) continue;
      byGroup[feature.group] = (byGroup[feature.group] ?? 0) + (grads[k * D + col] ?? 0);
    }
    return byGroup;
  });
  ensemble.arms.forEach((arm, k) => {
    const own = perArm[k] ?? {};
    const control = perArm[c] ?? {};
    chance[arm] = own;
    gain[arm] = Object.fromEntries(groups.map((g) => [g, k === c ? 0 : (own[g] ?? 0) - (control[g] ?? 0)]));
  });
  const baselineExpected = Object.fromEntries(ensemble.arms.map((arm, k) => [arm, atBaseline[k] ?? 0]));
  return { chance, gain, baselineExpected };
}

/** Groups sorted by |effect|, largest first, the top `limit` with a non-zero effect. */
export function topReasons(byGroup: Record<string, number>, limit: number): { group: string; effect: number }[] {
  return Object.entries(byGroup)
    .filter(([, effect]) => Math.abs(effect) > 1e-6)
    .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
    .slice(0, limit)
    .map(([group, effect]) => ({ group, effect }));
}
