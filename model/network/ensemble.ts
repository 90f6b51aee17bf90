import * as tf from "@tensorflow/tfjs";
import { type ArmCalibration, type Calibration, fitLinear, fitPlatt } from "./calibration.js";
import { createRandom, gamma, shuffleInPlace } from "../random.js";
import { type BackwardWeights, backwardWeights, disposeBackwardWeights } from "./input-gradients.js";
import type { JobProgress, MemberFit, NetworkMemberJob } from "../parallel/jobs.js";
import type { TrainingPool } from "../parallel/pool.js";
import {
  disposeParams,
  type EncodedData,
  fitNetwork,
  forward,
  type NamedWeights,
  type NetworkConfig,
  type NetworkParams,
  type OutcomeType,
  paramsFromWeights,
} from "./tarnet.js";

/** Learned state of the ensemble, in plain values (what the bundle stores besides the schema and encoder). */
export type EnsembleState = {
  arms: string[];
  control: string;
  outcomeType: OutcomeType;
  config: NetworkConfig;
  /** Continuous outcomes are learned standardised; predictions are mapped back with these. */
  outcomeScale: { mean: number; sd: number };
  members: { seed: number; epochs: number; bestEpoch: number; validationLoss: number; weights: NamedWeights }[];
  calibration: Calibration;
};

/**
 * A loaded ensemble: the state plus live tensors. Never leaves model/. Members are evaluated
 * one after another with 2-D matmuls (batched 3-D matmuls are much slower on the wasm backend).
 */
export type Ensemble = EnsembleState & {
  params: NetworkParams[];
  /** Per member, the weights as the explanations' backward pass reads them. */
  backward: BackwardWeights[];
  calibrationA: tf.Tensor1D;
  calibrationB: tf.Tensor1D;
};

export function loadEnsemble(state: EnsembleState): Ensemble {
  const params = state.members.map((m) =>
    paramsFromWeights(m.weights, { arms: state.arms.length, headHidden: state.config.headHidden, trainable: false }),
  );
  if (params.length === 0) throw new Error("an ensemble needs at least one member");
  return {
    ...state,
    params,
    backward: params.map(backwardWeights),
    calibrationA: tf.tensor1d(state.arms.map((arm) => state.calibration.arms[arm]?.a ?? 1)),
    calibrationB: tf.tensor1d(state.arms.map((arm) => state.calibration.arms[arm]?.b ?? 0)),
  };
}

export function disposeEnsemble(ensemble: Ensemble): void {
  for (const p of ensemble.params) disposeParams(p);
  for (const w of ensemble.backward) disposeBackwardWeights(w);
  tf.dispose([ensemble.calibrationA, ensemble.calibrationB]);
}

/**
 * Raw outputs of every member: outcome logits / standardised values and propensity logits, [M, n, K].
 * `x` is [n, D] (the same rows for every member) or [M·n, D] with `perMember` (member m gets rows m·n…).
 */
function forwardMembers(ensemble: Ensemble, x: tf.Tensor2D, perMember = false): { outcome: tf.Tensor3D; propensity: tf.Tensor3D } {
  const M = ensemble.params.length;
  const n = perMember ? (x.shape[0] ?? 0) / M : (x.shape[0] ?? 0);
  const d = x.shape[1] ?? 0;
  const outcomes: tf.Tensor2D[] = [];
  const propensities: tf.Tensor2D[] = [];
  ensemble.params.forEach((p, m) => {
    const rows = perMember ? (tf.slice(x, [m * n, 0], [n, d]) as tf.Tensor2D) : x;
    const out = forward(p, rows);
    outcomes.push(out.outcome);
    propensities.push(out.propensity);
  });
  return { outcome: tf.stack(outcomes) as tf.Tensor3D, propensity: tf.stack(propensities) as tf.Tensor3D };
}

export type TrainProgress = { member: number; members: number; epoch: number; maxEpochs: number; loss?: number };

/** Validation split stratified by arm (so that every arm can be calibrated), seeded. */
export function splitRows(treatment: Int32Array, arms: number, share: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const random = createRandom(seed + 3);
  const train: number[] = [];
  const validation: number[] = [];
  for (let k = 0; k < arms; k++) {
    const rows: number[] = [];
    treatment.forEach((t, i) => {
      if (t === k) rows.push(i);
    });
    const shuffled = shuffleInPlace(Int32Array.from(rows), random);
    const nVal = Math.max(1, Math.round(shuffled.length * share));
    shuffled.forEach((row, i) => {
      (i < nVal ? validation : train).push(row);
    });
  }
  return { train: Int32Array.from(train).sort(), validation: Int32Array.from(validation).sort() };
}

