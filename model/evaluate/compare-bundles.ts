import { type Bundle, disposeBundle, loadBundle } from "../bundle/bundle.js";
import { BundleError, ModelError } from "../errors.js";
import { predictTable } from "../recommend/predict-table.js";
import { readSchemaFile, readTableCsv, validateTable } from "../table/read.js";
import { type CompareProgress, compareModels, type ModelComparison } from "./compare.js";

export type CompareBundlesProgress = { phase: "reading" | "predicting" | "bootstrap" } & Partial<CompareProgress>;

/**
 * Two bundles on one labelled table (analysis CSV + schema file): each predicts every row, then
 * compareModels (paired bootstrap, verdict, breakdowns). Both bundles are freed afterwards. Bundle and
 * table problems are ModelErrors with a plain message.
 */
export async function compareBundleDirs(options: {
  candidateDir: string;
  activeDir: string;
  table: string;
  schema: string;
  replicates?: number;
  seed?: number;
  onProgress?: (progress: CompareBundlesProgress) => void;
}): Promise<ModelComparison> {
  const report = options.onProgress ?? (() => {});
  report({ phase: "reading" });
  const schema = await readSchemaFile(options.schema);
  const table = await readTableCsv(options.table);
  validateTable(schema, table, { use: "predict", where: "analysis.csv" });
  const load = (dir: string, name: string) =>
    loadBundle(dir).catch((error: unknown) => {
      throw new BundleError(`the ${name} bundle cannot be loaded`, { cause: error });
    });
  const candidate = await load(options.candidateDir, "candidate");
  let active: Bundle | null = null;
  try {
    active = await load(options.activeDir, "active");
    const arms = schema.treatment.arms;
    const asPredictions = (bundle: Bundle) => {
      const p = predictTable(bundle, table.rows);
      if (p.arms.join("\u0000") !== arms.join("\u0000")) throw new BundleError("the model's arms differ from the table's");
      return { expected: p.mean, propensity: p.propensity, rec: p.rec.map((a) => arms.indexOf(a)) };
    };
    report({ phase: "predicting", step: 0, steps: 2 });
    const c = asPredictions(candidate);
    report({ phase: "predicting", step: 1, steps: 2 });
    const a = asPredictions(active);
    report({ phase: "bootstrap", step: 0, steps: 5 });
    return compareModels({
      schema,
      rows: table.rows,
      candidate: c,
      active: a,
      options: { replicates: options.replicates ?? 400, seed: options.seed ?? 1, onProgress: (p) => report({ phase: "bootstrap", ...p }) },
    });
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError("comparison failed", { cause: error });
  } finally {
    disposeBundle(candidate);
    if (active) disposeBundle(active);
  }
}
