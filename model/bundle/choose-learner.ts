import { type LearnerFile, type LearnerKind, type TrainingData, fitLearnerState, validateLearners } from "../learners/index.js";
import type { NetworkConfig } from "../network/tarnet.js";
import { createTrainingPool, type TrainingPool } from "../parallel/pool.js";
import type { Encoder } from "../table/encoder.js";

/** How `train` picks the learner that goes into the bundle. */
export type LearnerChoice = {
  /**
   * "auto": the learner with the best cross-fitted causal validation on the training rows among
   * `candidates` (what `npm run train` and `bench quality` do by default); or one learner kind
   * (validated alone, for the advice check); or "network" without any validation, the default of
   * `trainBundle` itself (fastest: the test fixtures, the app's retraining worker; the advice is
   * then shown as advice, as before).
   */
  learner?: "auto" | LearnerKind;
  /** Candidates of "auto" (default: every learner but the stack, which the validation makes of them). */
  candidates?: readonly LearnerKind[];
  /** Folds of the validation (default 3). */
  selectionFolds?: number;
  /** Members of each network fitted inside the validation (default 1: the ranking, not the interval, is judged). */
  selectionMembers?: number;
};

export const DEFAULT_CANDIDATES: readonly LearnerKind[] = ["network", "t-linear", "s-linear", "dr", "dr-trees"];

type Context = {
  data: TrainingData;
  encoder: Encoder;
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  network: NetworkConfig;
  seed: number;
  validationShare: number;
  /** Where the validation's fits run (default: this thread). */
  pool?: TrainingPool;
};

/**
 * The learner file for the bundle, and the chosen learner's cross-fitted out-of-fold expected
 * outcomes on the training rows (n × K; null without a validation), from which the model card
 * reports the performance of the learner that predicts.
 */
export type ChosenLearner = { file: LearnerFile; outOfFold: Float64Array | null };

/** Validates the candidates (unless the network is fixed) and fits the chosen learner on every training row. */
export async function chooseLearner(choice: LearnerChoice, context: Context): Promise<ChosenLearner> {
  const mode = choice.learner ?? "network";
  if (mode === "network") return { file: { formatVersion: 1, kind: "network", state: null, validation: null }, outOfFold: null };
  const candidates = mode === "auto" ? (choice.candidates ?? DEFAULT_CANDIDATES) : [mode];
  const pool = context.pool ?? (await createTrainingPool({ threads: 1 }));
  const heldOut = { data: context.data, arms: context.arms, control: context.control, outcomeType: context.outcomeType, seed: context.seed };
  const { validation, outOfFold } = await validateLearners({
    data: context.data,
    encoder: context.encoder,
    arms: context.arms,
    control: context.control,
    outcomeType: context.outcomeType,
    candidates,
    folds: choice.selectionFolds ?? 3,
    seed: context.seed,
    // Every fold's fit is a job of the pool: the network inside the validation is an ensemble of
    // `selectionMembers` trained on the fitting folds (its own early-stopping split within them).
    fitNetwork: async (fit, held) => {
      const job = { kind: "network-held-out" as const, ...heldOut, fit, held, config: context.network, members: choice.selectionMembers ?? 1, validationShare: context.validationShare };
      const { result, seconds } = await pool.runTimed(job);
      return { values: result, seconds };
    },
    fitCandidates: (learners, fit, held) => pool.run({ kind: "learner-held-out", learners, ...heldOut, encoder: context.encoder, fit, held }),
  });
  const kind = validation.chosen;
  const common = {
    arms: context.arms,
    control: context.control,
    outcomeType: context.outcomeType,
    encoder: context.encoder,
    seed: context.seed,
  };
  const state = fitLearnerState(kind, validation, context.data, common);
  return { file: { formatVersion: 1, kind, state, validation }, outOfFold };
}
