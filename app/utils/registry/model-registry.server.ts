import { randomBytes } from "node:crypto";
import { cp, mkdir, readdir, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { type ModelCard, ModelCardSchema } from "../../../model/bundle/model-card";
import {
  DISCLOSURE_REPORT_FILE,
  disposeBundle,
  ModelError,
  loadBundle,
  type Manifest,
  requireDisclosurePass,
  sha256File,
  verifyBundle,
} from "../../../model/index";
import { getPassedComparison } from "~/models/model-comparison.server";
import {
  createModelVersion,
  type DisclosureStatus,
  getActiveModelVersion,
  getModelVersion,
  markModelVersionFailed,
  promoteModelVersion,
  rollbackModelVersion,
  type TransitionResult,
} from "~/models/model-version.server";
import { getEnv } from "../env.server";

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

export type RegisterCode = "outside" | "not_found" | "invalid" | "disclosure" | "duplicate";
export type RegisterResult = { ok: true; version: string; disclosureStatus: DisclosureStatus } | { ok: false; code: RegisterCode; detail: string | null };

const SAFE_VERSION = /^[A-Za-z0-9._-]{1,120}$/;

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one bundle registration pipeline: the app's import, `npm run models -- import`, the training
 * worker's result and the demo model of `npm start` all go through it, step by step:
 *   1. the manifest verifies and every file loads (zod on each)          else "invalid"
 *   2. the disclosure report: a failed one is refused, and with
 *      `requirePassed` a missing one too                                  else "disclosure"
 *   3. the version is a safe directory name, not registered yet           else "invalid" / "duplicate"
 *   4. placement: "copy" copies the bundle into a temporary directory beside the registry, verifies the
 *      copy and renames it to MODEL_DIR/<version> (never over an existing one); "in-place" registers a
 *      bundle that server code already wrote under MODEL_DIR
 *   5. a ModelVersion row as candidate, with the training data's SHA-256 (given, recorded in the bundle,
 *      or of `tableFile`), its metrics and its disclosure status.
 * Activating is a separate step with the promotion rule (promoteRegisteredModel). Messages never hold a
 * server path; `hide` replaces the paths a caller may show (e.g. the import path the user typed).
 */
