import { z } from "zod";
import { BasisSchema, basisFor, basisWidth, expandBasis } from "../baseline/basis.js";
import { fitRidge, type LinearModel, linearPredictor } from "../baseline/linear.js";
import { createRandom } from "../random.js";
import type { Encoder } from "../table/encoder.js";
import { crossFitNuisance, type Nuisance, pseudoOutcomes } from "./cross-fit.js";
import { type Learner, meanOfMembers, numericIntegratedGradients, summariseMembers, type TrainingData } from "./learner.js";
import {
  chooseL2,
  fitLinearLearner,
  type LinearLearnerOptions,
  LinearLearnerStateSchema,
  LinearModelSchema,
  linearLearner,
  linearMemberValues,
  linearPropensity,
} from "./linear.js";

/**
 * The DR-learner: the gain of every arm over the control arm regressed (ridge, on the spline basis)
 * on cross-fitted doubly robust pseudo-outcomes Γ_k − Γ_control; the expected outcome under an arm
 * is the base learner's expected outcome under the control arm plus that gain. The pseudo-outcomes
 * stay unbiased when either the outcome or the propensity model is right, which is what makes the
 * gain estimates hold up under confounded assignment. The base learner is any linear learner.
 */
export const DrLearnerStateSchema = z.object({
  kind: z.literal("dr"),
  outcomeType: z.enum(["binary", "continuous"]),
  arms: z.array(z.string()).min(2),
  control: z.string(),
  base: LinearLearnerStateSchema,
  basis: BasisSchema,
  l2: z.array(z.number().min(0)),
  /** Member → per non-control arm (schema order) the gain regression. */
  members: z.array(z.array(LinearModelSchema)).min(1),
});
export type DrLearnerState = z.infer<typeof DrLearnerStateSchema>;

export type DrLearnerOptions = Omit<LinearLearnerOptions, "kind"> & {
  /** The base learner's kind (default t-linear). */
  baseKind?: LinearLearnerOptions["kind"];
  /** Cross-fitted nuisance for the fitting rows; computed here (`folds`-fold) when absent. */
  nuisance?: Nuisance;
  folds?: number;
};

export function fitDrLearner(data: TrainingData, options: DrLearnerOptions): DrLearnerState {
  const n = data.treatment.length;
  const K = options.arms.length;
  const c = options.arms.indexOf(options.control);
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const seed = options.seed ?? 42;
  const nuisance =
    options.nuisance ??
    crossFitNuisance(data, {
      rows,
      folds: options.folds ?? 3,
      seed,
      arms: options.arms,
      control: options.control,
      outcomeType: options.outcomeType,
      encoder: options.encoder,
    });
  const gamma = pseudoOutcomes(data, nuisance, rows, K);
  const base = fitLinearLearner(data, { ...options, kind: options.baseKind ?? "t-linear", rows });
  const basis = basisFor(options.encoder);
  const design = { x: expandBasis(basis, data.x, n), width: basisWidth(basis) };
  const M = options.members ?? 5;
  const random = createRandom(seed * 17 + 3);
  const targets = options.arms.map((_, k) => Float64Array.from({ length: n }, (_, i) => (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0)));
  const effectArms = options.arms.flatMap((_, k) => (k === c ? [] : [k]));
  const list = Array.from(rows);
  // Pseudo-outcome differences are noisy: a stronger penalty grid than the outcome models'.
  const grid = [10, 100, 1000, 10000];
  const l2 = effectArms.map((k) => chooseL2({ design, y: targets[k] ?? new Float64Array(0), rows: list, binary: false, grid }));
  const members = Array.from({ length: M }, () => {
    const sample = M === 1 ? list : list.map(() => list[Math.floor(random() * list.length)] ?? 0);
    return effectArms.map((k, a) => fitRidge(design, targets[k] ?? new Float64Array(0), { l2: l2[a] ?? 100, rows: sample }));
  });
  return { kind: "dr", outcomeType: options.outcomeType, arms: options.arms, control: options.control, base, basis, l2, members };
}

export function drMemberValues(state: DrLearnerState, x: ArrayLike<number>, n: number): Float64Array[] {
  const K = state.arms.length;
  const c = state.arms.indexOf(state.control);
  const binary = state.outcomeType === "binary";
  const baseMembers = linearMemberValues(state.base, x, n);
  const design = { x: expandBasis(state.basis, x, n), width: basisWidth(state.basis) };
  return state.members.map((effects, m) => {
    const base = baseMembers[m % baseMembers.length] ?? new Float64Array(n * K);
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const control = base[i * K + c] ?? 0;
      let a = 0;
      for (let k = 0; k < K; k++) {
        if (k === c) {
          out[i * K + k] = control;
          continue;
        }
        const tau = linearPredictor(effects[a++] as LinearModel, design, i);
        const value = control + tau;
        out[i * K + k] = binary ? Math.min(1, Math.max(0, value)) : value;
      }
    }
    return out;
  });
}

export function drLearner(state: DrLearnerState, encoder: Encoder): Learner {
  const K = state.arms.length;
  const expected = (x: Float32Array, n: number) => meanOfMembers(drMemberValues(state, x, n));
  return {
    kind: "dr",
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
    attribute: (x, n, options = {}) =>
      numericIntegratedGradients({ expected, encoder, arms: state.arms, control: state.control, x, n, ...(options.steps ? { steps: options.steps } : {}) }),
  };
}

export { linearLearner };
