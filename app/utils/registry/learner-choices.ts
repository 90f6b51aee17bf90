/**
 * The learners a retraining run may ask for (the train command's --learner): "auto" chooses by
 * cross-fitted causal validation on the training rows, the others fix one. Shared by the form (client)
 * and the run's settings schema (server); the list itself lives with the learners.
 */
export { LEARNER_CHOICES, type LearnerChoiceName as LearnerChoice } from "../../../model/learners/kinds";
