/**
 * Public surface of model/: the app (app/utils/registry/predictor.server.ts), the CLIs in scripts/
 * and the metrics code build on these. No tensors cross this boundary: every function
 * takes and returns plain values (a `Bundle` holds its tensors privately).
 *
 * Training and loading
 *   trainBundle({ table, schema, outDir, catalogue?, seed?, members?, maxEpochs?, onProgress? })
 *     → Promise<{ version, dir, catalogue: { source, mismatch } }>   reads + validates the CSV
 *     table and schema, trains the ensemble, writes the bundle atomically to `outDir` (the bundle
 *     directory itself) with catalogue.json: `catalogue` (must describe the table), else the
 *     configuration in effect when it does, else generic defaults (`source` says which).
 *   loadBundle(dir) → Promise<Bundle>   verifies manifest checksums and every file (BundleError).
 *   Learners (model/learners/): the network, t-linear, s-linear, dr, dr-trees and their stack behind one interface
 *     (predict → per-arm expected outcome, 80% interval, gain, propensity; attribute → grouped
 *     attributions). `trainBundle({ learner: "auto" })` (npm run train's default) chooses one by cross-fitted
 *     causal validation on the training rows and writes learner.json; `bundle.learner` predicts
 *     for recommend / predictTable / explanations; `adviceWarning(dir)` says when the validation
 *     could not show that following the advice beats the observed assignment.
 *   Training threads (model/parallel/): the ensemble members and the validation's fold fits run as
 *     seeded jobs on `trainingThreads({ rows })` worker threads (TRAIN_THREADS, else one per core;
 *     `trainBundle({ threads })` overrides); the bundle is the same for every thread count.
 *   disposeBundle(bundle)              frees its tensors.
 *
 * Prediction (for evaluate / metrics)
 *   predictTable(bundle, rows, policy?) → TablePrediction   synchronous. Per row i and arm k
 *     (k in `arms` order = schema.treatment.arms): mean[i][k], lower[i][k], upper[i][k] (80%
 *     interval), gain / gainLower / gainUpper over the control arm, propensity[i][k], plus
 *     rec[i] (recommend's first arm: eligibility + low-evidence rules) and recArgmax[i].
 *     `rows` are plain records (e.g. from readTableCsv); only feature columns are read.
 *
 * One client
 *   recommend(bundle, client, options?) → RecommendationResult   synchronous (tf.tidy inside),
 *     explained: reasons = top grouped integrated-gradients contributions to the gain over the
 *     control arm; the bundle catalogue's what-ifs (by default schulden_opgelost, taaleis_voldaan,
 *     opleiding_afgerond) recomputed through the model when they apply, its eligibility rules
 *     applied. Options (overriding the catalogue's): `rules`, `whatIfs`; `minPropensity` (0.05),
 *     `minComparable` (10), `costs` + `costWeight`, `secondary` { bundle, weight }, `explain`,
 *     `steps`, `topReasons`. Throws SchemaError naming the field of a bad client.
 *   explainClient(bundle, client, { steps? }) → Attribution: grouped IG of every arm's expected
 *     outcome (chance) and of its gain, plus the expected outcome at the baseline.
 *
 * Municipal configuration (config/municipality.json; README, "Municipal configuration")
 *   loadMunicipalConfig(path?) → Promise<Catalogue>   `path`, else the file in MUNICIPALITY_CONFIG,
 *     else the repository's default; zod-validated, SchemaError naming the file and key.
 *   defaultCatalogue() → Catalogue   the repository's default (the synthetic municipality).
 *   catalogueForSchema(schema, { config?, levels? }) → { catalogue, source, mismatch }   the
 *     configuration's part for a table when it describes the table, else generic defaults;
 *     catalogueFromSchema(schema, { levels? }) the generic defaults alone (label = column name).
 *   profileSchemaFor(catalogue) → zod schema of one client's profile (values, ranges, unknowns).
 *   eligibilityFor(catalogue, profile) → arm → null (eligible) | { nl, en } reason.
 *   whatIfsFor(catalogue) → WhatIf[];  applyWhatIf(whatIf, profile) → changed profile | null.
 *   featureLabel / valueLabel / groupLabel / trajectoryName (catalogue, key, lang).
 *   restrictCatalogue(config, schema) the configuration's part for a table (SchemaError if it
 *     does not describe it); configMismatch / catalogueSchemaMismatch say why not, or null.
 *   valueFits(feature, value) whether a value is allowed; whatIfFeatures(whatIf) the facts it sets.
 *   A loaded bundle carries its catalogue: `bundle.catalogue` (CATALOGUE_FILE, catalogue.json).
 *
 * Bundle files
 *   verifyBundle(dir) checks the manifest only; writeBundleFile(dir, name, data) adds or replaces
 *   a file (metrics, disclosure report) and updates the manifest.
 *   faithfulness(bundle, rows, { drivers? }) checks explanations against a generator's drivers.
 */
