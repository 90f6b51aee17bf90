import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { cp, mkdir, readdir, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { type ModelCard, ModelCardSchema } from "../../model/bundle/model-card";
import { compareModels, type ModelComparison } from "../../model/evaluate/compare";
import {
  BundleError,
  DISCLOSURE_REPORT_FILE,
  disposeBundle,
  ModelError,
  loadBundle,
  type Manifest,
  predictTable,
  readSchemaFile,
  readTableCsv,
  requireDisclosurePass,
  validateTable,
  verifyBundle,
} from "../../model/index";
import { createModelVersion, type DisclosureStatus, getModelVersion } from "~/models/model-version.server";
import { getEnv } from "./env.server";

/**
 * Server side of the model registry: where bundles and linked tables live, importing a bundle
 * (verified, disclosure report honoured, copied atomically into MODEL_DIR/<version>), and comparing
 * a candidate with the active model on a labelled table. Messages shown to users never hold a
 * server path, except the import path the user typed.
 */
export const TRAINING_DATA_FILE = "training-data.json";

export function modelDir(): string {
  return path.resolve(getEnv().MODEL_DIR);
}
export function importRoot(): string {
  return path.join(modelDir(), "import");
}
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR || "data");
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Linked tables: DATA_DIR/linked* and their direct subdirectories holding analysis.csv + schema.json. Names are relative to DATA_DIR. */
export async function listLinkedTables(): Promise<string[]> {
  const root = dataDir();
  let entries: string[];
  try {
    entries = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name.startsWith("linked")).map((e) => e.name);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const name of entries.sort()) {
    const candidates = [name];
    try {
      for (const sub of await readdir(path.join(root, name), { withFileTypes: true })) if (sub.isDirectory()) candidates.push(`${name}/${sub.name}`);
    } catch {
      // unreadable: skip
    }
    for (const c of candidates) {
      if ((await isFile(path.join(root, c, "analysis.csv"))) && (await isFile(path.join(root, c, "schema.json")))) names.push(c);
    }
  }
  return names;
}

/** The files of a linked table chosen by name; null unless the name is one listLinkedTables offers. */
export async function linkedTablePaths(name: string): Promise<{ table: string; schema: string } | null> {
  if (!(await listLinkedTables()).includes(name)) return null;
  const dir = path.join(dataDir(), name);
  return { table: path.join(dir, "analysis.csv"), schema: path.join(dir, "schema.json") };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The disclosure status of a verified bundle, by the same rule the app serves with
 * (model/privacy requireDisclosurePass): passed only when the report is present, covered by the
 * manifest, made for these exact files and passed; unchecked when there is no report at all.
 */
export async function disclosureStatusOf(bundle: { dir: string; manifest: Manifest }): Promise<{ status: DisclosureStatus; reason: string | null }> {
  if (!bundle.manifest.files.some((f) => f.path === DISCLOSURE_REPORT_FILE)) return { status: "unchecked", reason: null };
  try {
    await requireDisclosurePass(bundle);
    return { status: "passed", reason: null };
  } catch (error) {
    return { status: "failed", reason: userMessage(error).slice(0, 300) };
  }
}

const TrainingDataSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** SHA-256 of the training table when the bundle records it (training-data.json, or a field in the manifest or metrics). */
export function dataHashOf(files: Map<string, Uint8Array>, manifestJson: unknown): string | null {
  const decode = (name: string): unknown => {
    const data = files.get(name);
    if (!data) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(data));
    } catch {
      return undefined;
    }
  };
  const fromFile = TrainingDataSchema.safeParse(decode(TRAINING_DATA_FILE));
  if (fromFile.success) return fromFile.data.sha256;
  for (const source of [manifestJson, decode("metrics.json")]) {
    if (source && typeof source === "object") {
      const record = source as Record<string, unknown>;
      for (const key of ["trainingDataSha256", "dataHash"]) {
        const value = record[key];
        if (typeof value === "string" && /^[0-9a-f]{64}$/.test(value)) return value;
      }
      const nested = TrainingDataSchema.safeParse(record.trainingData);
      if (nested.success) return nested.data.sha256;
    }
  }
  return null;
}

