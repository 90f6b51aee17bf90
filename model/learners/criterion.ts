/**
 * Which loss of the cross-fitted validation chooses the learner and weighs the stack (select.ts),
 * in one place with no imports, so the app's client code can read it too. Bundles validated
 * before the R-loss decided were chosen by the DR loss and say so.
 */
export const CRITERIA = ["dr-loss", "r-loss"] as const;
export type Criterion = (typeof CRITERIA)[number];

/** The criterion the validation uses now. */
export const CRITERION: Criterion = "r-loss";

/** A candidate's loss under the criterion that chose (the DR loss for a row validated before the R-loss was reported). */
export function criterionLoss(criterion: Criterion, candidate: { drLoss: number; rLoss?: number | undefined }): number {
  return criterion === "r-loss" ? (candidate.rLoss ?? candidate.drLoss) : candidate.drLoss;
}
