export {
  type ArmFactual,
  type ArmPredictions,
  type ArmUplift,
  type EvaluationOptions,
  type EvaluationReport,
  evaluateModels,
  evaluatePredictions,
  type ModelReport,
  type PolicyComparison,
  readLogged,
  type TruthReport,
  toMatrix,
} from "./evaluate.js";
export { checkTargets, formatReport, meanOverArms, TARGETS, type TargetCheck } from "./format.js";
export { type AverageEffect, averageEffects, formatAverageEffects } from "./average-effects.js";
