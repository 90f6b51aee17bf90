import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ensureBackend } from "../backend.js";
import { BundleError } from "../errors.js";
import { CalibrationSchema } from "../network/calibration.js";
import { disposeEnsemble, type Ensemble, type EnsembleState, loadEnsemble } from "../network/ensemble.js";
import { NetworkConfigSchema, type NamedWeights } from "../network/tarnet.js";
import { type Encoder, EncoderSchema } from "../table/encoder.js";
import { type TableSchema, TableSchemaSchema } from "../table-schema.js";
import { catalogueForSchema, catalogueSchemaMismatch } from "../config/catalogue.js";
import { loadMunicipalConfig } from "../config/load.js";
import { type Catalogue, CatalogueSchema } from "../config/municipality.js";
import { LEARNER_FILE, type Learner, type LearnerFile, LearnerFileSchema, learnerBases, restoreLearner } from "../learners/index.js";
import { type MetricsFile, MetricsFileSchema, type ModelCard, ModelCardSchema } from "./model-card.js";
import { type ReferenceStats, ReferenceStatsSchema } from "./reference.js";
import { SECONDARY_FILE, type SecondaryFile, SecondaryFileSchema } from "../secondary/heads.js";

/**
 * A model bundle directory:
 *   manifest.json   format version, model version, SHA-256 of every file below
 *   model.json      architecture, config, members, weight specs, backend
 *   weights.bin     all members' weights (float32, tfjs weight format)
 *   schema.json     the table schema · encoder.json · calibration.json
 *   reference.json  aggregated reference statistics (counts ≥ 10, percentiles)
 *   metrics.json    validation metrics; `evaluate` adds test metrics
 *   model-card.json / model-card.md
 *   catalogue.json  the trajectory and feature catalogue (labels, rules, what-ifs; no data).
 *                   Optional: a bundle made before it existed gets the catalogue derived
 *                   from its schema on load.
 *   learner.json    which learner predicts (network, t-linear, s-linear, dr, dr-trees, stack), a
 *                   linear or DR learner's coefficients and trees, a stack's weights and parts, and
 *                   the cross-fitted validation that chose it.
 *                   Optional: without it the network predicts, as in every older bundle.
 *   secondary.json  per secondary outcome and arm a head's coefficients and their covariance
 *                   (model/secondary: logistic for a 0/1 outcome, ridge for hours on their own scale). Optional: without it the advice shows work only.
 * Other tools (evaluate, check-bundle) add or replace files through `writeBundleFile`,
 * which keeps the manifest right.
 */
export const BUNDLE_FORMAT = "trajectwijzer-bundle";
export const BUNDLE_FORMAT_VERSION = 1;
export const REQUIRED_FILES = [
  "model.json",
  "weights.bin",
  "schema.json",
  "encoder.json",
  "calibration.json",
  "reference.json",
  "metrics.json",
  "model-card.json",
  "model-card.md",
] as const;

export const ManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
  version: z.string().min(1),
  createdAt: z.string(),
  files: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const WeightSpecSchema = z.object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.literal("float32") });
