/**
 * Causal effect estimation from observational data (plain values in, plain values out).
 *
 *   aipwEffects({ outcome, treatment, propensity, predicted, control?, clip?, overlapThreshold? })
 *     → { control, effects: [{ arm, ate, att, n, nArm, nControl, limitedOverlap }], limitedOverlap }
 *     Doubly robust (AIPW) average effect of every arm against the control arm: `ate` / `att` are
 *     Estimates (value, se, lower80/upper80, lower95/upper95). `propensity` and `predicted` are
 *     rows × arms matrices from cross-fitted nuisance models (`crossFitFolds`).
 *   aipwScores(input, arm) → per-row pseudo-outcomes (their mean is the effect; a subgroup's mean
 *     is the subgroup's effect: subgroupEstimate(scores, rows)).
 *   aipwArmScores(input, arm) → per-row scores of the mean outcome under one arm.
 *   crossFitFolds({ n, folds?, seed?, strata? }) → fold index per row.
 *   bestLinearProjection(scores, { x, names }) → { intercept, coefficients: [{ name, estimate, se,
 *     lower, upper }], n }: OLS of scores on factors with robust (HC1) 95% intervals.
 */
export {
  type AipwInput,
  type AipwResult,
  type ArmEffect,
  aipwArmScores,
  aipwEffects,
  aipwScores,
  crossFitFolds,
  subgroupEstimate,
} from "./aipw.js";
export { bestLinearProjection, type Coefficient, type FactorDesign, type Projection } from "./blp.js";
