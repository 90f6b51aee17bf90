/**
 * Augmented inverse propensity weighting (AIPW): the doubly robust estimator of average effects
 * of several arms against one control arm from observational data.
 *
 * Why this estimator: it combines an outcome model μ̂(x, a) with a propensity model ê(a | x) so that
 * the average effect is consistent when either of the two is right, and, with cross-fitted nuisance
 * models (each row's predictions from models that did not see that row), its per-row scores have a
 * normal limit whose variance we can estimate from the scores themselves (Chernozhukov et al. 2018,
 * "double/debiased machine learning"). The same per-row scores are the pseudo-outcomes that a best
 * linear projection or a subgroup mean turns into "for whom" statements.
 *
 * The caller fits the nuisance models (see `crossFitFolds`); this module only combines their
 * predictions. Everything here is plain arithmetic on arrays: no tensors, no randomness.
 */
import { type Estimate, meanEstimate } from "../metrics/bootstrap.js";
import type { Matrix } from "../metrics/policy.js";
import { createRandom } from "../random.js";

export type AipwInput = {
  /** Observed outcome per row (0/1 for a binary outcome, any number for a continuous one). */
  outcome: readonly number[];
  /** Observed arm index per row. */
  treatment: readonly number[];
  /** Estimated propensity per row and arm, ê(a | x): rows × arms, each row summing to about 1. Cross-fitted. */
  propensity: Matrix;
  /** Predicted outcome per row and arm, μ̂(x, a): rows × arms, on the outcome's scale. Cross-fitted. */
  predicted: Matrix;
  /** Index of the control arm (default 0). */
  control?: number;
  /**
   * Propensities below this are raised to it before they divide (default 0.01). Clipping keeps a few
   * clients with almost no overlap from dominating the estimate; it does not drop them.
   */
  clip?: number;
  /**
   * A row has "too little overlap" for a contrast when its propensity for the arm or for the control
   * is below this (default 0.05). Only reported (`limitedOverlap`), never used to drop rows.
   */
  overlapThreshold?: number;
};

export type ArmEffect = {
  /** Arm index (into the propensity / prediction columns). */
  arm: number;
  /** Average effect of the arm against the control arm over all rows (ATE), with its SE and intervals. */
  ate: Estimate;
  /** Average effect on those who received the arm (ATT), or null when no row received it. */
  att: Estimate | null;
  /** Number of rows the estimate averages over. */
  n: number;
  /** Rows that received the arm. */
  nArm: number;
  /** Rows that received the control arm. */
  nControl: number;
  /** Share of rows whose propensity for the arm or the control is below the overlap threshold. */
  limitedOverlap: number;
};

export type AipwResult = {
  control: number;
  /** One entry per arm other than the control, in arm order. */
  effects: ArmEffect[];
  /** Share of rows with too little overlap for at least one contrast. */
  limitedOverlap: number;
};

const DEFAULT_CLIP = 0.01;
const DEFAULT_OVERLAP = 0.05;

function validate(input: AipwInput): { n: number; arms: number; control: number } {
  const n = input.outcome.length;
  if (n === 0) throw new RangeError("AIPW needs at least one row");
  if (input.treatment.length !== n || input.propensity.length !== n || input.predicted.length !== n) {
    throw new RangeError("outcome, treatment, propensity and predicted must have the same number of rows");
  }
  const arms = input.propensity[0]?.length ?? 0;
  if (arms < 2) throw new RangeError("AIPW needs at least two arms");
  const control = input.control ?? 0;
  if (!Number.isInteger(control) || control < 0 || control >= arms) throw new RangeError(`control arm ${control} is not an arm`);
  for (let i = 0; i < n; i++) {
    const a = input.treatment[i] as number;
    if (!Number.isInteger(a) || a < 0 || a >= arms) throw new RangeError(`row ${i}: arm ${a} is not an arm`);
    if (input.propensity[i]?.length !== arms || input.predicted[i]?.length !== arms) {
      throw new RangeError(`row ${i}: needs one propensity and one prediction per arm`);
    }
    if (!Number.isFinite(input.outcome[i] as number)) throw new RangeError(`row ${i}: outcome is not a number`);
  }
  const clip = input.clip ?? DEFAULT_CLIP;
  if (!(clip > 0 && clip < 1)) throw new RangeError("clip must lie strictly between 0 and 1");
  return { n, arms, control };
}

function clipped(input: AipwInput, i: number, arm: number): number {
  const p = input.propensity[i]?.[arm];
  if (p === undefined || !Number.isFinite(p)) throw new RangeError(`row ${i}: no propensity for arm ${arm}`);
  return Math.max(p, input.clip ?? DEFAULT_CLIP);
}

function predictionOf(input: AipwInput, i: number, arm: number): number {
  const m = input.predicted[i]?.[arm];
  if (m === undefined || !Number.isFinite(m)) throw new RangeError(`row ${i}: no prediction for arm ${arm}`);
  return m;
}

/**
 * Per-row AIPW scores (pseudo-outcomes) of `arm` against the control:
 * Γᵢ = μ̂(xᵢ, a) − μ̂(xᵢ, c) + 1[Aᵢ = a]·(Yᵢ − μ̂(xᵢ, a)) / ê(a | xᵢ) − 1[Aᵢ = c]·(Yᵢ − μ̂(xᵢ, c)) / ê(c | xᵢ).
 * Their mean is the average effect; their mean over a subgroup is the subgroup's effect; regressed on
 * client factors they give the best linear projection of the per-client effect.
 */