export const ModelFileSchema = z.object({
  architecture: z.literal("tarnet-dragonnet"),
  arms: z.array(z.string()).min(2),
  control: z.string(),
  outcomeType: z.enum(["binary", "continuous"]),
  config: NetworkConfigSchema,
  outcomeScale: z.object({ mean: z.number(), sd: z.number().positive() }),
  members: z.array(
    z.object({
      seed: z.number(),
      epochs: z.number().int(),
      bestEpoch: z.number().int(),
      validationLoss: z.number(),
      weightSpecs: z.array(WeightSpecSchema),
    }),
  ),
  training: z.object({
    backend: z.string(),
    seed: z.number(),
    rows: z.number().int(),
    validationShare: z.number(),
    seconds: z.number(),
  }),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** A loaded bundle. `ensemble` holds live tensors: use only through model/'s functions. */
export type Bundle = {
  version: string;
  dir: string;
  schema: TableSchema;
  encoder: Encoder;
  reference: ReferenceStats;
  metrics: MetricsFile;
  modelCard: ModelCard;
  model: ModelFile;
  manifest: Manifest;
  /** The trajectory and feature catalogue the model was trained with (labels, rules, what-ifs). */
  catalogue: Catalogue;
  /** @internal live tensors of the ensemble. */
  ensemble: Ensemble;
  /** secondary.json: heads for the secondary outcomes (care need, debts, ...); null in a bundle without them. */
  secondary: SecondaryFile | null;
  /** The learner that predicts and explains (the network unless learner.json names another). */
  learner: Learner;
  /** learner.json: the chosen learner and its validation; null in a bundle made before learners were chosen. */
  learnerFile: LearnerFile | null;
};

export const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

/** SHA-256 of a file, streamed (a training table may be larger than memory allows at once). The one file checksum. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Everything a bundle holds, as plain values, ready to be written. */
export type BundleContents = {
  version: string;
  createdAt: string;
  schema: TableSchema;
  encoder: Encoder;
  state: EnsembleState;
  training: ModelFile["training"];
  reference: ReferenceStats;
  metrics: MetricsFile;
  modelCard: ModelCard;
  modelCardMarkdown: string;
  /** The catalogue (catalogue.json); must describe `schema` (same arms, control, features). */
  catalogue: Catalogue;
  /** SHA-256 of the training table file, written as training-data.json (for check-bundle and the registry). */
  trainingData?: { table: string; sha256: string; rows: number };
  /** The T-learner baseline fitted on the same table (serialised), so that evaluate can set it beside the network. */
  baseline?: string;
  /** The chosen learner and its validation (learner.json). */
  learner?: LearnerFile;
};

/** File of the T-learner baseline inside a bundle. */
export const BASELINE_FILE = "baseline.json";

/** File of the trajectory and feature catalogue inside a bundle. */
export const CATALOGUE_FILE = "catalogue.json";

/** Optional file recording which table a bundle was trained on. */
export const TRAINING_DATA_FILE = "training-data.json";

/** Concatenates all members' weights into one buffer (tfjs weight format: specs + float32 data). */
export function packWeights(state: EnsembleState): { data: Uint8Array; specs: z.infer<typeof WeightSpecSchema>[][] } {
  const specs = state.members.map((m) => m.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: "float32" as const })));
  const total = state.members.reduce((s, m) => s + m.weights.reduce((t, w) => t + w.values.length, 0), 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const m of state.members) {
    for (const w of m.weights) {
      all.set(w.values, offset);
      offset += w.values.length;
    }
  }
  return { data: new Uint8Array(all.buffer), specs };
}

function unpackWeights(data: Uint8Array, model: ModelFile): NamedWeights[] {
  const copy = new Uint8Array(data); // aligned copy
  const all = new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
  let offset = 0;
  const members = model.members.map((m) =>
    m.weightSpecs.map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const values = all.slice(offset, offset + size);
      if (values.length !== size) throw new BundleError("weights.bin is shorter than model.json describes");
      offset += size;
      return { name: spec.name, shape: spec.shape, values };
    }),
  );
  if (offset !== all.length || copy.byteLength % 4 !== 0) throw new BundleError("weights.bin does not match model.json (size)");
  return members;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Serialises a bundle into file name → bytes (manifest excluded). */
export function bundleFiles(contents: BundleContents): Map<string, Uint8Array> {
  const { state } = contents;
  const weights = packWeights(state);
  const model: ModelFile = {
    architecture: "tarnet-dragonnet",
    arms: state.arms,
    control: state.control,
    outcomeType: state.outcomeType,
    config: state.config,
    outcomeScale: state.outcomeScale,
    members: state.members.map((m, i) => ({
      seed: m.seed,
      epochs: m.epochs,
      bestEpoch: m.bestEpoch,
      validationLoss: m.validationLoss,
      weightSpecs: weights.specs[i] ?? [],
    })),
    training: contents.training,
  };
  const enc = new TextEncoder();
  return new Map<string, Uint8Array>([
    ["model.json", enc.encode(json(model))],
    ["weights.bin", weights.data],
    ["schema.json", enc.encode(json(contents.schema))],
    ["encoder.json", enc.encode(json(contents.encoder))],
    ["calibration.json", enc.encode(json(state.calibration))],
    ["reference.json", enc.encode(json(contents.reference))],
    ["metrics.json", enc.encode(json(contents.metrics))],
    ["model-card.json", enc.encode(json(contents.modelCard))],
    ["model-card.md", enc.encode(contents.modelCardMarkdown)],
    [CATALOGUE_FILE, enc.encode(json(contents.catalogue))],
    ...(contents.trainingData ? [[TRAINING_DATA_FILE, enc.encode(json(contents.trainingData))] as [string, Uint8Array]] : []),
    ...(contents.baseline ? [[BASELINE_FILE, enc.encode(contents.baseline)] as [string, Uint8Array]] : []),
    ...(contents.learner ? [[LEARNER_FILE, enc.encode(`${JSON.stringify(contents.learner)}\n`)] as [string, Uint8Array]] : []),
  ]);
}