export { currentBackend, ensureBackend } from "./backend.js";
export {
  adviceWarning,
  BUNDLE_FORMAT_VERSION,
  type Bundle,
  disposeBundle,
  loadBundle,
  type Manifest,
  sha256File,
  verifyBundle,
  writeBundleFile,
  BASELINE_FILE,
  CATALOGUE_FILE,
} from "./bundle/bundle.js";
export type { MetricsFile, ModelCard, ValidationMetrics } from "./bundle/model-card.js";
export {
  type FeatureDistribution,
  MIN_CELL,
  populationStabilityIndex,
  type ReferenceStats,
} from "./bundle/reference.js";
export { type TrainOptions, type TrainResult, trainBundle } from "./bundle/train.js";
export { BundleError, ModelError, SchemaError } from "./errors.js";
export { type Driver, type FaithfulnessResult, faithfulness, SYNTHETIC_DRIVERS } from "./explain/faithfulness.js";
export type { Attribution } from "./explain/integrated-gradients.js";
export { DEFAULT_WHAT_IFS, type WhatIfRule } from "./explain/what-if.js";
export type { TrainProgress } from "./network/ensemble.js";
// disclosure check (check-bundle, issue 7)
export { checkBundleFiles, DISCLOSURE_REPORT_FILE, type Finding, type StaticCheck } from "./privacy/disclosure-check.js";
export {
  type DisclosureReport,
  DisclosureError,
  DisclosureReportSchema,
  requireDisclosurePass,
  runDisclosureCheck,
} from "./privacy/disclosure-report.js";
export { defaultHoldoutRows, splitTableFile } from "./privacy/holdout-split.js";
export { type AttackResult, type MembershipInferenceResult, runMembershipInference } from "./privacy/membership-inference.js";
export { DEFAULT_ELIGIBILITY_RULES, type EligibilityRule } from "./recommend/eligibility.js";
export type { PolicyOptions } from "./recommend/policy.js";
export { predictTable, type TablePrediction } from "./recommend/predict-table.js";
export { explainClient, type RecommendOptions, recommend } from "./recommend/recommend.js";
export { createRecommendPool, PoolError, RECOMMEND_WORKER_FILE, type RecommendPool } from "./recommend/recommend-pool.js";
export { createTrainingPool, type TrainingPool, withTrainingPool } from "./parallel/pool.js";
export { TrainThreadsSchema, trainingThreads } from "./parallel/threads.js";
export { type Row, readSchemaFile, readTableCsv, type Table, validateTable } from "./table/read.js";
export {
  applyWhatIf,
  catalogueForSchema,
  catalogueFromSchema,
  catalogueSchemaMismatch,
  configMismatch,
  eligibilityFor,
  featureLabel,
  groupLabel,
  type Lang,
  type Profile,
  profileSchemaFor,
  restrictCatalogue,
  ruleHolds,
  trajectoryName,
  valueLabel,
  type WhatIf,
  whatIfFeatures,
  whatIfsFor,
} from "./config/catalogue.js";
export {
  type Catalogue,
  CatalogueSchema,
  DEFAULT_CONFIG_FILE,
  defaultCatalogue,
  type FeatureConfig,
  type MunicipalConfigInput,
  type OutcomeSpec,
  parseCatalogue,
  type Rule,
  type Text,
  type Trajectory,
  valueFits,
} from "./config/municipality.js";
export { loadMunicipalConfig, MUNICIPALITY_CONFIG_ENV } from "./config/load.js";
export { type CatalogueChange, diffCatalogues, isCatalogueChanged } from "./config/diff.js";
export {
  type Allocation,
  type AllocationClient,
  type AllocationInput,
  type AllocationPlan,
  allocate,
  allocationClientFromAdvice,
} from "./allocation/index.js";
export {
  COMPARED_METRICS,
  type ComparedMetric,
  compareModels,
  MIN_SLICE,
  type MetricComparison,
  type ModelComparison,
  type SliceComparison,
  type Verdict,
  verdictOf,
} from "./evaluate/compare.js";
export { type CompareBundlesProgress, compareBundleDirs } from "./evaluate/compare-bundles.js";