export async function registerBundle(options: {
  dir: string;
  place: "copy" | "in-place";
  createdById: string | null;
  dataHash?: string | null;
  tableFile?: string | null;
  /** The linked table (name under DATA_DIR) it was trained on, when known. */
  trainingTable?: string | null;
  requirePassed?: boolean;
  hide?: { from: string; to: string }[];
}): Promise<RegisterResult> {
  const hide = options.hide ?? [];
  let manifest: Manifest;
  let files: Map<string, Uint8Array>;
  try {
    ({ manifest, files } = await verifyBundle(options.dir));
    disposeBundle(await loadBundle(options.dir));
  } catch (error) {
    return { ok: false, code: "invalid", detail: userMessage(error, hide) };
  }
  const disclosure = await disclosureStatusOf({ dir: options.dir, manifest });
  if (disclosure.status === "failed") return { ok: false, code: "disclosure", detail: disclosure.reason };
  if (disclosure.status !== "passed" && options.requirePassed) return { ok: false, code: "disclosure", detail: "the bundle has no disclosure report (run npm run check-bundle on it)" };
  if (!SAFE_VERSION.test(manifest.version) || manifest.version.startsWith(".")) {
    return { ok: false, code: "invalid", detail: "the bundle version is not a safe directory name" };
  }
  if (await getModelVersion({ id: manifest.version })) return { ok: false, code: "duplicate", detail: manifest.version };
  let dir = path.resolve(options.dir);
  if (options.place === "copy") {
    const target = path.join(modelDir(), manifest.version);
    if (await exists(target)) return { ok: false, code: "duplicate", detail: manifest.version };
    await mkdir(modelDir(), { recursive: true });
    const temp = path.join(modelDir(), `.import-${randomBytes(6).toString("hex")}`);
    try {
      await cp(options.dir, temp, { recursive: true, errorOnExist: true, force: false });
      await verifyBundle(temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      return { ok: false, code: "invalid", detail: userMessage(error, hide) };
    }
    dir = target;
  }
  const manifestJson: unknown = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8"));
  let dataHash = options.dataHash ?? dataHashOf(files, manifestJson);
  if (!dataHash && options.tableFile) dataHash = await sha256File(options.tableFile);
  const metrics = files.get("metrics.json");
  try {
    await createModelVersion({
      id: manifest.version,
      dir,
      dataHash,
      metricsJson: metrics ? new TextDecoder().decode(metrics) : "{}",
      disclosureStatus: disclosure.status,
      createdById: options.createdById,
      trainingTable: options.trainingTable ?? null,
    });
  } catch (error) {
    // Registered by someone else in between (unique id): the copy made here is not theirs to keep.
    if (options.place === "copy") await rm(dir, { recursive: true, force: true });
    if (await getModelVersion({ id: manifest.version })) return { ok: false, code: "duplicate", detail: manifest.version };
    throw error;
  }
  return { ok: true, version: manifest.version, disclosureStatus: disclosure.status };
}

/**
 * The app's import: a directory under MODEL_DIR/import (the path a data scientist types in the browser
 * cannot reach anything else), then the registration pipeline with a copy into MODEL_DIR/<version>.
 */
export async function importBundle(options: { source: string; createdById: string; tableName?: string | null }): Promise<RegisterResult> {
  const typed = options.source;
  const root = importRoot();
  await mkdir(root, { recursive: true });
  const resolvedRoot = await realpath(root);
  const isOutside = (base: string, target: string) => {
    const relative = path.relative(base, target);
    return relative === "" || relative.startsWith("..") || path.isAbsolute(relative);
  };
  // Decided on the typed path before the file system is asked: whether something exists outside the
  // import folder is none of the answer's business.
  if (isOutside(path.resolve(root), path.resolve(root, typed))) return { ok: false, code: "outside", detail: null };
  let source: string;
  try {
    source = await realpath(path.resolve(root, typed));
  } catch {
    return { ok: false, code: "not_found", detail: null };
  }
  // A link inside the import folder that points out of it.
  if (isOutside(resolvedRoot, source)) return { ok: false, code: "outside", detail: null };
  if (!(await stat(source)).isDirectory()) return { ok: false, code: "not_found", detail: null };
  const paths = options.tableName ? await linkedTablePaths(options.tableName) : null;
  return registerBundle({
    dir: source,
    place: "copy",
    createdById: options.createdById,
    tableFile: paths?.table ?? null,
    trainingTable: paths ? options.tableName : null,
    hide: [
      { from: source, to: typed },
      { from: resolvedRoot, to: "import" },
    ],
  });
}

export type PromoteResult = TransitionResult | { ok: false; reason: "invalid" | "disclosure" | "no_reason" | "no_comparison" };

/** A reason for a promotion or roll-back: plain text, kept with the version and in the audit log. */
export const ActivationReasonSchema = z.string().trim().min(5).max(500);

/**
 * The promotion rule, for the app's promote button, `npm run models -- import --activate` and the demo
 * model: only a candidate whose bundle still loads (else it is marked failed) and carries a passing,
 * current disclosure report becomes active, with a recorded reason; the active model is retired in the
 * same transaction. While a model is active, the candidate also needs a passed head-to-head comparison
 * with exactly that model on a held-out table (`comparison: "required"`). Only the operator's CLI on the
 * server may skip it (`comparison: "waived"`, see scripts/models.ts), never a request to the app.
 */
export async function promoteRegisteredModel(options: {
  id: string;
  reason: string;
  userId: string | null;
  comparison: "required" | "waived";
}): Promise<PromoteResult> {
  const reason = ActivationReasonSchema.safeParse(options.reason);
  if (!reason.success) return { ok: false, reason: "no_reason" };
  const version = await getModelVersion({ id: options.id });
  if (!version) return { ok: false, reason: "not_found" };
  if (version.status !== "candidate") return { ok: false, reason: "not_candidate" };
  const active = await getActiveModelVersion();
  if (options.comparison === "required" && active && !(await getPassedComparison({ candidateId: version.id, activeId: active.id }))) {
    return { ok: false, reason: "no_comparison" };
  }
  const blocker = await promotionBlocker(version.dir);
  if (blocker === "invalid") await markModelVersionFailed({ id: version.id });
  if (blocker) return { ok: false, reason: blocker };
  return promoteModelVersion({
    id: version.id,
    activation: { reason: reason.data, userId: options.userId },
    // The comparison was made against this active model: a change in between is refused.
    expectedActive: options.comparison === "required" ? (active?.id ?? null) : undefined,
  });
}

/** Roll back to an earlier version (retired, once active) whose bundle still loads and passes the disclosure rule, with a reason. */
export async function rollbackRegisteredModel(options: { targetId: string; reason: string; userId: string }): Promise<PromoteResult> {
  const reason = ActivationReasonSchema.safeParse(options.reason);
  if (!reason.success) return { ok: false, reason: "no_reason" };
  const target = await getModelVersion({ id: options.targetId });
  if (target?.status !== "retired" || !target.activatedAt) return { ok: false, reason: "no_previous" };
  const blocker = await promotionBlocker(target.dir);
  if (blocker) return { ok: false, reason: blocker };
  return rollbackModelVersion({ targetId: target.id, activation: { reason: reason.data, userId: options.userId } });
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
