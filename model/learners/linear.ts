import { z } from "zod";
import { withArmIndicators, type Basis, BasisSchema, basisFor, basisWidth, expandBasis } from "../baseline/basis.js";
import { type DesignMatrix, fitAssignment, fitLogistic, fitLogLinear, fitRidge, FREE_DIRECTION_SHARE, type FreeDirections, type LinearModel, linearPredictor, logLinearMean } from "../baseline/linear.js";
import { createRandom } from "../random.js";
import type { Encoder } from "../table/encoder.js";
import { SMALL_TABLE_FOLDS, SMALL_TABLE_ROWS } from "./small-table.js";
import { ESTIMATE_MEMBER, type Learner, numericIntegratedGradients, summariseMembers, type TrainingData } from "./learner.js";
import { stableSigmoid as sigmoid } from "../math.js";

/**
 * Regularised linear learners on a spline basis of the encoded features (model/baseline/basis.ts):
 *   t-linear  one L2-penalised regression per arm (logistic for a binary outcome; for a continuous
 *             one, on the outcome's own scale, ridge or log-linear, whichever predicts that arm's
 *             outcome better in cross-validation), fitted on that arm's rows only;
 *   s-linear  one regression over all rows with the arm as a feature (a constant shift per arm),
 *             then per arm a deviation on the encoded features fitted on that arm's rows with the
 *             shared prediction as offset and a harder penalty (arm × feature interactions, fitted
 *             in two stages instead of one wide design): small arms borrow the shared pattern.
 * The penalty (and t-linear's link) is chosen by cross-validation on the fitting rows (t-linear on a
 * small table: by more folds, small-table.ts). Member 0 is the fit on all rows,
 * the estimate; the others are refits on bootstrap samples (per arm), whose spread is the interval
 * (learner.ts, ESTIMATE_MEMBER).
 */
export const LinearModelSchema = z.object({ intercept: z.number(), weights: z.array(z.number()) });

export const LinearLearnerStateSchema = z.object({
  kind: z.enum(["t-linear", "s-linear"]),
  outcomeType: z.enum(["binary", "continuous"]),
  arms: z.array(z.string()).min(2),
  control: z.string(),
  basis: BasisSchema,
  /** Penalty per arm (t-linear) or the one penalty (s-linear). */
  l2: z.array(z.number().min(0)),
  interactionPenalty: z.number().positive(),
  /** Member → models: one per arm (t-linear), or the shared model then one deviation per arm (s-linear). */
  members: z.array(z.array(LinearModelSchema)).min(1),
  /**
   * t-linear, continuous outcome: per arm, how the linear predictor gives the expected outcome
   * (absent: identity for every arm). A log-linear arm's expected outcome is capped at `cap`.
   */
  links: z.array(z.discriminatedUnion("link", [z.object({ link: z.literal("identity") }), z.object({ link: z.literal("log"), cap: z.number().positive() })])).optional(),
  /** One-vs-rest logistic propensity per arm on the encoded features (normalised to sum to 1). */
  propensity: z.array(LinearModelSchema),
});
export type LinearLearnerState = z.infer<typeof LinearLearnerStateSchema>;
type ArmLink = NonNullable<LinearLearnerState["links"]>[number];
const IDENTITY: ArmLink = { link: "identity" };

/**
 * A log-linear arm's cap, as a multiple of the largest outcome seen in the arm: the exponential
 * extrapolates steeply, and a client far outside the arm's rows should not get an absurd estimate.
 */
export const LOG_LINK_CAP = 2;

export type LinearLearnerOptions = {
  kind: "t-linear" | "s-linear";
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  encoder: Encoder;
  /** Rows to fit on (default all). */
  rows?: Int32Array;
  /** Members (default 5): the fit on the rows as they are, then refits on bootstrap samples; 1 = that fit alone. */
  members?: number;
  /** Keep the propensity models in the state (default true; the validation folds need none). They are fitted either way: their weights are the outcome fits' free directions. */
  propensity?: boolean;
  seed?: number;
  /** How much harder the S-learner's deviations are shrunk than its shared model, at least (default 3). */
  interactionPenalty?: number;
  l2Grid?: readonly number[];
};


/** Penalties tried by cross-validation (summed-loss scale); coarse, since every arm of every fold is fitted for each. */
export const LEARNER_L2_GRID = [0.3, 3, 30, 300] as const;


type Family = "logistic" | "identity" | "log";