export type EnsembleOptions = {
  data: EncodedData;
  arms: string[];
  control: string;
  outcomeType: OutcomeType;
  config: NetworkConfig;
  members: number;
  seed: number;
  validationShare?: number;
  onProgress?: (p: TrainProgress) => void;
};

type EnsemblePlan = {
  split: { train: Int32Array; validation: Int32Array };
  outcomeScale: { mean: number; sd: number };
  /** One job per member: its seed and (bootstrap-weighted) rows, fitted wherever it runs. */
  jobs: NetworkMemberJob[];
};

/**
 * Trains `members` networks on bootstrap samples of the training rows (each with its
 * own seed), early-stopped on one shared validation split, then fits per-arm calibration
 * on the arm's rows (all of them, or the validation split: NetworkConfig.calibrationRows). Deterministic for a fixed seed and backend.
 * The members are fitted one after another in this thread; `trainEnsembleInPool` fits them on
 * worker threads and gives the very same ensemble.
 */
export function trainEnsemble(options: EnsembleOptions): { state: EnsembleState; split: { train: Int32Array; validation: Int32Array } } {
  const plan = planEnsemble(options);
  const fits = plan.jobs.map((job, m) => fitMember(job, memberProgress(options, m)));
  return assembleEnsemble(options, plan, fits);
}

/** `trainEnsemble` with the members as jobs of a training pool (model/parallel): the same members, in the same order. */
export async function trainEnsembleInPool(
  options: EnsembleOptions & { pool: TrainingPool },
): Promise<{ state: EnsembleState; split: { train: Int32Array; validation: Int32Array } }> {
  const plan = planEnsemble(options);
  const fits = await Promise.all(plan.jobs.map((job, m) => options.pool.run(job, { onProgress: memberProgress(options, m) })));
  return assembleEnsemble(options, plan, fits);
}

/** One member's fit (the pool's "network-member" job). */
export function fitMember({ kind: _, ...job }: NetworkMemberJob, onProgress?: (p: JobProgress) => void): MemberFit {
  return fitNetwork({ ...job, ...(onProgress ? { onEpoch: (epoch: number, loss: number) => onProgress({ epoch, loss }) } : {}) });
}

function memberProgress(options: EnsembleOptions, m: number): ((p: JobProgress) => void) | undefined {
  const report = options.onProgress;
  if (!report) return undefined;
  return ({ epoch, loss }) => report({ member: m + 1, members: options.members, epoch, maxEpochs: options.config.maxEpochs, loss });
}

/** The validation split, the outcome scale and every member's job (seed, bootstrap rows or weights). */
function planEnsemble(options: EnsembleOptions): EnsemblePlan {
  const { data, arms, config } = options;
  const K = arms.length;
  const split = splitRows(data.treatment, K, options.validationShare ?? 0.2, options.seed);
  let outcomeScale = { mean: 0, sd: 1 };
  let outcome = data.outcome;
  if (options.outcomeType === "continuous") {
    let s = 0;
    let ss = 0;
    for (const i of split.train) {
      const v = data.outcome[i] ?? 0;
      s += v;
      ss += v * v;
    }
    const mean = s / split.train.length;
    const sd = Math.sqrt(Math.max(1e-12, ss / split.train.length - mean * mean));
    outcomeScale = { mean, sd };
    outcome = data.outcome.map((v) => (v - mean) / sd);
  }
  const scaled: EncodedData = { ...data, outcome };
  const jobs: NetworkMemberJob[] = [];
  for (let m = 0; m < options.members; m++) {
    const seed = options.seed * 7919 + m * 104729 + 1;
    const random = createRandom(seed);
    // Members differ by seed and by a bootstrap of the training rows (see NetworkConfig.bootstrap).
    let trainRows = split.train;
    let rowWeights: Float32Array | undefined;
    if (config.bootstrap === "resample") {
      const byArm: number[][] = Array.from({ length: K }, () => []);
      for (const i of split.train) byArm[data.treatment[i] ?? 0]?.push(i);
      const sample: number[] = [];
      for (const rows of byArm) {
        for (let j = 0; j < rows.length; j++) sample.push(rows[Math.floor(random() * rows.length)] ?? 0);
      }
      trainRows = Int32Array.from(sample);
    } else if (config.bootstrap === "weighted") {
      rowWeights = new Float32Array(data.treatment.length);
      let sum = 0;
      for (const i of split.train) {
        const w = gamma(random, config.bootstrapConcentration);
        rowWeights[i] = w;
        sum += w;
      }
      const scale = split.train.length / sum;
      for (const i of split.train) rowWeights[i] = (rowWeights[i] ?? 0) * scale;
    }
    jobs.push({
      kind: "network-member",
      data: scaled,
      arms: K,
      outcomeType: options.outcomeType,
      trainRows,
      ...(rowWeights ? { rowWeights } : {}),
      validationRows: split.validation,
      config,
      seed,
    });
  }
  return { split, outcomeScale, jobs };
}

