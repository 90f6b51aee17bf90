import { writeBundleFile } from "../bundle/bundle.js";
import type { Catalogue } from "../config/municipality.js";
import type { Row } from "../table/read.js";
import { type FitSecondaryOptions, fitSecondaryHeads, SECONDARY_FILE, type SecondaryFile } from "./heads.js";

/**
 * The training pipeline's secondary step: fits the heads for the catalogue's secondary outcomes
 * on the encoded training table and adds `secondary.json` to the saved bundle (manifest updated,
 * so check-bundle's static rules cover it). Returns the file, or null when the catalogue declares
 * no secondary outcome that the table has.
 */
export async function addSecondaryHeads(options: {
  dir: string;
  catalogue: Catalogue;
  rows: readonly Row[];
  data: { x: Float32Array; inputs: number; treatment: Int32Array };
  arms: readonly string[];
  control: string;
  fit?: Pick<FitSecondaryOptions, "l2Grid" | "folds">;
}): Promise<SecondaryFile | null> {
  const file = fitSecondaryHeads({
    x: options.data.x,
    width: options.data.inputs,
    treatment: options.data.treatment,
    rows: options.rows,
    arms: options.arms,
    control: options.control,
    outcomes: options.catalogue.outcomes.secondary,
    ...options.fit,
  });
  // Six significant digits are ample for coefficients and covariances and halve the file.
  if (file) await writeBundleFile(options.dir, SECONDARY_FILE, `${JSON.stringify(file, (_, v) => (typeof v === "number" ? Number(v.toPrecision(6)) : v))}\n`);
  return file;
}