function fitGlm(
  family: Family,
  design: DesignMatrix,
  y: ArrayLike<number>,
  options: { l2: number; rows: number[]; penalty?: ArrayLike<number>; offset?: ArrayLike<number>; freeDirections?: FreeDirections },
): LinearModel {
  if (family === "logistic") return fitLogistic(design, y, { ...options, tolerance: 1e-6 });
  return family === "log" ? fitLogLinear(design, y, { ...options, tolerance: 1e-6 }) : fitRidge(design, y, options);
}

type ChooseL2Options = {
  design: DesignMatrix;
  y: ArrayLike<number>;
  rows: readonly number[];
  binary: boolean;
  /** For a continuous outcome: fit log-linear instead of ridge (default false). */
  logLink?: boolean;
  grid?: readonly number[];
  folds?: number;
  penalty?: ArrayLike<number>;
  offset?: ArrayLike<number>;
  freeDirections?: FreeDirections;
};

/** K-fold cross-validated penalty (folds by position within `rows`): log-loss or squared error. */
export function chooseL2(options: ChooseL2Options): number {
  return crossValidateL2(options).l2;
}

/** The cross-validated penalty with its summed held-out loss (infinite when too few rows to validate). */
function crossValidateL2(options: ChooseL2Options): { l2: number; loss: number } {
  const grid = options.grid ?? LEARNER_L2_GRID;
  const folds = options.folds ?? 3;
  if (options.rows.length < folds * 5) return { l2: grid[Math.floor(grid.length / 2)] ?? 1, loss: Number.POSITIVE_INFINITY };
  const family: Family = options.binary ? "logistic" : options.logLink ? "log" : "identity";
  let best = grid[0] ?? 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const l2 of grid) {
    let loss = 0;
    for (let f = 0; f < folds; f++) {
      const fit = options.rows.filter((_, i) => i % folds !== f);
      const model = fitGlm(family, options.design, options.y, {
        l2,
        rows: fit,
        ...(options.penalty ? { penalty: options.penalty } : {}),
        ...(options.offset ? { offset: options.offset } : {}),
        ...(options.freeDirections ? { freeDirections: options.freeDirections } : {}),
      });
      for (let i = f; i < options.rows.length; i += folds) {
        const row = options.rows[i] as number;
        const z = linearPredictor(model, options.design, row) + (options.offset ? (options.offset[row] as number) : 0);
        const y = options.y[row] as number;
        if (family === "logistic") {
          const p = Math.min(Math.max(sigmoid(z), 1e-12), 1 - 1e-12);
          loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
        } else {
          // Both links on the outcome's own scale, so their losses compare.
          loss += (y - (family === "log" ? logLinearMean(z) : z)) ** 2;
        }
      }
    }
    if (loss < bestLoss - 1e-12) {
      best = l2;
      bestLoss = loss;
    }
  }
  return { l2: best, loss: bestLoss };
}

/**
 * t-linear's fit for one arm of a continuous outcome: ridge, or log-linear when that arm's mean
 * outcome is positive and the log-linear fit predicts its held-out rows better (a multiplicative
 * surface, as hours or amounts often follow, is then not forced onto a straight line).
 */
function chooseArmFit(options: ChooseL2Options): { l2: number; link: ArmLink } {
  const identity = crossValidateL2(options);
  let mean = 0;
  let largest = 0;
  for (const row of options.rows) {
    const y = options.y[row] as number;
    mean += y / options.rows.length;
    largest = Math.max(largest, Math.abs(y));
  }
  if (options.binary || !(mean > 0) || !Number.isFinite(identity.loss)) return { l2: identity.l2, link: IDENTITY };
  const log = crossValidateL2({ ...options, logLink: true });
  return log.loss < identity.loss ? { l2: log.l2, link: { link: "log", cap: LOG_LINK_CAP * largest } } : { l2: identity.l2, link: IDENTITY };
}

/** Bootstrap sample of `rows`, drawn within each arm so every arm keeps its size. */
function bootstrapByArm(rows: Int32Array, treatment: Int32Array, arms: number, random: () => number): number[] {
  const byArm: number[][] = Array.from({ length: arms }, () => []);
  for (const i of rows) byArm[treatment[i] ?? 0]?.push(i);
  const sample: number[] = [];
  for (const list of byArm) for (let j = 0; j < list.length; j++) sample.push(list[Math.floor(random() * list.length)] ?? 0);
  return sample;
}

