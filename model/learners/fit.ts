import type { Encoder } from "../table/encoder.js";
import type { Nuisance } from "./cross-fit.js";
import { drBase, type DrLearnerOptions, type DrLearnerState, drNuisance, fitDrLearner } from "./dr.js";
import type { LearnerKind, TrainingData } from "./learner.js";
import { fitLinearLearner, type LinearLearnerState } from "./linear.js";
import type { HeldOutKind, Validation } from "./select.js";
import { STACKABLE, type StackLearnerState, type StackPartState } from "./stack.js";

export type FitLearnerOptions = {
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  encoder: Encoder;
  seed: number;
};

/**
 * The chosen learner's state fitted on every training row: null for the network (its weights are
 * the bundle's ensemble), a linear or DR learner's coefficients, or a stack's weights (from the
 * validation's stack row) with each part other than the network fitted.
 */
export function fitLearnerState(
  kind: LearnerKind,
  validation: Validation | null,
  data: TrainingData,
  options: FitLearnerOptions,
): StackPartState | StackLearnerState | null {
  if (kind !== "stack") return fitPart(kind, data, options, sharedFirstStage(data, options));
  const weights = validation?.candidates.find((c) => c.kind === "stack")?.weights;
  if (!weights) throw new Error("a stack needs the validation's stack weights");
  const shared = sharedFirstStage(data, options);
  const parts = STACKABLE.flatMap((part) => {
    const weight = weights[part] ?? 0;
    return weight > 0 ? [{ kind: part, weight, state: fitPart(part, data, options, shared) }] : [];
  });
  const total = parts.reduce((s, p) => s + p.weight, 0);
  return {
    kind: "stack",
    outcomeType: options.outcomeType,
    arms: options.arms,
    control: options.control,
    parts: parts.map((p) => ({ ...p, weight: p.weight / total })),
  };
}

/**
 * The DR learners' first stage (the cross-fitted nuisance, and the t-linear learner on all rows),
 * fitted once when first asked for: a stack's DR parts and its t-linear part would otherwise fit the
 * same states two or three times over (the same rows, options and seed give the same state).
 */
export function sharedFirstStage(data: TrainingData, options: DrLearnerOptions) {
  let nuisance: Nuisance | undefined;
  let base: LinearLearnerState | undefined;
  return {
    nuisance: () => (nuisance ??= drNuisance(data, options)),
    base: () => (base ??= drBase(data, options)),
  };
}
export type SharedFirstStage = ReturnType<typeof sharedFirstStage>;

/** The learners that take (t-linear: are) the shared first stage, so are best fitted together. */
export const SHARES_FIRST_STAGE: readonly HeldOutKind[] = ["t-linear", "dr", "dr-trees"];

/** A linear or DR learner fitted with `options`, the DR learners' first stage and t-linear taken from `shared` (made with the same options). */
export function fitSharing(kind: HeldOutKind, data: TrainingData, options: DrLearnerOptions, shared: SharedFirstStage): LinearLearnerState | DrLearnerState {
  if (kind === "dr" || kind === "dr-trees") return fitDrLearner(data, { ...options, kind, nuisance: shared.nuisance(), base: shared.base() });
  if (kind === "t-linear") return shared.base();
  return fitLinearLearner(data, { ...options, kind });
}

function fitPart(kind: Exclude<LearnerKind, "stack">, data: TrainingData, options: FitLearnerOptions, shared: SharedFirstStage): StackPartState | null {
  return kind === "network" ? null : fitSharing(kind, data, options, shared);
}