/** The members' fits, in member order, with the calibration fitted on top. */
function assembleEnsemble(
  options: EnsembleOptions,
  plan: EnsemblePlan,
  fits: readonly MemberFit[],
): { state: EnsembleState; split: { train: Int32Array; validation: Int32Array } } {
  const { data, arms, config } = options;
  const { split } = plan;
  const members: EnsembleState["members"] = fits.map((fit, m) => ({
    seed: plan.jobs[m]?.seed ?? 0,
    epochs: fit.epochs,
    bestEpoch: fit.bestEpoch,
    validationLoss: fit.validationLoss,
    weights: fit.weights,
  }));
  const uncalibrated: EnsembleState = {
    arms,
    control: options.control,
    outcomeType: options.outcomeType,
    config,
    outcomeScale: plan.outcomeScale,
    members,
    calibration: {
      method: options.outcomeType === "binary" ? "platt" : "linear",
      arms: Object.fromEntries(arms.map((a) => [a, { a: 1, b: 0, rows: 0 }])),
    },
  };
  const calibrationRows = config.calibrationRows === "all" ? Int32Array.from({ length: data.treatment.length }, (_, i) => i) : split.validation;
  const calibration = fitCalibration(uncalibrated, data, calibrationRows);
  return { state: { ...uncalibrated, calibration }, split };
}

export function fitCalibration(state: EnsembleState, data: EncodedData, rows: Int32Array): Calibration {
  const ensemble = loadEnsemble(state);
  try {
    const x = new Float32Array(rows.length * data.inputs);
    rows.forEach((row, i) => {
      x.set(data.x.subarray(row * data.inputs, (row + 1) * data.inputs), i * data.inputs);
    });
    // Raw (uncalibrated) member outputs: logits for binary, de-standardised values for continuous.
    const raw = memberRawOutputs(ensemble, x, rows.length);
    const K = state.arms.length;
    const M = raw.length;
    const arms: Record<string, ArmCalibration> = {};
    state.arms.forEach((arm, k) => {
      const z: number[] = [];
      const y: number[] = [];
      rows.forEach((row, i) => {
        if (data.treatment[row] !== k) return;
        let s = 0;
        for (let m = 0; m < M; m++) s += raw[m]?.[i * K + k] ?? 0;
        z.push(s / M);
        y.push(data.outcome[row] ?? 0);
      });
      arms[arm] =
        state.outcomeType === "binary"
          ? fitPlatt(z, y, state.config.calibrationRidge)
          : fitLinear(z, y, state.config.calibrationRidge);
    });
    return { method: state.calibration.method, arms };
  } finally {
    disposeEnsemble(ensemble);
  }
}

/** Uncalibrated member outputs, M arrays of n × K (row-major). */
function memberRawOutputs(ensemble: Ensemble, x: Float32Array, n: number): Float32Array[] {
  const K = ensemble.arms.length;
  const M = ensemble.params.length;
  const inputs = x.length / Math.max(1, n);
  const out = Array.from({ length: M }, () => new Float32Array(n * K));
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const rows = end - start;
    // Typed arrays are taken out of tf.tidy through a variable, not returned: tidy would walk them.
    let values: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const xt = tf.tensor2d(x.subarray(start * inputs, end * inputs), [rows, inputs]);
      let o: tf.Tensor = forwardMembers(ensemble, xt).outcome;
      if (ensemble.outcomeType === "continuous") o = tf.add(tf.mul(o, ensemble.outcomeScale.sd), ensemble.outcomeScale.mean);
      values = o.dataSync() as Float32Array;
    });
    for (let m = 0; m < M; m++) out[m]?.set(values.subarray(m * rows * K, (m + 1) * rows * K), start * K);
  }
  return out;
}

const CHUNK = 8192;

/**
 * Calibrated member outputs and ensemble propensity as tensors, for use inside tf.tidy
 * (prediction and the autodiff reference of the input-gradient test share this one function).
 * `x` is [n, D] (the same rows for every member) or, with `perMember`, [M·n, D] (rows per member).
 * Returns values [M, n, K] and propensity [n, K].
 */
export function ensembleTensors(
  ensemble: Ensemble,
  x: tf.Tensor2D,
  options: { perMember?: boolean } = {},
): { values: tf.Tensor3D; propensity: tf.Tensor2D } {
  const { calibrationA: a, calibrationB: b } = ensemble;
  const out = forwardMembers(ensemble, x, options.perMember ?? false);
  const values =
    ensemble.outcomeType === "binary"
      ? tf.sigmoid(tf.add(tf.mul(out.outcome, a), b))
      : tf.add(tf.mul(tf.add(tf.mul(out.outcome, ensemble.outcomeScale.sd), ensemble.outcomeScale.mean), a), b);
  const propensity = tf.mean(tf.softmax(out.propensity), 0) as tf.Tensor2D;
  return { values: values as tf.Tensor3D, propensity };
}

