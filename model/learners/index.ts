import { z } from "zod";
import type { Ensemble } from "../network/ensemble.js";
import type { Encoder } from "../table/encoder.js";
import { type DrLearnerState, DrLearnerStateSchema, drLearner } from "./dr.js";
import { LEARNER_KINDS, type Learner, type LearnerKind } from "./learner.js";
import { type LinearLearnerState, LinearLearnerStateSchema, linearLearner } from "./linear.js";
import { networkLearner } from "./network.js";
import { ValidationSchema } from "./select.js";

/**
 * learner.json in a bundle: which learner predicts (the network's weights are always in the bundle
 * too; `state` holds a linear or DR learner's coefficients, null for the network) and the
 * validation that chose it. A bundle without the file holds the network, as every bundle did
 * before learners could be chosen.
 */
export const LEARNER_FILE = "learner.json";

export const LearnerFileSchema = z.object({
  formatVersion: z.literal(1),
  kind: z.enum(LEARNER_KINDS as [LearnerKind, ...LearnerKind[]]),
  state: z.union([LinearLearnerStateSchema, DrLearnerStateSchema]).nullable(),
  validation: ValidationSchema.nullable(),
}).refine((file) => (file.state === null ? file.kind === "network" : file.state.kind === file.kind), {
  message: "kind does not match the learner state",
});
export type LearnerFile = z.infer<typeof LearnerFileSchema>;

export type LearnerState = LinearLearnerState | DrLearnerState;

/** The learner a bundle's files describe; the network when the file is absent. */
export function restoreLearner(file: LearnerFile | null, ensemble: Ensemble, encoder: Encoder): Learner {
  const state = file?.state ?? null;
  if (state === null) return networkLearner(ensemble, encoder);
  return state.kind === "dr" ? drLearner(state, encoder) : linearLearner(state, encoder);
}

export { LEARNER_KINDS, type Learner, type LearnerKind, type TrainingData } from "./learner.js";
export { fitDrLearner, type DrLearnerState } from "./dr.js";
export { fitLinearLearner, type LinearLearnerState } from "./linear.js";
export { networkLearner } from "./network.js";
export { type CandidateScore, fitHeldOut, selectLearner, type Validation, ValidationSchema } from "./select.js";
