import { z } from "zod";
import type { Basis } from "../baseline/basis.js";
import type { Ensemble } from "../network/ensemble.js";
import type { Encoder } from "../table/encoder.js";
import { type DrLearnerState, DrLearnerStateSchema, drLearner } from "./dr.js";
import { LEARNER_KINDS, type Learner } from "./learner.js";
import { type LinearLearnerState, LinearLearnerStateSchema, linearLearner } from "./linear.js";
import { networkLearner } from "./network.js";
import { ValidationSchema } from "./select.js";
import { shrunkLearner } from "./shrinkage.js";
import { type StackLearnerState, StackLearnerStateSchema, type StackPartState, stackLearner } from "./stack.js";

/**
 * learner.json in a bundle: which learner predicts (the network's weights are always in the bundle
 * too; `state` holds a linear or DR learner's coefficients or a stack's weights and parts, null for
 * the network) and the
 * validation that chose it. A bundle without the file holds the network, as every bundle did
 * before learners could be chosen.
 */
export const LEARNER_FILE = "learner.json";

export const LearnerFileSchema = z.object({
  formatVersion: z.literal(1),
  kind: z.enum(LEARNER_KINDS),
  state: z.union([LinearLearnerStateSchema, DrLearnerStateSchema, StackLearnerStateSchema]).nullable(),
  validation: ValidationSchema.nullable(),
}).refine((file) => (file.state === null ? file.kind === "network" : file.state.kind === file.kind), {
  message: "kind does not match the learner state",
});
export type LearnerFile = z.infer<typeof LearnerFileSchema>;

export type LearnerState = LinearLearnerState | DrLearnerState | StackLearnerState;

/** The learner a bundle's files describe; the network when the file is absent. */
export function restoreLearner(file: LearnerFile | null, ensemble: Ensemble, encoder: Encoder): Learner {
  const state = file?.state ?? null;
  const shrinkage = file?.validation?.shrinkage ?? null;
  const learner =
    state === null
      ? networkLearner(ensemble, encoder)
      : state.kind === "stack"
        ? stackLearner(state, state.parts.map((part) => restorePart(part.state, ensemble, encoder)))
        : restorePart(state, ensemble, encoder);
  // The validation's shrinkage of the arms' average gains belongs to the learner it chose.
  return shrinkage ? shrunkLearner(learner, shrinkage) : learner;
}

/** The spline bases of a learner state (one, or one per part of a stack other than the network). */
export function learnerBases(state: LearnerState): Basis[] {
  if (state.kind !== "stack") return [state.basis];
  return state.parts.flatMap((part) => (part.state ? [part.state.basis] : []));
}

/** The arms whose expected outcome the learner (or a part of it, or a DR learner's first stage) fits log-linear. */
export function logLinearArms(state: LearnerState | null): string[] {
  if (state === null) return [];
  const linear = (s: StackPartState | null): LinearLearnerState[] => (s === null ? [] : "base" in s ? [s.base] : [s]);
  const states = state.kind === "stack" ? state.parts.flatMap((p) => linear(p.state)) : linear(state);
  return state.arms.filter((_, k) => states.some((s) => s.links?.[k]?.link === "log"));
}

function restorePart(state: StackPartState | null, ensemble: Ensemble, encoder: Encoder): Learner {
  if (state === null) return networkLearner(ensemble, encoder);
  return "base" in state ? drLearner(state, encoder) : linearLearner(state, encoder);
}

export { LEARNER_KINDS, type Learner, type LearnerKind, type TrainingData } from "./learner.js";
export { fitDrLearner, type DrLearnerState } from "./dr.js";
export { fitLearnerState } from "./fit.js";
export { fitLinearLearner, type LinearLearnerState } from "./linear.js";
export { networkLearner } from "./network.js";
export { STACKABLE, type StackLearnerState, stackWeights } from "./stack.js";
export { type ArmShrinkage, armShrinkage, shrunkLearner } from "./shrinkage.js";
export { adviceGain } from "./advice-gain.js";
export { type CandidateScore, fitHeldOut, type HeldOutKind, selectLearner, type Validation, ValidationSchema, validateLearners } from "./select.js";