export function fitLinearLearner(data: TrainingData, options: LinearLearnerOptions): LinearLearnerState {
  const n = data.treatment.length;
  const K = options.arms.length;
  const c = options.arms.indexOf(options.control);
  const binary = options.outcomeType === "binary";
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const basis = basisFor(options.encoder);
  const expanded = expandBasis(basis, data.x, n);
  const B = basisWidth(basis);
  const M = options.members ?? 5;
  const random = createRandom((options.seed ?? 42) * 31 + 7);
  const interactionPenalty = options.interactionPenalty ?? 3;
  // One-vs-rest logistic propensity per arm on the encoded features, fitted on `rows`. Their weights
  // are also the directions in which the arms' populations differ. A penalty chosen to predict the
  // outcome shrinks every coefficient, those of the features that also drive the assignment too; what
  // the fit leaves out of those confounders then lands on the arms, and the gains drift towards the
  // raw difference between the arms ("regularisation-induced confounding", Hahn et al. 2018). The
  // outcome fits therefore leave these directions nearly unpenalised (`freeDirections`, as if each
  // arm's propensity logit were an unpenalised column): the assignment's confounding is fitted in
  // full, the rest is shrunk as before.
  const propensity = fitAssignment({ x: data.x, width: data.inputs }, data.treatment, K, { l2: 1, rows: Array.from(rows), tolerance: 1e-6 });
  // The encoded columns come first in both designs (basis.ts), so the directions apply as they are.
  const freeDirections = propensity.map((model) => model.weights);
  // Member ESTIMATE_MEMBER (0) on all rows, the others on bootstrap samples (learner.ts).
  const samples: number[][] = Array.from({ length: M }, (_, m) => (m === ESTIMATE_MEMBER ? Array.from(rows) : bootstrapByArm(rows, data.treatment, K, random)));
  const grid = options.l2Grid ?? LEARNER_L2_GRID;
  let l2: number[];
  let members: LinearModel[][];
  let links: ArmLink[] | undefined;
  if (options.kind === "t-linear") {
    const design = { x: expanded, width: B };
    const armRows = options.arms.map((_, k) => Array.from(rows).filter((i) => data.treatment[i] === k));
    const folds = n < SMALL_TABLE_ROWS ? SMALL_TABLE_FOLDS : 3;
    const fits = armRows.map((r) => chooseArmFit({ design, y: data.outcome, rows: r, binary, grid, folds, freeDirections }));
    l2 = fits.map((f) => f.l2);
    links = binary ? undefined : fits.map((f) => f.link);
    const family = (k: number): Family => (binary ? "logistic" : links?.[k]?.link === "log" ? "log" : "identity");
    members = samples.map((sample) =>
      options.arms.map((_, k) => {
        const own = sample.filter((i) => data.treatment[i] === k);
        return fitGlm(family(k), design, data.outcome, { l2: l2[k] ?? 1, rows: own, freeDirections });
      }),
    );
  } else {
    // The S-learner fits every part on the link of the outcome's type.
    const family: Family = binary ? "logistic" : "identity";
    const shared = withArmIndicators({ basis, expanded, n, arm: (i) => data.treatment[i] ?? c, arms: K, control: c });
    const sharedDesign = { x: shared.x, width: shared.width };
    // The arms' constant shifts are the gains themselves, not a nuisance to shrink: as free as the assignment's directions.
    const penalty = Float64Array.from({ length: shared.width }, (_, j) => (j < B ? 1 : FREE_DIRECTION_SHARE));
    const encoded = { x: data.x, width: data.inputs };
    const all = Array.from(rows);
    const sharedL2 = chooseL2({ design: sharedDesign, y: data.outcome, rows: all, binary, grid, freeDirections, penalty });
    const armRows = options.arms.map((_, k) => all.filter((i) => data.treatment[i] === k));
    const offsetOf = (model: LinearModel) => Float64Array.from({ length: n }, (_, i) => linearPredictor(model, sharedDesign, i));
    const full = fitGlm(family, sharedDesign, data.outcome, { l2: sharedL2, rows: all, freeDirections, penalty });
    const fullOffset = offsetOf(full);
    const deviationGrid = grid.map((g) => Math.max(g, sharedL2) * interactionPenalty);
    const deviationL2 = armRows.map((r) => chooseL2({ design: encoded, y: data.outcome, rows: r, binary, grid: deviationGrid, offset: fullOffset }));
    l2 = [sharedL2, ...deviationL2];
    members = samples.map((sample, m) => {
      const model = m === ESTIMATE_MEMBER ? full : fitGlm(family, sharedDesign, data.outcome, { l2: sharedL2, rows: sample, freeDirections, penalty });
      const offset = m === ESTIMATE_MEMBER ? fullOffset : offsetOf(model);
      const deviations = options.arms.map((_, k) =>
        fitGlm(family, encoded, data.outcome, { l2: deviationL2[k] ?? 1, rows: sample.filter((i) => data.treatment[i] === k), offset }),
      );
      return [model, ...deviations];
    });
  }
  return {
    kind: options.kind,
    outcomeType: options.outcomeType,
    arms: options.arms,
    control: options.control,
    basis,
    l2,
    interactionPenalty,
    members,
    ...(links?.some((l) => l.link !== "identity") ? { links } : {}),
    propensity: options.propensity === false ? [] : propensity,
  };
}

