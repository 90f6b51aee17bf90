import { z } from "zod";
import { BasisSchema, basisFor, basisWidth, expandBasis } from "../baseline/basis.js";
import { type DesignMatrix, fitRidge, type LinearModel, linearPredictor } from "../baseline/linear.js";
import { createRandom } from "../random.js";
import type { Encoder } from "../table/encoder.js";
import { crossFitNuisance, type Nuisance, pseudoOutcomes } from "./cross-fit.js";
import { binData, type BoostedTrees, BoostedTreesSchema, boostedScore, fitStumps, fitStumpsCv, type StumpOptions } from "./trees.js";
import type { Attribution } from "../explain/integrated-gradients.js";
import { ESTIMATE_MEMBER, type Learner, numericIntegratedGradients, summariseMembers, type TrainingData } from "./learner.js";
import {
  chooseL2,
  fitLinearLearner,
  type LinearLearnerOptions,
  type LinearLearnerState,
  LinearLearnerStateSchema,
  LinearModelSchema,
  addBasisSlopes,
  linearGradient,
  linearLearner,
  linearMemberValue,
  linearMemberValues,
  linearPropensity,
} from "./linear.js";

/**
 * The DR-learner (Kennedy): the gain of every arm over the control arm regressed on cross-fitted
 * doubly robust pseudo-outcomes Γ_k − Γ_control; the expected outcome under an arm is the base
 * learner's expected outcome under the control arm plus that gain. The pseudo-outcomes stay
 * unbiased when either the outcome or the propensity model is right, which is what makes the gain
 * estimates hold up under confounded assignment. Both stages take a base learner of their own:
 *   first stage   the outcome model behind the pseudo-outcomes and the control arm's expectation:
 *                 a t-linear or s-linear learner (`baseKind`);
 *   second stage  the regression of the pseudo-outcome differences: ridge on the spline basis
 *                 (kind "dr"), or boosted additive trees (kind "dr-trees": stumps, the number of
 *                 trees chosen by cross-validation on the pseudo-outcomes, leaves of at least
 *                 1/64 of the rows: thresholds and jumps a spline smooths over, and no
 *                 interaction it could overfit on a target this noisy).
 */
export const DrLearnerStateSchema = z
  .object({
    kind: z.enum(["dr", "dr-trees"]),
    outcomeType: z.enum(["binary", "continuous"]),
    arms: z.array(z.string()).min(2),
    control: z.string(),
    base: LinearLearnerStateSchema,
    basis: BasisSchema,
    l2: z.array(z.number().min(0)),
    /** Member → per non-control arm (schema order) the gain regression (kind "dr"). */
    members: z.array(z.array(LinearModelSchema)),
    /**
     * Member → per non-control arm the gain's boosted trees (kind "dr-trees"). As for the ridge
     * members, member 0 is the fit on all rows (here with the number of trees cross-validation
     * chose), the estimate; the others refit on bootstrap samples, for the interval.
     */
    trees: z.array(z.array(BoostedTreesSchema)).optional(),
  })
  .refine((s) => (s.kind === "dr" ? s.members.length > 0 : (s.trees?.length ?? 0) > 0), { message: "a DR learner needs its second-stage members" });
export type DrLearnerState = z.infer<typeof DrLearnerStateSchema>;

export type DrLearnerOptions = Omit<LinearLearnerOptions, "kind"> & {
  /** Second stage: ridge on the spline basis ("dr", the default) or boosted additive trees ("dr-trees"). */
  kind?: "dr" | "dr-trees";
  /** Settings of the boosted stumps (kind "dr-trees"; defaults in trees.ts). */
  stumps?: StumpOptions;
  /** The first stage's learner (default t-linear). */
  baseKind?: LinearLearnerOptions["kind"];
  /** Cross-fitted nuisance for the fitting rows; computed here (`folds`-fold) when absent. */
  nuisance?: Nuisance;
  /** The first stage fitted on the fitting rows with these options; fitted here when absent. */
  base?: LinearLearnerState;
  folds?: number;
};

