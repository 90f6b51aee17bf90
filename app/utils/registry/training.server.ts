import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  cancelRun,
  createTrainingRun,
  failRun,
  finishRun,
  getTrainingRun,
  markRunStarted,
  RunProgressSchema,
  recoverStaleRuns,
  type TrainSettings,
  updateRunProgress,
} from "~/models/training-run.server";
import { linkedTablePaths, modelDir, registerBundle } from "./model-registry.server";
import { log } from "../log.server";

/**
 * Starts retraining in a separate process (scripts/train-worker.ts) so the web server stays responsive.
 * Training itself is synchronous inside the worker, so the worker prints one JSON line per epoch on
 * stdout and this process stores it as the run's progress and heartbeat. The worker never writes the
 * database (one writer, no SQLite lock contention): its result line is registered here as a candidate,
 * its error line becomes the run's reason, and an exit without a result is a failure.
 */
export const WORKER_SCRIPT = "scripts/train-worker.ts";

/** Temporary bundle directory of a run (trainBundle writes it atomically; the worker renames it to MODEL_DIR/<version>). */
export function runWorkDir(runId: string): string {
  return path.join(modelDir(), `.training-${runId}`);
}

const WorkerResultSchema = z.object({
  result: z.object({ version: z.string().min(1), dir: z.string().min(1), dataHash: z.string().regex(/^[0-9a-f]{64}$/) }),
});
const WorkerErrorSchema = z.object({ error: z.string().min(1).max(500) });

/** Registers the worker's bundle as a candidate and ends the run; a cancelled run's bundle is removed instead. */
async function finishWithBundle(runId: string, result: z.infer<typeof WorkerResultSchema>["result"]): Promise<void> {
  const inside = path.dirname(path.resolve(result.dir)) === modelDir();
  const run = await getTrainingRun({ id: runId });
  if (!inside || run?.status !== "running") {
    if (inside) await rm(result.dir, { recursive: true, force: true });
    if (!inside) await failRun({ id: runId, error: "the training process reported an unexpected result" });
    return;
  }
  try {
    const registered = await registerBundle({
      dir: path.resolve(result.dir),
      place: "in-place",
      createdById: run.createdById,
      dataHash: result.dataHash,
      trainingTable: run.tableName,
      requirePassed: true,
    });
    if (registered.ok) {
      await finishRun({ id: runId, modelVersionId: registered.version });
      return;
    }
    await failRun({ id: runId, error: registered.detail ?? "the bundle could not be registered" });
  } catch {
    await failRun({ id: runId, error: "the bundle could not be registered" });
  }
  await rm(result.dir, { recursive: true, force: true });
}

export async function startTraining(options: { tableName: string; settings: TrainSettings; userId: string }): Promise<{ runId: string }> {
  const { id } = await createTrainingRun({ tableName: options.tableName, settings: options.settings, createdById: options.userId });
  const paths = await linkedTablePaths(options.tableName);
  if (!paths) {
    await failRun({ id, error: "the chosen table no longer exists" });
    return { runId: id };
  }
  const job = { ...paths, workDir: runWorkDir(id), modelDir: modelDir(), ...options.settings };
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(WORKER_SCRIPT), JSON.stringify(job)], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.on("error", () => {
    void failRun({ id, error: "the training process could not be started" });
  });
  if (child.pid === undefined) {
    await failRun({ id, error: "the training process could not be started" });
    return { runId: id };
  }
  await markRunStarted({ id, pid: child.pid });
  let buffer = "";
  // The loss curve, per member, as the worker reports epochs; stored with each progress line.
  const losses: number[][] = [];
  let reported: string | null = null;
  let finished = false;
  // This process is the only database writer for the run; writes are chained so they land in order.
  let writes: Promise<unknown> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    writes = writes.then(work).catch((error: unknown) => {
      log.warn({ run: id, error: error instanceof Error ? error.name : "error" }, "training run: could not record progress");
    });
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const result = WorkerResultSchema.safeParse(value);
      const failure = WorkerErrorSchema.safeParse(value);
      const progress = RunProgressSchema.safeParse(value);
      if (result.success) {
        finished = true;
        enqueue(() => finishWithBundle(id, result.data.result));
      } else if (failure.success) {
        reported = failure.data.error;
      } else if (progress.success) {
        const p = progress.data;
        if (p.loss !== undefined && p.member !== undefined && p.epoch !== undefined && p.member >= 1 && p.member <= 10 && p.epoch >= 1 && p.epoch <= 500) {
          for (let m = 0; m < p.member; m++) losses[m] ??= [];
          const member = losses[p.member - 1] as number[];
          member[p.epoch - 1] = Math.round(p.loss * 1e5) / 1e5;
        }
        const snapshot = losses.map((l) => Array.from(l, (v) => v ?? 0));
        enqueue(() => updateRunProgress({ id, progress: { ...p, losses: snapshot } }));
      }
    }
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.on("exit", (code, signal) => {
    enqueue(async () => {
      if (finished && code === 0) return;
      const marked = await failRun({ id, error: reported ?? "training stopped unexpectedly" });
      if (marked && !reported) log.warn({ run: id, exit: signal ?? code, lastOutput: stderr.split("\n").slice(-5).join(" | ") }, "training run: worker exited");
      await removeRunWorkDirs(id);
    });
  });
  return { runId: id };
}

/** Removes a run's temporary directories (after a cancel or a crash). */
export async function removeRunWorkDirs(runId: string): Promise<void> {
  const prefix = `.training-${runId}`;
  const entries = await readdir(modelDir()).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => e.startsWith(prefix)).map((e) => rm(path.join(modelDir(), e), { recursive: true, force: true })));
}

/** Cancels a run: marks it cancelled, stops its worker, removes its temporary files. */
export async function cancelTraining({ runId }: { runId: string }): Promise<boolean> {
  const { ok, pid } = await cancelRun({ id: runId });
  if (!ok) return false;
  if (pid !== null) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await removeRunWorkDirs(runId);
  return true;
}

let recovered: Promise<string[]> | undefined;
/** Once per server process (first request to the registry): runs left running by a stopped server are marked failed. */
export function recoverStaleRunsOnce(): Promise<string[]> {
  recovered ??= recoverStaleRuns().catch(() => {
    recovered = undefined;
    return [];
  });
  return recovered;
}
