import { type LearnerFile, type LearnerKind, type TrainingData, fitDrLearner, fitLinearLearner, selectLearner, type Validation } from "../learners/index.js";
import { gatherRows } from "../learners/cross-fit.js";
import { disposeEnsemble, loadEnsemble, predictEnsemble, trainEnsemble } from "../network/ensemble.js";
import type { NetworkConfig } from "../network/tarnet.js";
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
  /** Candidates of "auto" (default: all four). */
  candidates?: readonly LearnerKind[];
  /** Folds of the validation (default 3). */
  selectionFolds?: number;
  /** Members of each network fitted inside the validation (default 1: the ranking, not the interval, is judged). */
  selectionMembers?: number;
};

export const DEFAULT_CANDIDATES: readonly LearnerKind[] = ["network", "t-linear", "s-linear", "dr"];

type Context = {
  data: TrainingData;
  encoder: Encoder;
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  network: NetworkConfig;
  seed: number;
  validationShare: number;
};

/** Rows `rows` of the training data as a table of their own. */
function subset(data: TrainingData, rows: Int32Array): TrainingData {
  return {
    x: gatherRows(data.x, data.inputs, rows),
    inputs: data.inputs,
    treatment: Int32Array.from(rows, (i) => data.treatment[i] ?? 0),
    outcome: Float32Array.from(rows, (i) => data.outcome[i] ?? 0),
  };
}

/** The network inside the validation: trained on the fitting folds (its own early-stopping split within them), predicting the held-out fold. */
function fitNetworkHeldOut(context: Context, members: number) {
  return async (fit: Int32Array, held: Int32Array): Promise<Float64Array> => {
    const { state } = trainEnsemble({
      data: subset(context.data, fit),
      arms: context.arms,
      control: context.control,
      outcomeType: context.outcomeType,
      config: context.network,
      members,
      seed: context.seed,
      validationShare: context.validationShare,
    });
    const ensemble = loadEnsemble(state);
    try {
      return Float64Array.from(predictEnsemble(ensemble, gatherRows(context.data.x, context.data.inputs, held), held.length).mean);
    } finally {
      disposeEnsemble(ensemble);
    }
  };
}

/** Validates the candidates (unless the network is fixed) and fits the chosen learner on every training row. */
export async function chooseLearner(choice: LearnerChoice, context: Context): Promise<LearnerFile> {
  const mode = choice.learner ?? "network";
  if (mode === "network") return { formatVersion: 1, kind: "network", state: null, validation: null };
  const candidates = mode === "auto" ? (choice.candidates ?? DEFAULT_CANDIDATES) : [mode];
  const validation: Validation = await selectLearner({
    data: context.data,
    encoder: context.encoder,
    arms: context.arms,
    control: context.control,
    outcomeType: context.outcomeType,
    candidates,
    folds: choice.selectionFolds ?? 3,
    seed: context.seed,
    fitNetwork: fitNetworkHeldOut(context, choice.selectionMembers ?? 1),
  });
  const kind = validation.chosen;
  const common = {
    arms: context.arms,
    control: context.control,
    outcomeType: context.outcomeType,
    encoder: context.encoder,
    seed: context.seed,
  };
  const state =
    kind === "network" ? null : kind === "dr" ? fitDrLearner(context.data, common) : fitLinearLearner(context.data, { ...common, kind });
  return { formatVersion: 1, kind, state, validation };
}