/** Per member, expected outcome of n rows under every arm (n × K each). */
export function linearMemberValues(state: LinearLearnerState, x: ArrayLike<number>, n: number): Float64Array[] {
  const expanded = expandBasis(state.basis, x, n);
  return state.members.map((models) => memberValues(state, models, expanded, x, n));
}

/** Member m's expected outcome of n rows under every arm (n × K); the estimate is member ESTIMATE_MEMBER. */
export function linearMemberValue(state: LinearLearnerState, x: ArrayLike<number>, n: number, m: number): Float64Array {
  return memberValues(state, state.members[m] as LinearModel[], expandBasis(state.basis, x, n), x, n);
}

/** One member's expected outcomes (n × K) from the rows on the spline basis (`expanded`) and as encoded (`x`). */
function memberValues(state: LinearLearnerState, models: readonly LinearModel[], expanded: Float64Array, x: ArrayLike<number>, n: number): Float64Array {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const binary = state.outcomeType === "binary";
  const B = basisWidth(state.basis);
  const out = new Float64Array(n * K);
  if (state.kind === "t-linear") {
    const design = { x: expanded, width: B };
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = armMean(binary, linearPredictor(models[k] as LinearModel, design, i), state.links?.[k]);
    return out;
  }
  // S-learner: the shared part once per row, then each arm's shift and deviation.
  const D = state.basis.width;
  const [shared, ...deviations] = models;
  const m = shared as LinearModel;
  for (let i = 0; i < n; i++) {
    let common = m.intercept;
    for (let j = 0; j < B; j++) common += (m.weights[j] ?? 0) * (expanded[i * B + j] ?? 0);
    for (let k = 0; k < K; k++) {
      let z = common + (k === c ? 0 : (m.weights[B + (k < c ? k : k - 1)] ?? 0));
      const d = deviations[k];
      if (d) {
        z += d.intercept;
        for (let j = 0; j < D; j++) z += (d.weights[j] ?? 0) * ((x[i * D + j] as number) ?? 0);
      }
      out[i * K + k] = armMean(binary, z);
    }
  }
  return out;
}

/**
 * Input gradient of member m's expected outcome (the estimate's: m = ESTIMATE_MEMBER), per row and
 * arm (n × K × D): exact, since the basis is piecewise linear (a column's slope is its own weight plus
 * the weights of the hinges whose knot it lies beyond) and the link's slope is σ(z)(1 − σ(z)) for a
 * binary outcome, 1 for a continuous one.
 */