export function aipwScores(input: AipwInput, arm: number): number[] {
  const { n, arms, control } = validate(input);
  if (!Number.isInteger(arm) || arm < 0 || arm >= arms || arm === control) {
    throw new RangeError(`arm ${arm} is not a treatment arm`);
  }
  const scores = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const a = input.treatment[i] as number;
    const y = input.outcome[i] as number;
    const muArm = predictionOf(input, i, arm);
    const muControl = predictionOf(input, i, control);
    let score = muArm - muControl;
    if (a === arm) score += (y - muArm) / clipped(input, i, arm);
    else if (a === control) score -= (y - muControl) / clipped(input, i, control);
    scores[i] = score;
  }
  return scores;
}

/**
 * Per-row AIPW scores of the mean outcome under one arm: Γᵢ = μ̂(xᵢ, a) + 1[Aᵢ = a]·(Yᵢ − μ̂(xᵢ, a)) / ê(a | xᵢ).
 * Their mean is the average outcome had everyone received the arm (e.g. the control arm's level,
 * against which "which client factors go with a higher outcome" is projected).
 */
export function aipwArmScores(input: AipwInput, arm: number): number[] {
  const { n, arms } = validate(input);
  if (!Number.isInteger(arm) || arm < 0 || arm >= arms) throw new RangeError(`arm ${arm} is not an arm`);
  const scores = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const mu = predictionOf(input, i, arm);
    scores[i] = input.treatment[i] === arm ? mu + ((input.outcome[i] as number) - mu) / clipped(input, i, arm) : mu;
  }
  return scores;
}

/**
 * Doubly robust effect on the treated of `arm` against the control (Moodie et al.; Kennedy's ATT score):
 * τ = Σᵢ [1[Aᵢ = a]·(Yᵢ − μ̂(xᵢ, c)) − 1[Aᵢ = c]·ê(a | xᵢ)/ê(c | xᵢ)·(Yᵢ − μ̂(xᵢ, c))] / Σᵢ 1[Aᵢ = a],
 * with its influence-function interval.
 */
function attEstimate(input: AipwInput, arm: number, control: number): Estimate | null {
  const n = input.outcome.length;
  let treated = 0;
  const raw = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const a = input.treatment[i] as number;
    const y = input.outcome[i] as number;
    const muControl = predictionOf(input, i, control);
    if (a === arm) {
      treated++;
      raw[i] = y - muControl;
    } else if (a === control) {
      const weight = Math.min(input.propensity[i]?.[arm] ?? 0, 1) / clipped(input, i, control);
      raw[i] = -weight * (y - muControl);
    } else {
      raw[i] = 0;
    }
  }
  if (treated === 0) return null;
  const share = treated / n;
  const value = raw.reduce((s, v) => s + v, 0) / treated;
  // Influence function: (raw − 1[A = a]·τ) / P(A = a); its mean is zero at τ.
  const influence = raw.map((v, i) => (v - (input.treatment[i] === arm ? value : 0)) / share);
  const spread = meanEstimate(influence);
  return shift(spread, value);
}

function shift(spread: Estimate, value: number): Estimate {
  return {
    value,
    se: spread.se,
    lower80: value + (spread.lower80 - spread.value),
    upper80: value + (spread.upper80 - spread.value),
    lower95: value + (spread.lower95 - spread.value),
    upper95: value + (spread.upper95 - spread.value),
  };
}

function limitedOverlapRows(input: AipwInput, arm: number, control: number): boolean[] {
  const threshold = input.overlapThreshold ?? DEFAULT_OVERLAP;
  return input.propensity.map((row) => (row[arm] as number) < threshold || (row[control] as number) < threshold);
}

/**
 * Average effect of every arm against the control arm, each with its standard error, 80% and 95%
 * normal intervals from the scores' variance, the effect on the treated, the counts behind it and the
 * share of rows with too little overlap.
 *
 * @example
 *   const { effects } = aipwEffects({ outcome, treatment, propensity, predicted, control: 0 });
 *   effects[0].ate.value, effects[0].ate.lower95, effects[0].ate.upper95
 */
export function aipwEffects(input: AipwInput): AipwResult {
  const { n, arms, control } = validate(input);
  const anyLimited = new Array<boolean>(n).fill(false);
  const effects: ArmEffect[] = [];
  const nControl = input.treatment.filter((a) => a === control).length;
  for (let arm = 0; arm < arms; arm++) {
    if (arm === control) continue;
    const limited = limitedOverlapRows(input, arm, control);
    limited.forEach((flag, i) => {
      if (flag) anyLimited[i] = true;
    });
    effects.push({
      arm,
      ate: meanEstimate(aipwScores(input, arm)),
      att: attEstimate(input, arm, control),
      n,
      nArm: input.treatment.filter((a) => a === arm).length,
      nControl,
      limitedOverlap: limited.filter(Boolean).length / n,
    });
  }
  return { control, effects, limitedOverlap: anyLimited.filter(Boolean).length / n };
}

/** Mean of scores over the rows of a subgroup, with its normal interval (null when the group is empty). */
export function subgroupEstimate(scores: readonly number[], rows: readonly number[]): Estimate | null {
  if (rows.length === 0) return null;
  return meanEstimate(rows.map((i) => scores[i] as number));
}

/**
 * Fold index per row for K-fold cross-fitting, balanced and seeded: fit the nuisance models on the
 * rows outside fold k and predict the rows in fold k. Pass `strata` (e.g. the arm) to balance each
 * stratum over the folds.
 */
export function crossFitFolds(options: { n: number; folds?: number; seed?: number; strata?: readonly number[] }): number[] {
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError("cross-fitting needs at least two folds");
  const random = createRandom(options.seed ?? 1);
  const order = Array.from({ length: options.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const strata = options.strata;
  if (strata) order.sort((a, b) => (strata[a] as number) - (strata[b] as number));
  const fold = new Array<number>(options.n);
  order.forEach((row, position) => {
    fold[row] = position % folds;
  });
  return fold;
}