/** Per row and arm (row-major n × K): ensemble mean, 80% interval, gain over control with its interval, propensity. */
export type EnsemblePrediction = {
  n: number;
  arms: string[];
  mean: Float32Array;
  lower: Float32Array;
  upper: Float32Array;
  gain: Float32Array;
  gainLower: Float32Array;
  gainUpper: Float32Array;
  propensity: Float32Array;
};

/** One-sided 90% quantiles of Student's t by degrees of freedom (two-sided 80% intervals). */
const T90 = [Number.NaN, 3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341, 1.337, 1.333, 1.33, 1.328, 1.325];
/** The normal distribution's one-sided 90% quantile: the half-width of a two-sided 80% interval per standard deviation. */
export const Z90 = 1.2816;

/**
 * Half-width of the 80% interval per unit of the members' standard deviation. The members are
 * few, so the deviation is estimated (Student's t with M − 1 degrees of freedom, not the normal
 * quantile); and with the tempered bootstrap (row weights Gamma(c)/c, variance 1/c) they vary
 * √c times less than refits on fresh samples would, so the spread is scaled back by √c.
 * Quantiles of five members (the old interval) held the true chance for only a third of clients.
 */
export function intervalMultiplier(members: number, config: Pick<NetworkConfig, "bootstrap" | "bootstrapConcentration">): number {
  if (members < 2) return 0;
  const t = T90[members - 1] ?? Z90;
  return t * (config.bootstrap === "weighted" ? Math.sqrt(config.bootstrapConcentration) : 1);
}

/**
 * Writes cell o of a prediction: the expected outcome and the gain, each with its interval (± the
 * given half-widths), the outcome clipped to [lo, hi] and the gain to [−hi, hi].
 */
export function setPredictionCell(out: EnsemblePrediction, o: number, value: number, gain: number, halfWidth: number, gainHalfWidth: number, lo: number, hi: number): void {
  out.mean[o] = value;
  out.gain[o] = gain;
  out.lower[o] = Math.max(lo, value - halfWidth);
  out.upper[o] = Math.min(hi, value + halfWidth);
  out.gainLower[o] = Math.max(-hi, gain - gainHalfWidth);
  out.gainUpper[o] = Math.min(hi, gain + gainHalfWidth);
}

export function predictEnsemble(ensemble: Ensemble, x: Float32Array, n: number): EnsemblePrediction {
  const K = ensemble.arms.length;
  const M = ensemble.params.length;
  const inputs = n > 0 ? x.length / n : 0;
  const c = ensemble.arms.indexOf(ensemble.control);
  const result: EnsemblePrediction = {
    n,
    arms: ensemble.arms,
    mean: new Float32Array(n * K),
    lower: new Float32Array(n * K),
    upper: new Float32Array(n * K),
    gain: new Float32Array(n * K),
    gainLower: new Float32Array(n * K),
    gainUpper: new Float32Array(n * K),
    propensity: new Float32Array(n * K),
  };
  const v = new Float64Array(M);
  const g = new Float64Array(M);
  const half = intervalMultiplier(M, ensemble.config);
  // A chance (binary outcome) stays within [0, 1] and a gain in chance points within [−1, 1].
  const [lo, hi] = ensemble.outcomeType === "binary" ? [0, 1] : [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const rows = end - start;
    let values: Float32Array = new Float32Array(0);
    let propensity: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const xt = tf.tensor2d(x.subarray(start * inputs, end * inputs), [rows, inputs]);
      const out = ensembleTensors(ensemble, xt);
      values = out.values.dataSync() as Float32Array;
      propensity = out.propensity.dataSync() as Float32Array;
    });
    result.propensity.set(propensity, start * K);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < K; k++) {
        let sum = 0;
        let gsum = 0;
        for (let m = 0; m < M; m++) {
          const base = m * rows * K + r * K;
          const value = values[base + k] ?? 0;
          v[m] = value;
          g[m] = value - (values[base + c] ?? 0);
          sum += value;
          gsum += g[m] ?? 0;
        }
        const o = (start + r) * K + k;
        const mean = sum / M;
        const gain = gsum / M;
        let ss = 0;
        let gss = 0;
        for (let m = 0; m < M; m++) {
          ss += ((v[m] ?? 0) - mean) ** 2;
          gss += ((g[m] ?? 0) - gain) ** 2;
        }
        const sd = M > 1 ? Math.sqrt(ss / (M - 1)) : 0;
        const gsd = M > 1 ? Math.sqrt(gss / (M - 1)) : 0;
        setPredictionCell(result, o, mean, gain, half * sd, half * gsd, lo, hi);
      }
    }
  }
  return result;
}