/** A bundle error's message with server paths replaced by what the user may see. */
export function userMessage(error: unknown, replace: { from: string; to: string }[] = []): string {
  let text = error instanceof ModelError ? error.message : "the bundle could not be read";
  for (const { from, to } of replace) text = text.split(from).join(to);
  // Any absolute path left (e.g. a resolved symlink) is cut to its last part.
  return text.replace(/(?:\/[^\s/:]+)+\/([^\s/:]+)/g, "$1");
}

export type RegisterResult =
  | { ok: true; version: string }
  | { ok: false; code: "outside" | "not_found" | "invalid" | "disclosure" | "duplicate"; detail: string | null };

/**
 * Registers a verified bundle already in place under MODEL_DIR/<version> (e.g. made by the training worker).
 */
export async function registerBundleDir(options: { dir: string; createdById: string | null; dataHash?: string | null }): Promise<RegisterResult> {
  const { manifest, files } = await verifyBundle(options.dir);
  const disclosure = await disclosureStatusOf({ dir: options.dir, manifest });
  if (disclosure.status === "failed") return { ok: false, code: "disclosure", detail: disclosure.reason };
  const metrics = files.get("metrics.json");
  await createModelVersion({
    id: manifest.version,
    dir: options.dir,
    dataHash: options.dataHash ?? dataHashOf(files, manifest),
    metricsJson: metrics ? new TextDecoder().decode(metrics) : "{}",
    disclosureStatus: disclosure.status,
    createdById: options.createdById,
  });
  return { ok: true, version: manifest.version };
}

/**
 * Imports a bundle from a directory under MODEL_DIR/import: verifies the manifest and every file,
 * loads it (zod on every file), refuses a failed disclosure report, copies it into a temporary
 * directory beside the registry, verifies the copy and renames it to MODEL_DIR/<version>.
 */
export async function importBundle(options: { source: string; createdById: string; tableName?: string | null }): Promise<RegisterResult> {
  const typed = options.source;
  const root = importRoot();
  await mkdir(root, { recursive: true });
  const resolvedRoot = await realpath(root);
  let source: string;
  try {
    source = await realpath(path.resolve(root, typed));
  } catch {
    return { ok: false, code: "not_found", detail: null };
  }
  const relative = path.relative(resolvedRoot, source);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return { ok: false, code: "outside", detail: null };
  if (!(await stat(source)).isDirectory()) return { ok: false, code: "not_found", detail: null };
  const hide = [
    { from: source, to: typed },
    { from: resolvedRoot, to: "import" },
  ];
  let manifest: Manifest;
  let files: Map<string, Uint8Array>;
  try {
    ({ manifest, files } = await verifyBundle(source));
    disposeBundle(await loadBundle(source));
  } catch (error) {
    return { ok: false, code: "invalid", detail: userMessage(error, hide) };
  }
  const disclosure = await disclosureStatusOf({ dir: source, manifest });
  if (disclosure.status === "failed") return { ok: false, code: "disclosure", detail: disclosure.reason };
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(manifest.version) || manifest.version.startsWith(".")) {
    return { ok: false, code: "invalid", detail: "the bundle version is not a safe directory name" };
  }
  if (await getModelVersion({ id: manifest.version })) return { ok: false, code: "duplicate", detail: manifest.version };
  const target = path.join(modelDir(), manifest.version);
  try {
    await stat(target);
    return { ok: false, code: "duplicate", detail: manifest.version };
  } catch {
    // free: go on
  }
  const temp = path.join(modelDir(), `.import-${randomBytes(6).toString("hex")}`);
  try {
    await cp(source, temp, { recursive: true, errorOnExist: true, force: false });
    await verifyBundle(temp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    return { ok: false, code: "invalid", detail: userMessage(error, hide) };
  }
  let dataHash = dataHashOf(files, JSON.parse(await readFile(path.join(target, "manifest.json"), "utf8")));
  if (!dataHash && options.tableName) {
    const paths = await linkedTablePaths(options.tableName);
    if (paths) dataHash = await sha256File(paths.table);
  }
  const metrics = files.get("metrics.json");
  await createModelVersion({
    id: manifest.version,
    dir: target,
    dataHash,
    metricsJson: metrics ? new TextDecoder().decode(metrics) : "{}",
    disclosureStatus: disclosure.status,
    createdById: options.createdById,
  });
  return { ok: true, version: manifest.version };
}

export type CompareResult = { ok: true; comparison: ModelComparison } | { ok: false; detail: string };