function manifestFor(version: string, createdAt: string, files: Map<string, Uint8Array>): Manifest {
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    version,
    createdAt,
    files: [...files.entries()].map(([path, data]) => ({ path, sha256: sha256(data), bytes: data.byteLength })),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Checks that `dir` may receive a bundle (absent, empty, or an older bundle); returns its absolute path. */
export async function assertBundleTarget(dir: string): Promise<string> {
  const target = resolve(dir);
  if (await exists(target)) {
    const isBundle = await exists(join(target, "manifest.json"));
    const empty = (await readdir(target)).length === 0;
    if (!isBundle && !empty) throw new BundleError(`${target}: exists and is not a model bundle; choose another --out`);
  }
  return target;
}

/**
 * Writes the bundle atomically: into a temporary sibling directory, then renamed into place.
 * An existing bundle at `dir` is replaced; an existing non-bundle directory is refused.
 */
export async function saveBundle(dir: string, contents: BundleContents): Promise<string> {
  const target = await assertBundleTarget(dir);
  await mkdir(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${Date.now()}`;
  const temp = `${target}.tmp-${suffix}`;
  const files = bundleFiles(contents);
  await mkdir(temp, { recursive: true });
  try {
    for (const [name, data] of files) await writeFile(join(temp, name), data);
    await writeFile(join(temp, "manifest.json"), json(manifestFor(contents.version, contents.createdAt, files)));
    if (await exists(target)) {
      const old = `${target}.old-${suffix}`;
      await rename(target, old);
      await rename(temp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new BundleError(`${target}: could not write the bundle`, { cause: error });
  }
  return target;
}

/** Reads and verifies the manifest and every file it lists; returns the files' bytes. */
export async function verifyBundle(dir: string): Promise<{ manifest: Manifest; files: Map<string, Uint8Array> }> {
  const root = resolve(dir);
  let manifestText: string;
  try {
    manifestText = await readFile(join(root, "manifest.json"), "utf8");
  } catch (error) {
    throw new BundleError(`${root}: not a model bundle (manifest.json is missing)`, { cause: error });
  }
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestText);
  } catch (error) {
    throw new BundleError(`${join(root, "manifest.json")}: not valid JSON`, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleError(`${join(root, "manifest.json")}: invalid manifest at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  const manifest = parsed.data;
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleError(
      `${join(root, "manifest.json")}: bundle format version ${manifest.formatVersion} is not supported (expected ${BUNDLE_FORMAT_VERSION})`,
    );
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of REQUIRED_FILES) {
    if (!listed.has(name)) throw new BundleError(`${join(root, "manifest.json")}: partial bundle, ${name} is not listed`);
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of manifest.files) {
    if (entry.path.includes("..") || entry.path.startsWith("/")) {
      throw new BundleError(`${join(root, "manifest.json")}: file path "${entry.path}" is not inside the bundle`);
    }
    const path = join(root, entry.path);
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(path));
    } catch (error) {
      throw new BundleError(`${path}: partial bundle, file is missing`, { cause: error });
    }
    if (sha256(data) !== entry.sha256) {
      throw new BundleError(`${path}: checksum mismatch, the file was changed after the bundle was made`);
    }
    files.set(entry.path, data);
  }
  return { manifest, files };
}

