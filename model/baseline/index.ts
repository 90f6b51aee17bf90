export { type DesignMatrix, type FitOptions, fitLogistic, fitRidge, type LinearModel, solveSpd } from "./linear.js";
export {
  BASELINE_FORMAT_VERSION,
  type Baseline,
  type BaselineConfig,
  type BaselinePredictions,
  BaselineSchema,
  DEFAULT_L2_GRID,
  deserializeBaseline,
  fitBaseline,
  predictBaseline,
  serializeBaseline,
} from "./t-learner.js";
