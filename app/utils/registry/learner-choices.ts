/**
 * The learners a retraining run may ask for (the train command's --learner): "auto" chooses by
 * cross-fitted causal validation on the training rows, the others fix one. Shared by the form (client)
 * and the run's settings schema (server).
 */
export const LEARNER_CHOICES = ["auto", "network", "t-linear", "s-linear", "dr"] as const;
export type LearnerChoice = (typeof LEARNER_CHOICES)[number];
