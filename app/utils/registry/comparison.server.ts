import { spawn } from "node:child_process";
import path from "node:path";
import { z } from "zod";
import type { ModelComparison } from "../../../model/evaluate/compare";
import { sha256File } from "../../../model/index";
import {
  ComparisonProgressSchema,
  createComparison,
  failComparison,
  failStaleComparisons,
  finishComparison,
  getRunningComparison,
  updateComparisonProgress,
} from "~/models/model-comparison.server";
import { log } from "../log.server";
import { dataDir, linkedTablePaths, listLinkedTables } from "./model-registry.server";

/**
 * Head-to-head comparison of a candidate with the active model, in a worker process
 * (scripts/compare-worker.ts) like training: progress lines are stored on the comparison, its result
 * becomes the verdict. Only a held-out table is used: never a table either model was trained on.
 */
export const COMPARE_WORKER_SCRIPT = "scripts/compare-worker.ts";

type Trained = { id: string; dataHash: string | null; trainingTable: string | null };

async function hashOrNull(file: string): Promise<string | null> {
  try {
    return await sha256File(file);
  } catch {
    return null;
  }
}

/**
 * Whether `tableName` is (or holds) the training data of `model`: its recorded training table, or a table
 * whose analysis.csv or train.csv has the training data's SHA-256 (the registry's fingerprint).
 */
export async function isTrainingTable(tableName: string, model: Trained): Promise<boolean> {
  if (model.trainingTable && (tableName === model.trainingTable || tableName.startsWith(`${model.trainingTable}/`))) return true;
  if (!model.dataHash) return false;
  const dir = path.join(dataDir(), tableName);
  for (const file of ["analysis.csv", "train.csv"]) {
    if ((await hashOrNull(path.join(dir, file))) === model.dataHash) return true;
  }
  return false;
}

/** The linked tables on which these models may be compared: none that either was trained on. */
export async function heldOutTables(models: readonly Trained[]): Promise<string[]> {
  const tables = await listLinkedTables();
  const allowed: string[] = [];
  for (const name of tables) {
    let training = false;
    for (const model of models) if (await isTrainingTable(name, model)) training = true;
    if (!training) allowed.push(name);
  }
  return allowed;
}

export type StartComparisonResult = { ok: true; id: string } | { ok: false; code: "training_table" | "unknown_table" | "busy" };

export async function startComparison(options: {
  candidate: Trained & { dir: string };
  active: Trained & { dir: string };
  tableName: string;
  userId: string;
}): Promise<StartComparisonResult> {
  const { candidate, active, tableName } = options;
  const paths = await linkedTablePaths(tableName);
  if (!paths) return { ok: false, code: "unknown_table" };
  if ((await isTrainingTable(tableName, candidate)) || (await isTrainingTable(tableName, active))) return { ok: false, code: "training_table" };
  if (await getRunningComparison({ candidateId: candidate.id })) return { ok: false, code: "busy" };
  const { id } = await createComparison({
    candidateId: candidate.id,
    activeId: active.id,
    tableName,
    tableHash: await hashOrNull(paths.table),
    createdById: options.userId,
  });
  const job = { candidateDir: candidate.dir, activeDir: active.dir, table: paths.table, schema: paths.schema };
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(COMPARE_WORKER_SCRIPT), JSON.stringify(job)], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let writes: Promise<unknown> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    writes = writes.then(work).catch((error: unknown) => {
      log.warn({ comparison: id, error: error instanceof Error ? error.name : "error" }, "comparison: could not record progress");
    });
  };
  child.on("error", () => enqueue(() => failComparison({ id, error: "the comparison process could not be started" })));
  let buffer = "";
  let reported: string | null = null;
  let finished = false;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const result = WorkerResultSchema.safeParse(value);
      const failure = z.object({ error: z.string().min(1).max(500) }).safeParse(value);
      const progress = ComparisonProgressSchema.safeParse(value);
      if (result.success) {
        finished = true;
        enqueue(() => finishComparison({ id, result: result.data.result }));
      } else if (failure.success) {
        reported = failure.data.error;
      } else if (progress.success) {
        enqueue(() => updateComparisonProgress({ id, progress: progress.data }));
      }
    }
  });
  child.stderr.resume();
  child.on("exit", () => {
    enqueue(async () => {
      if (!finished) await failComparison({ id, error: reported ?? "the comparison stopped unexpectedly" });
    });
  });
  return { ok: true, id };
}

const EstimateSchema = z.object({ value: z.number(), se: z.number(), lower80: z.number(), upper80: z.number(), lower95: z.number(), upper95: z.number() });
const SliceSchema = z.object({
  key: z.string(),
  rows: z.number().int().nullable(),
  policyValueDifference: z.number().nullable(),
  adviceChanged: z.number().nullable(),
  aucCandidate: z.number().nullable(),
  aucActive: z.number().nullable(),
});
/** A stored comparison result, read back at the boundary. */
export const ModelComparisonSchema = z.object({
  rows: z.number().int(),
  replicates: z.number().int(),
  seed: z.number().int(),
  metrics: z.array(
    z.object({
      metric: z.enum(["auc", "brier", "ece", "policyValueDr"]),
      better: z.enum(["higher", "lower"]),
      candidate: z.number().nullable(),
      active: z.number().nullable(),
      difference: EstimateSchema.nullable(),
    }),
  ),
  verdict: z.enum(["better", "indistinguishable", "worse"]),
  adviceChanged: z.number(),
  perArm: z.array(SliceSchema),
  perGroup: z.array(z.object({ column: z.string(), groups: z.array(SliceSchema) })),
}) satisfies z.ZodType<ModelComparison>;

const WorkerResultSchema = z.object({ result: ModelComparisonSchema });

export function parseComparisonResult(json: string | null): ModelComparison | null {
  if (!json) return null;
  try {
    const parsed = ModelComparisonSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

let recovered: Promise<void> | undefined;
/** Once per server process: comparisons a stopped server left running are marked failed. */
export function recoverStaleComparisonsOnce(): Promise<void> {
  recovered ??= failStaleComparisons({ olderThan: new Date() }).catch(() => {
    recovered = undefined;
  });
  return recovered;
}