/** The first stage's cross-fitted nuisance on the fitting rows, behind the pseudo-outcomes. */
export function drNuisance(data: TrainingData, options: DrLearnerOptions): Nuisance {
  return crossFitNuisance(data, {
    rows: options.rows ?? Int32Array.from({ length: data.treatment.length }, (_, i) => i),
    folds: options.folds ?? 3,
    seed: options.seed ?? 42,
    arms: options.arms,
    control: options.control,
    outcomeType: options.outcomeType,
    encoder: options.encoder,
    baseKind: options.baseKind ?? "t-linear",
  });
}

/**
 * The first stage fitted on all the fitting rows (the control arm's expectation): the learner
 * `baseKind` with the same options, so a t-linear learner fitted with them is this very state and
 * callers fitting both share it (fitHeldOut, fitLearnerState).
 */
export function drBase(data: TrainingData, options: DrLearnerOptions): LinearLearnerState {
  return fitLinearLearner(data, { ...options, kind: options.baseKind ?? "t-linear" });
}

export function fitDrLearner(data: TrainingData, options: DrLearnerOptions): DrLearnerState {
  const n = data.treatment.length;
  const K = options.arms.length;
  const c = options.arms.indexOf(options.control);
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const seed = options.seed ?? 42;
  const nuisance = options.nuisance ?? drNuisance(data, options);
  const gamma = pseudoOutcomes(data, nuisance, rows, K);
  const base = options.base ?? drBase(data, options);
  const kind = options.kind ?? "dr";
  const basis = basisFor(options.encoder);
  const M = options.members ?? 5;
  const random = createRandom(seed * 17 + 3);
  const targets = options.arms.map((_, k) => Float64Array.from({ length: n }, (_, i) => (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0)));
  const effectArms = options.arms.flatMap((_, k) => (k === c ? [] : [k]));
  const list = Array.from(rows);
  const bootstrap = () => list.map(() => list[Math.floor(random() * list.length)] ?? 0);
  const common = { kind, outcomeType: options.outcomeType, arms: options.arms, control: options.control, base, basis };
  if (kind === "dr-trees") {
    const binned = binData(data.x, n, data.inputs, list);
    const effectTargets = effectArms.map((k) => targets[k] ?? new Float64Array(0));
    const first = fitStumpsCv(binned, effectTargets, list, options.stumps);
    // Further members: the same number of trees per arm on bootstrap samples, for the interval only
    // (with the count chosen for all rows a bootstrap sample, about 63 % distinct rows, is overfitted:
    // their mean had a higher √PEHE than the fit on all rows on every generated table tried).
    const counts = first.map((model) => model.trees.length);
    const trees = Array.from({ length: M }, (_, m) =>
      m === ESTIMATE_MEMBER ? first : fitStumps(binned, effectTargets, bootstrap(), counts, options.stumps),
    );
    return { ...common, l2: [], members: [], trees };
  }
  // Only the ridge second stage needs the rows on the spline basis.
  const design = { x: expandBasis(basis, data.x, n), width: basisWidth(basis) };
  // Pseudo-outcome differences are noisy: a stronger penalty grid than the outcome models'.
  const grid = [10, 100, 1000, 10000];
  const l2 = effectArms.map((k) => chooseL2({ design, y: targets[k] ?? new Float64Array(0), rows: list, binary: false, grid }));
  const members = Array.from({ length: M }, (_, m) => {
    const sample = m === ESTIMATE_MEMBER ? list : bootstrap();
    return effectArms.map((k, a) => fitRidge(design, targets[k] ?? new Float64Array(0), { l2: l2[a] ?? 100, rows: sample }));
  });
  return { ...common, l2, members };
}

export function drMemberValues(state: DrLearnerState, x: ArrayLike<number>, n: number): Float64Array[] {
  const baseMembers = linearMemberValues(state.base, x, n);
  const design = gainDesign(state, x, n);
  return Array.from({ length: drMemberCount(state) }, (_, m) => drMemberValue(state, x, n, baseMembers[firstStageMember(state, m)] as Float64Array, design, m));
}

