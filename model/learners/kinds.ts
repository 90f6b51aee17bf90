/**
 * The learner kinds, in one place (no imports, so the app's client code can read them too).
 * A stack is only ever made by the validation ("auto"); every other kind can also be fixed.
 */
const FIXED_KINDS = ["network", "t-linear", "s-linear", "dr", "dr-trees"] as const;

export const LEARNER_KINDS = [...FIXED_KINDS, "stack"] as const;
export type LearnerKind = (typeof LEARNER_KINDS)[number];

/** What train's --learner, TRAIN_LEARNER and the app's retraining form accept. */
export const LEARNER_CHOICES = ["auto", ...FIXED_KINDS] as const;
export type LearnerChoiceName = (typeof LEARNER_CHOICES)[number];