export function linearGradient(state: LinearLearnerState, x: ArrayLike<number>, n: number, m: number): Float64Array {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const binary = state.outcomeType === "binary";
  const D = state.basis.width;
  const B = basisWidth(state.basis);
  const expanded = expandBasis(state.basis, x, n);
  const out = new Float64Array(n * K * D);
  const addSlopes = (weights: readonly number[], slope: number, i: number, o: number) => addBasisSlopes(state.basis, weights, slope, x, i, out, o);
  // Loops with plain indices and the linear predictor written out: this runs for every path point
  // of every explanation, and a shared helper called from here boxes its result.
  const models = state.members[m] as LinearModel[];
  for (let i = 0; i < n; i++) {
    const row = i * B;
    if (state.kind === "t-linear") {
      for (let k = 0; k < K; k++) {
        const model = models[k] as LinearModel;
        let z = model.intercept;
        for (let j = 0; j < B; j++) z += (model.weights[j] as number) * (expanded[row + j] as number);
        addSlopes(model.weights, linkSlope(binary, z, state.links?.[k]), i, (i * K + k) * D);
      }
      continue;
    }
    // S-learner: the shared model through the basis (with the arm's shift), plus the arm's deviation on the encoded columns.
    const shared = models[0] as LinearModel;
    let common = shared.intercept;
    for (let j = 0; j < B; j++) common += (shared.weights[j] as number) * (expanded[row + j] as number);
    for (let k = 0; k < K; k++) {
      const d = models[k + 1];
      let z = common + (k === c ? 0 : (shared.weights[B + (k < c ? k : k - 1)] ?? 0));
      if (d) {
        z += d.intercept;
        for (let j = 0; j < D; j++) z += (d.weights[j] as number) * (x[i * D + j] as number);
      }
      const slope = linkSlope(binary, z);
      const o = (i * K + k) * D;
      addSlopes(shared.weights, slope, i, o);
      if (d) for (let j = 0; j < D; j++) out[o + j] = (out[o + j] as number) + slope * (d.weights[j] as number);
    }
  }
  return out;
}

/**
 * Adds slope × the input gradient of one linear model on the spline basis at row i of x to out[o…o+D):
 * each column's own weight plus the weights of the hinges whose knot its value lies beyond.
 */
export function addBasisSlopes(basis: Basis, weights: readonly number[], slope: number, x: ArrayLike<number>, i: number, out: Float64Array, o: number): void {
  const D = basis.width;
  for (let j = 0; j < D; j++) out[o + j] = (out[o + j] as number) + slope * (weights[j] as number);
  let h = D;
  for (const { column, knots } of basis.splines) {
    const v = x[i * D + column] as number;
    for (let t = 0; t < knots.length; t++, h++) if (v > (knots[t] as number)) out[o + column] = (out[o + column] as number) + slope * (weights[h] as number);
  }
}

/** An arm's expected outcome at linear predictor z: σ(z) for a binary outcome; for a continuous one z, or on a log-linear arm exp(z) up to its cap. */
function armMean(binary: boolean, z: number, link?: ArmLink): number {
  if (binary) return sigmoid(z);
  return link?.link === "log" ? Math.min(logLinearMean(z), link.cap) : z;
}

/**
 * The expected outcome's slope in z: σ(z)(1 − σ(z)) for a binary outcome; for a continuous one 1,
 * or on a log-linear arm exp(z) (0 where the cap holds).
 */
function linkSlope(binary: boolean, z: number, link?: ArmLink): number {
  if (!binary) {
    if (link?.link !== "log") return 1;
    const mean = logLinearMean(z);
    return mean < link.cap ? mean : 0;
  }
  const p = sigmoid(z);
  return p * (1 - p);
}

/** Propensity per row and arm (n × K), one-vs-rest logistic normalised to sum to 1; uniform without models. */
export function linearPropensity(models: readonly LinearModel[], x: ArrayLike<number>, n: number, width: number, K: number): Float64Array {
  const out = new Float64Array(n * K);
  const design = { x, width };
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < K; k++) {
      const p = models[k] ? sigmoid(linearPredictor(models[k] as LinearModel, design, i)) : 1;
      out[i * K + k] = p;
      total += p;
    }
    for (let k = 0; k < K; k++) out[i * K + k] = total > 0 ? (out[i * K + k] ?? 0) / total : 1 / K;
  }
  return out;
}

export function linearLearner(state: LinearLearnerState, encoder: Encoder): Learner {
  const K = state.arms.length;
  const expected = (x: Float32Array, n: number) => linearMemberValue(state, x, n, ESTIMATE_MEMBER);
  return {
    kind: state.kind,
    arms: state.arms,
    control: state.control,
    outcomeType: state.outcomeType,
    predict: (x, n) =>
      summariseMembers({
        members: linearMemberValues(state, x, n),
        propensity: linearPropensity(state.propensity, x, n, encoder.width, K),
        n,
        arms: state.arms,
        control: state.control,
        binary: state.outcomeType === "binary",
      }),
    attribute: (x, n, options = {}) =>
      numericIntegratedGradients({
        expected,
        gradient: (points, m) => linearGradient(state, points, m, ESTIMATE_MEMBER),
        encoder,
        arms: state.arms,
        control: state.control,
        x,
        n,
        ...(options.steps ? { steps: options.steps } : {}),
      }),
  };
}

export type { Basis };