/** The learner's estimate (n × K): member ESTIMATE_MEMBER, the fits on all rows of both stages (learner.ts). */
export function drPointValues(state: DrLearnerState, x: ArrayLike<number>, n: number): Float64Array {
  const base = linearMemberValue(state.base, x, n, firstStageMember(state, ESTIMATE_MEMBER));
  return drMemberValue(state, x, n, base, gainDesign(state, x, n), ESTIMATE_MEMBER);
}

/** The rows on the spline basis for the ridge second stage ("dr"); the trees read the encoded rows. */
function gainDesign(state: DrLearnerState, x: ArrayLike<number>, n: number): DesignMatrix | null {
  return state.kind === "dr" ? { x: expandBasis(state.basis, x, n), width: basisWidth(state.basis) } : null;
}

/** DR member m's expected outcomes (n × K): its first-stage member's control arm (`base`, n × K) plus its gains. */
function drMemberValue(state: DrLearnerState, x: ArrayLike<number>, n: number, base: Float64Array, design: DesignMatrix | null, m: number): Float64Array {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const binary = state.outcomeType === "binary";
  const width = state.base.basis.width;
  const gainOf = (a: number, i: number): number =>
    design ? linearPredictor(state.members[m]?.[a] as LinearModel, design, i) : boostedScore(state.trees?.[m]?.[a] as BoostedTrees, x, width, i);
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const control = base[i * K + c] ?? 0;
    let a = 0;
    for (let k = 0; k < K; k++) {
      if (k === c) {
        out[i * K + k] = control;
        continue;
      }
      const value = control + gainOf(a++, i);
      out[i * K + k] = binary ? Math.min(1, Math.max(0, value)) : value;
    }
  }
  return out;
}

/** How many second-stage members the learner holds. */
const drMemberCount = (state: DrLearnerState): number => (state.kind === "dr" ? state.members.length : (state.trees?.length ?? 0));

/** The first stage's member that DR member m builds on: they cycle through the first stage's. */
const firstStageMember = (state: DrLearnerState, m: number): number => m % state.base.members.length;

export function drLearner(state: DrLearnerState, encoder: Encoder): Learner {
  const K = state.arms.length;
  const expected = (x: Float32Array, n: number) => drPointValues(state, x, n);
  return {
    kind: state.kind,
    arms: state.arms,
    control: state.control,
    outcomeType: state.outcomeType,
    predict: (x, n) =>
      summariseMembers({
        members: drMemberValues(state, x, n),
        propensity: linearPropensity(state.base.propensity, x, n, encoder.width, K),
        n,
        arms: state.arms,
        control: state.control,
        binary: state.outcomeType === "binary",
      }),
    attribute: (x, n, options = {}) => {
      const steps = options.steps ? { steps: options.steps } : {};
      if (state.kind === "dr") {
        const gradient = (points: Float32Array, m: number) => drRidgeGradient(state, points, m);
        return numericIntegratedGradients({ expected, gradient, encoder, arms: state.arms, control: state.control, x, n, ...steps });
      }
      // Trees are step functions, whose gradient is zero almost everywhere on the path: the smooth
      // first stage (the control arm's expectation, the same for every arm) by integrated
      // gradients, the stumps' gains exactly (additive over columns: each tree's jump belongs to its column's group).
      const c = state.arms.indexOf(state.control);
      // The control arm's expectation alone (the first-stage member the estimate builds on), without
      // the trees, for every arm; and its exact input gradient.
      const first = firstStageMember(state, ESTIMATE_MEMBER);
      const controlOnly = (points: Float32Array, m: number) => {
        const own = linearMemberValue(state.base, points, m, first);
        const values = new Float64Array(m * K);
        for (let i = 0; i < m; i++) values.fill(own[i * K + c] ?? 0, i * K, (i + 1) * K);
        return values;
      };
      const controlGradient = (points: Float32Array, m: number) => {
        const D = encoder.width;
        const gradient = linearGradient(state.base, points, m, first);
        for (let i = 0; i < m; i++) {
          const control = gradient.slice((i * K + c) * D, (i * K + c + 1) * D);
          for (let k = 0; k < K; k++) gradient.set(control, (i * K + k) * D);
        }
        return gradient;
      };
      const smooth = numericIntegratedGradients({ expected: controlOnly, gradient: controlGradient, encoder, arms: state.arms, control: state.control, x, n, ...steps });
      const atBase = expected(Float32Array.from(encoder.baseline), 1);
      return smooth.map((attribution, i) => {
        const jumps = treeGroupJumps(state, encoder, x.subarray(i * encoder.width, (i + 1) * encoder.width));
        const chance: Attribution["chance"] = {};
        const gain: Attribution["gain"] = {};
        state.arms.forEach((arm, k) => {
          const own = jumps[k] ?? {};
          chance[arm] = Object.fromEntries(Object.entries(attribution.chance[arm] ?? {}).map(([g, v]) => [g, v + (own[g] ?? 0)]));
          gain[arm] = Object.fromEntries(Object.keys(attribution.chance[arm] ?? {}).map((g) => [g, own[g] ?? 0]));
        });
        return { chance, gain, baselineExpected: Object.fromEntries(state.arms.map((arm, k) => [arm, atBase[k] ?? 0])) };
      });
    },
  };
}

