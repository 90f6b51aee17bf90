import { readFile } from "node:fs/promises";
import path from "node:path";
import { adviceGain as validationAdviceGain, LEARNER_FILE, LearnerFileSchema, type Validation } from "../../../model/learners/index";

/** Which learner a bundle predicts with, the validation that chose it, and whether its ranking counts as advice. */
export type LearnerSummary = { kind: string; validation: Validation | null; advise: boolean };

/**
 * A registered bundle's learner.json, read through its schema. Null for a bundle made before learners
 * were chosen (the network; its ranking is advice, as before) or a file that does not parse. `advise`
 * is false only when the bundle's own cross-fitted validation could not show that following its first
 * choice beats the observed assignment: the app then shows the ranking as information.
 */
export async function readLearnerSummary(dir: string): Promise<LearnerSummary | null> {
  try {
    const parsed = LearnerFileSchema.safeParse(JSON.parse(await readFile(path.join(dir, LEARNER_FILE), "utf8")));
    if (!parsed.success) return null;
    const { kind, validation } = parsed.data;
    return { kind, validation, advise: validation?.advise ?? true };
  } catch {
    return null;
  }
}

/** The chosen learner's gain over the observed assignment (the advice check's figure), or null without validation. */
export function adviceGain(summary: LearnerSummary | null) {
  return summary?.validation ? validationAdviceGain(summary.validation) : null;
}
