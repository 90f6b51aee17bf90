import { spawn } from "node:child_process";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import {
  cancelRun,
  createTrainingRun,
  failRun,
  markRunStarted,
  RunProgressSchema,
  recoverStaleRuns,
  type TrainSettings,
  updateRunProgress,
} from "~/models/training-run.server";
import { modelDir } from "./model-registry.server";

/**
 * Starts retraining in a separate process (scripts/train-worker.ts) so the web server stays responsive.
 * Training itself is synchronous inside the worker, so the worker prints one JSON line per epoch on
 * stdout and this process stores it as the run's progress and heartbeat. The worker records the end
 * itself (succeeded with the candidate, or failed with a plain reason); an exit without that is a failure.
 */
export const WORKER_SCRIPT = "scripts/train-worker.ts";

/** Temporary bundle directory of a run (trainBundle writes it atomically; the worker renames it to MODEL_DIR/<version>). */
export function runWorkDir(runId: string): string {
  return path.join(modelDir(), `.training-${runId}`);
}

export async function startTraining(options: { tableName: string; settings: TrainSettings; userId: string }): Promise<{ runId: string }> {
  const { id } = await createTrainingRun({ tableName: options.tableName, settings: options.settings, createdById: options.userId });
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(WORKER_SCRIPT), id], {
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
  // Progress writes are chained so they land in order.
  let writes: Promise<void> = Promise.resolve();
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
      if (!line.startsWith("{")) continue;
      try {
        const progress = RunProgressSchema.safeParse(JSON.parse(line));
        if (progress.success) writes = writes.then(() => updateRunProgress({ id, progress: progress.data })).catch(() => undefined);
      } catch {
        // not a progress line
      }
    }
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.on("exit", (code, signal) => {
    void writes.then(async () => {
      if (code === 0) return;
      const marked = await failRun({ id, error: "training stopped unexpectedly" });
      if (marked) console.warn(`training run ${id}: worker exited (${signal ?? code}); last output: ${stderr.split("\n").slice(-5).join(" | ")}`);
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
