import { writeSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { failRun, finishRun, getTrainingRun, markRunStarted, SERVER_RESTARTED, TrainSettingsSchema } from "../app/models/training-run.server.js";
import { linkedTablePaths, modelDir, registerBundleDir, sha256File, TRAINING_DATA_FILE, userMessage } from "../app/utils/model-registry.server.js";
import { ModelError, trainBundle, writeBundleFile } from "../model/index.js";

/**
 * Retraining worker, started by app/utils/training.server.ts with a TrainingRun id:
 * trains on the run's linked table with its settings, writes the bundle atomically into a
 * temporary directory, records the training table's SHA-256 in it, renames it to
 * MODEL_DIR/<version> and registers it as a candidate. Progress goes to stdout as JSON lines
 * (training blocks this process's event loop; the web server stores them).
 */
const runId = z.string().min(1).max(64).regex(/^[a-z0-9]+$/).parse(process.argv[2]);

function report(progress: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify(progress)}\n`);
}

async function main(): Promise<void> {
  const run = await getTrainingRun({ id: runId });
  if (!run || (run.status !== "queued" && run.status !== "running")) return;
  await markRunStarted({ id: runId, pid: process.pid });
  const settings = TrainSettingsSchema.parse(JSON.parse(run.settingsJson));
  report({ phase: "reading" });
  const paths = await linkedTablePaths(run.tableName);
  if (!paths) {
    await failRun({ id: runId, error: "the chosen table no longer exists" });
    return;
  }
  const dataHash = await sha256File(paths.table);
  const workDir = path.join(modelDir(), `.training-${runId}`);
  try {
    const result = await trainBundle({
      table: paths.table,
      schema: paths.schema,
      outDir: workDir,
      seed: settings.seed,
      members: settings.members,
      maxEpochs: settings.maxEpochs,
      onProgress: (p) => report({ phase: "training", ...p }),
    });
    report({ phase: "saving" });
    await writeBundleFile(workDir, TRAINING_DATA_FILE, `${JSON.stringify({ sha256: dataHash, table: "analysis.csv" }, null, 2)}\n`);
    const current = await getTrainingRun({ id: runId });
    if (current?.status !== "running") {
      await rm(workDir, { recursive: true, force: true });
      return;
    }
    const target = path.join(modelDir(), result.version);
    await rename(workDir, target);
    const registered = await registerBundleDir({ dir: target, createdById: run.createdById, dataHash });
    if (!registered.ok) {
      await failRun({ id: runId, error: registered.detail ?? "the bundle could not be registered" });
      return;
    }
    await finishRun({ id: runId, modelVersionId: registered.version });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    // Plain reason only: no paths, no stack.
    // EPIPE: the web server that started this worker is gone (stdout closed).
    const serverGone = (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
    const reason = serverGone ? SERVER_RESTARTED : error instanceof ModelError ? userMessage(error) : "training failed";
    await failRun({ id: runId, error: reason });
  }
}

main()
  .then(() => process.exit(0))
  .catch(async () => {
    await failRun({ id: runId, error: "training failed" }).catch(() => undefined);
    process.exit(1);
  });