function parseJsonFile<T extends z.ZodType>(root: string, files: Map<string, Uint8Array>, name: string, schema: T): z.infer<T> {
  const data = files.get(name);
  if (!data) throw new BundleError(`${join(root, name)}: partial bundle, file is missing`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    throw new BundleError(`${join(root, name)}: not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleError(`${join(root, name)}: invalid at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Loads and verifies a bundle (manifest checksums, zod on every file). Throws BundleError naming the file. */
export async function loadBundle(dir: string): Promise<Bundle> {
  await ensureBackend();
  const root = resolve(dir);
  const { manifest, files } = await verifyBundle(root);
  const model = parseJsonFile(root, files, "model.json", ModelFileSchema);
  const schema = parseJsonFile(root, files, "schema.json", TableSchemaSchema);
  const encoder = parseJsonFile(root, files, "encoder.json", EncoderSchema);
  const calibration = parseJsonFile(root, files, "calibration.json", CalibrationSchema);
  const reference = parseJsonFile(root, files, "reference.json", ReferenceStatsSchema);
  const metrics = parseJsonFile(root, files, "metrics.json", MetricsFileSchema);
  const modelCard = parseJsonFile(root, files, "model-card.json", ModelCardSchema);
  const catalogue = await catalogueOf(root, files, schema, encoder);
  if (model.arms.join("\u0000") !== schema.treatment.arms.join("\u0000")) {
    throw new BundleError(`${join(root, "model.json")}: arms do not match schema.json`);
  }
  const width = model.members[0]?.weightSpecs[0]?.shape[0];
  if (width !== encoder.width) throw new BundleError(`${join(root, "encoder.json")}: encoder width does not match the weights`);
  const weights = unpackWeights(files.get("weights.bin") ?? new Uint8Array(), model);
  const state: EnsembleState = {
    arms: model.arms,
    control: model.control,
    outcomeType: model.outcomeType,
    config: model.config,
    outcomeScale: model.outcomeScale,
    members: model.members.map((m, i) => ({ ...m, weights: weights[i] ?? [] })),
    calibration,
  };
  const learnerFile = files.has(LEARNER_FILE) ? parseJsonFile(root, files, LEARNER_FILE, LearnerFileSchema) : null;
  if (learnerFile?.state && learnerFile.state.arms.join("\u0000") !== schema.treatment.arms.join("\u0000")) {
    throw new BundleError(`${join(root, LEARNER_FILE)}: arms do not match schema.json`);
  }
  if (learnerFile?.state && learnerBases(learnerFile.state).some((basis) => basis.width !== encoder.width)) {
    throw new BundleError(`${join(root, LEARNER_FILE)}: encoded width does not match encoder.json`);
  }
  const ensemble = loadEnsemble(state);
  const learner = restoreLearner(learnerFile, ensemble, encoder);
  const secondary = files.has(SECONDARY_FILE) ? parseJsonFile(root, files, SECONDARY_FILE, SecondaryFileSchema) : null;
  if (secondary && (secondary.arms.join("\u0000") !== schema.treatment.arms.join("\u0000") || secondary.width !== encoder.width)) {
    throw new BundleError(`${join(root, SECONDARY_FILE)}: arms or encoded width do not match schema.json and encoder.json`);
  }
  return { version: manifest.version, dir: root, schema, encoder, reference, metrics, modelCard, model, manifest, catalogue, ensemble, secondary, learner, learnerFile };
}

/** The encoder's categorical levels (already those of at least ten training rows). */
export const encoderLevels = (encoder: Encoder): Record<string, string[]> =>
  Object.fromEntries(encoder.features.flatMap((f) => (f.type === "categorical" ? [[f.name, f.levels]] : [])));

/**
 * The bundle's catalogue.json, checked against its schema; a bundle made before catalogues
 * travelled with it gets what `train` would have written: the part of the configuration in
 * effect (MUNICIPALITY_CONFIG, else the default) when that describes the schema, else generic defaults.
 */
async function catalogueOf(root: string, files: Map<string, Uint8Array>, schema: TableSchema, encoder: Encoder): Promise<Catalogue> {
  if (!files.has(CATALOGUE_FILE)) {
    return catalogueForSchema(schema, { config: await loadMunicipalConfig(), levels: encoderLevels(encoder) }).catalogue;
  }
  const catalogue = parseJsonFile(root, files, CATALOGUE_FILE, CatalogueSchema);
  const mismatch = catalogueSchemaMismatch(schema, catalogue);
  if (mismatch !== null) throw new BundleError(`${join(root, CATALOGUE_FILE)}: does not match schema.json (${mismatch})`);
  return catalogue;
}

/** Frees the bundle's tensors (e.g. when the app swaps the active model). */
export function disposeBundle(bundle: Bundle): void {
  disposeEnsemble(bundle.ensemble);
}

/**
 * Adds or replaces one file in a verified bundle and updates the manifest
 * (for `evaluate` writing metrics.json and `check-bundle` writing its report).
 */
export async function writeBundleFile(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  if (name === "manifest.json" || name.includes("/") || name.includes("..")) {
    throw new BundleError(`cannot write "${name}" into a bundle`);
  }
  const root = resolve(dir);
  const { manifest } = await verifyBundle(root);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  await writeFile(join(root, name), bytes);
  const files = manifest.files.filter((f) => f.path !== name);
  files.push({ path: name, sha256: sha256(bytes), bytes: bytes.byteLength });
  const tmp = join(root, `manifest.json.tmp-${process.pid}`);
  await writeFile(tmp, json({ ...manifest, files }));
  await rename(tmp, join(root, "manifest.json"));
}

/**
 * The warning a promotion gives for a bundle whose own validation could not show that following its
 * first choice beats the observed assignment (learner.json); null when it could, or for an older bundle.
 */
export async function adviceWarning(dir: string): Promise<string | null> {
  const root = resolve(dir);
  const { files } = await verifyBundle(root);
  if (!files.has(LEARNER_FILE)) return null;
  const validation = parseJsonFile(root, files, LEARNER_FILE, LearnerFileSchema).validation;
  if (!validation || validation.advise) return null;
  return `this model's validation on its training data: ${validation.adviceReason}; the app will show its ranking as information, not as advice`;
}
