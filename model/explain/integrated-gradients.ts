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
  const one = integratedGradientsMany({ ...options, x: options.x.subarray(0, options.encoder.width) })[0];
  if (!one) throw new Error("integrated gradients of no client");
  return one;
}

/**
 * The same for several clients at once (`x` holds n encoded rows): one pass through the network for
 * all of them, which is what makes a batch of requests cheaper per client than one at a time.
 */
export function integratedGradientsMany(options: { ensemble: Ensemble; encoder: Encoder; x: Float32Array; steps?: number }): Attribution[] {
  const { ensemble, encoder } = options;
  const steps = options.steps ?? DEFAULT_STEPS;
  const D = encoder.width;
  const M = ensemble.params.length;
  const n = Math.floor(options.x.length / D);
  const c = ensemble.arms.indexOf(ensemble.control);
  if (n === 0) return [];
  // The path in float32 as tfjs would compute it (base + α·(x − base), each operation rounded), built
  // here: one tensor instead of eight kernels. Staggered midpoints: member m evaluates alphas
  // (s + (m + ½)/M) / S, so the ensemble mean is integrated on an M·S-point grid at the cost of S
  // points per member.
  const f32 = Math.fround;
  const delta = new Float32Array(n * D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) delta[i * D + j] = f32((options.x[i * D + j] as number) - f32(encoder.baseline[j] as number));
  const path = new Float32Array(M * n * steps * D); // M × n·S × D
  for (let m = 0; m < M; m++) {
    for (let s = 0; s < steps; s++) {
      const alpha = f32(s / steps + (m + 0.5) / (M * steps));
      for (let i = 0; i < n; i++) {
        const p = (m * n * steps + i * steps + s) * D;
        for (let j = 0; j < D; j++) path[p + j] = f32(encoder.baseline[j] as number) + f32(alpha * (delta[i * D + j] as number));
      }
    }
  }
  let summed: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    // The path integral of the ensemble mean: Σ over members and steps of the gradient (K × n × D), / (M·S) below.
    summed = summedInputGradients(ensemble, tf.tensor3d(path, [M, n * steps, D]), n).dataSync() as Float32Array;
  });
  const grads = new Float32Array(summed.length);
  for (let o = 0; o < summed.length; o++) grads[o] = f32((summed[o] as number) / (M * steps)) * (delta[o % (n * D)] as number);
  const atBaseline = baselineValues(ensemble, encoder);
  const groups = [...new Set(encoder.features.map((f) => f.group))];
  const groupOfColumn = Array.from({ length: D }, (_, col) => encoder.features[encoder.columnFeature[col] ?? 0]?.group);
  const baselineExpected = Object.fromEntries(ensemble.arms.map((arm, k) => [arm, atBaseline[k] ?? 0]));
  return Array.from({ length: n }, (_, i) => {
    const chance: Attribution["chance"] = {};
    const gain: Attribution["gain"] = {};
    const perArm = ensemble.arms.map((_, k) => {
      const byGroup: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
      const offset = (k * n + i) * D;
      for (let col = 0; col < D; col++) {
        const group = groupOfColumn[col];
        if (group !== undefined) byGroup[group] = (byGroup[group] ?? 0) + (grads[offset + col] ?? 0);
      }
      return byGroup;
    });
    ensemble.arms.forEach((arm, k) => {
      const own = perArm[k] ?? {};
      const control = perArm[c] ?? {};
      chance[arm] = own;
      gain[arm] = Object.fromEntries(groups.map((g) => [g, k === c ? 0 : (own[g] ?? 0) - (control[g] ?? 0)]));
    });
    return { chance, gain, baselineExpected: { ...baselineExpected } };
  });
}

/** Per loaded ensemble, its expected outcome per arm at the baseline client (the mean over members). */
const baselineCache = new WeakMap<Ensemble, { baseline: Encoder["baseline"]; values: Float32Array }>();

/** The same for every explanation with this encoder: computed once instead of one forward pass per call. */
function baselineValues(ensemble: Ensemble, encoder: Encoder): Float32Array {
  const cached = baselineCache.get(ensemble);
  if (cached && cached.baseline === encoder.baseline) return cached.values;
  let values: Float32Array = new Float32Array(0);
  tf.tidy(() => {
    const base = tf.tensor2d(encoder.baseline, [1, encoder.width]);
    values = tf.mean(ensembleTensors(ensemble, base).values, 0).dataSync() as Float32Array; // 1 × K
  });
  baselineCache.set(ensemble, { baseline: encoder.baseline, values });
  return values;
}

/** Groups sorted by |effect|, largest first, the top `limit` with a non-zero effect. */
export function topReasons(byGroup: Record<string, number>, limit: number): { group: string; effect: number }[] {
  return Object.entries(byGroup)
    .filter(([, effect]) => Math.abs(effect) > 1e-6)
    .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
    .slice(0, limit)
    .map(([group, effect]) => ({ group, effect }));
}
