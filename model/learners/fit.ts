import type { Encoder } from "../table/encoder.js";
import { fitDrLearner } from "./dr.js";
import type { LearnerKind, TrainingData } from "./learner.js";
import { fitLinearLearner } from "./linear.js";
import type { Validation } from "./select.js";
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
  if (kind !== "stack") return fitPart(kind, data, options);
  const weights = validation?.candidates.find((c) => c.kind === "stack")?.weights;
  if (!weights) throw new Error("a stack needs the validation's stack weights");
  const parts = STACKABLE.flatMap((part) => {
    const weight = weights[part] ?? 0;
    return weight > 0 ? [{ kind: part, weight, state: fitPart(part, data, options) }] : [];
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

function fitPart(kind: Exclude<LearnerKind, "stack">, data: TrainingData, options: FitLearnerOptions): StackPartState | null {
  if (kind === "network") return null;
  if (kind === "dr" || kind === "dr-trees") return fitDrLearner(data, { ...options, kind });
  return fitLinearLearner(data, { ...options, kind });
}