/**
 * Input gradient of the estimate (drPointValues) for the ridge second stage (n × K × D): the first
 * stage's control arm (its member ESTIMATE_MEMBER) plus, for the other arms, the gain regression on
 * the spline basis; nothing where a binary chance is clipped at 0 or 1. Exact, as the linear
 * learners' gradients are.
 */
export function drRidgeGradient(state: DrLearnerState, x: ArrayLike<number>, n: number): Float64Array {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const D = state.base.basis.width;
  const binary = state.outcomeType === "binary";
  const own = drPointValues(state, x, n);
  const control = linearGradient(state.base, x, n, firstStageMember(state, ESTIMATE_MEMBER));
  const models = state.members[ESTIMATE_MEMBER] as LinearModel[];
  const out = new Float64Array(n * K * D);
  for (let i = 0; i < n; i++) {
    const from = (i * K + c) * D;
    let a = 0;
    for (let k = 0; k < K; k++) {
      const model = k === c ? null : (models[a++] as LinearModel);
      const v = own[i * K + k] as number;
      if (k !== c && binary && (v <= 0 || v >= 1)) continue;
      const o = (i * K + k) * D;
      for (let j = 0; j < D; j++) out[o + j] = control[from + j] as number;
      if (model) addBasisSlopes(state.basis, model.weights, 1, x, i, out, o);
    }
  }
  return out;
}

/**
 * Per arm (schema order; the control arm empty) and feature group, the change of the estimate's
 * trees' gain (member 0, see drPointValues) from the baseline client to this client: Σ over trees
 * on the group's columns of value(client) − value(baseline). Exact for stumps, whose gain is a sum
 * over columns.
 */
function treeGroupJumps(state: DrLearnerState, encoder: Encoder, client: ArrayLike<number>): Record<string, number>[] {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const models = state.trees?.[ESTIMATE_MEMBER] ?? [];
  const base = encoder.baseline;
  const out: Record<string, number>[] = Array.from({ length: K }, () => ({}));
  const arms = state.arms.flatMap((_, k) => (k === c ? [] : [k]));
  const groupOf = encoder.columnFeature.map((f) => encoder.features[f]?.group ?? "");
  for (const [a, k] of arms.entries()) {
    const sums = out[k] as Record<string, number>;
    for (const tree of models[a]?.trees ?? []) {
      const column = tree.feature[0] ?? -1;
      if (column < 0) continue;
      const group = groupOf[column] ?? "";
      // A stump's leaf: x ≤ threshold goes left.
      const threshold = tree.threshold[0] as number;
      const atClient = (client[column] as number) <= threshold ? (tree.left[0] as number) : (tree.right[0] as number);
      const atBase = (base[column] as number) <= threshold ? (tree.left[0] as number) : (tree.right[0] as number);
      sums[group] = (sums[group] ?? 0) + (tree.value[atClient] as number) - (tree.value[atBase] as number);
    }
  }
  return out;
}

export { linearLearner };
