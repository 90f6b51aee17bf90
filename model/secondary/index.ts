export { addSecondaryHeads } from "./bundle-file.js";
export {
  type FitSecondaryOptions,
  fitSecondaryHeads,
  parseSecondaryFile,
  predictSecondary,
  SECONDARY_FILE,
  type SecondaryArmPrediction,
  type SecondaryFile,
  SecondaryFileSchema,
} from "./heads.js";
