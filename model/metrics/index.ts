export { bootstrap, bootstrapMean, type Estimate, mean, meanEstimate, quantileSorted, standardDeviation } from "./bootstrap.js";
export {
  auc,
  type BinStrategy,
  brierScore,
  type CalibrationBin,
  calibrationBins,
  calibrationTable,
  expectedCalibrationError,
} from "./classification.js";
export {
  argmaxRows,
  doublyRobustContributions,
  type IntervalMethod,
  ipwContributions,
  type Matrix,
  type OffPolicyInput,
  offPolicyValue,
  type PolicyDifference,
  type PolicyValue,
  policyDifference,
} from "./policy.js";
export { type AteError, ateErrors, factualTruthGap, sqrtPehe, type TruePolicyValues, truePolicyValues } from "./truth.js";
export { sampleCurve, type UpliftCurve, type UpliftPoint, upliftCurve } from "./uplift.js";