/** Compares two registered bundles on a linked table (paired bootstrap of the differences). */
export async function compareBundles(options: { candidateDir: string; activeDir: string; tableName: string }): Promise<CompareResult> {
  const paths = await linkedTablePaths(options.tableName);
  if (!paths) return { ok: false, detail: "unknown table" };
  const candidate = await loadBundle(options.candidateDir).catch(() => null);
  if (!candidate) return { ok: false, detail: "the candidate bundle cannot be loaded" };
  const active = await loadBundle(options.activeDir).catch(() => null);
  if (!active) {
    disposeBundle(candidate);
    return { ok: false, detail: "the active bundle cannot be loaded" };
  }
  try {
    const schema = await readSchemaFile(paths.schema);
    const table = await readTableCsv(paths.table);
    validateTable(schema, table, { use: "predict", where: "analysis.csv" });
    const arms = schema.treatment.arms;
    const asPredictions = (p: ReturnType<typeof predictTable>) => {
      if (p.arms.join("\u0000") !== arms.join("\u0000")) throw new BundleError("the model's arms differ from the table's");
      return { expected: p.mean, propensity: p.propensity, rec: p.rec.map((a) => arms.indexOf(a)) };
    };
    const comparison = compareModels({
      schema,
      rows: table.rows,
      candidate: asPredictions(predictTable(candidate, table.rows)),
      active: asPredictions(predictTable(active, table.rows)),
      options: { replicates: 400, seed: 1 },
    });
    return { ok: true, comparison };
  } catch (error) {
    return { ok: false, detail: error instanceof ModelError ? userMessage(error) : "comparison failed" };
  } finally {
    disposeBundle(candidate);
    disposeBundle(active);
  }
}

const KeyMetricsSchema = z.object({
  validation: z.object({ overall: z.object({ auc: z.number().nullable(), brier: z.number().nullable(), ece: z.number().nullable() }) }),
});
export type KeyMetrics = { auc: number | null; brier: number | null; ece: number | null };

/** Overall validation AUC, Brier score and ECE from a stored metrics.json (nulls when unreadable). */
export function keyMetrics(metricsJson: string): KeyMetrics {
  try {
    const parsed = KeyMetricsSchema.safeParse(JSON.parse(metricsJson));
    if (parsed.success) return parsed.data.validation.overall;
  } catch {
    // fall through
  }
  return { auc: null, brier: null, ece: null };
}

/** The verified bundle's model card (JSON, parsed) and its markdown; null when the bundle no longer verifies. */
export async function readModelCard(dir: string): Promise<{ card: ModelCard; markdown: string } | null> {
  try {
    const { files } = await verifyBundle(dir);
    const json = files.get("model-card.json");
    const md = files.get("model-card.md");
    if (!json || !md) return null;
    const parsed = ModelCardSchema.safeParse(JSON.parse(new TextDecoder().decode(json)));
    return parsed.success ? { card: parsed.data, markdown: new TextDecoder().decode(md) } : null;
  } catch {
    return null;
  }
}

/** Whether a registered bundle still loads (manifest and every file); used before promoting. */
/** What stops a promotion: the bundle does not load, or it has no passing, current disclosure report. */
export async function promotionBlocker(dir: string): Promise<"invalid" | "disclosure" | null> {
  let manifest: Manifest;
  try {
    const bundle = await loadBundle(dir);
    manifest = bundle.manifest;
    disposeBundle(bundle);
  } catch {
    return "invalid";
  }
  return (await disclosureStatusOf({ dir, manifest })).status === "passed" ? null : "disclosure";
}

const RegisterConfigSchema = z.object({
  ALGORITHM_REGISTER_ORGANISATION: z.string().trim().max(200).optional(),
  ALGORITHM_REGISTER_CONTACT: z.string().trim().max(200).optional(),
});

/** Organisation and contact for the algorithm-register entry, when configured (else the entry says to fill them in). */
export function registerConfig(): { organisation: string | null; contact: string | null } {
  const parsed = RegisterConfigSchema.safeParse(process.env);
  return {
    organisation: parsed.success ? parsed.data.ALGORITHM_REGISTER_ORGANISATION || null : null,
    contact: parsed.success ? parsed.data.ALGORITHM_REGISTER_CONTACT || null : null,
  };
}
