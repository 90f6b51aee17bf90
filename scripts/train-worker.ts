import { writeSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { LEARNER_CHOICES } from "../model/learners/kinds.js";
import {
  disposeBundle,
  loadBundle,
  ModelError,
  readTableCsv,
  runDisclosureCheck,
  sha256File,
  splitTableFile,
  trainBundle,
  writeBundleFile,
} from "../model/index.js";

/**
 * Retraining worker, started by app/utils/registry/training.server.ts (one process per run). It never
 * touches the database: the web server is the only writer, so the two processes cannot lock each
 * other out of SQLite. Everything goes to stdout as JSON lines:
 *   {"phase":"training","member":1,"members":5,"epoch":3,"maxEpochs":60,"loss":0.41}   progress
 *   {"result":{"version":"…","dir":"…","dataHash":"…"}}                                 success
 *   {"error":"…"}                                                                       failure (plain, no paths)
 * Training blocks this process's event loop, hence synchronous writes.
 * The bundle is written atomically into `workDir` by trainBundle, the training table's SHA-256 is
 * recorded in it (training-data.json), and it is renamed to MODEL_DIR/<version> on success.
 */
export const WorkerJobSchema = z.object({
  table: z.string().min(1),
  schema: z.string().min(1),
  workDir: z.string().min(1),
  modelDir: z.string().min(1),
  seed: z.number().int().min(0),
  members: z.number().int().min(1).max(10),
  maxEpochs: z.number().int().min(1).max(500),
  /** The learner: "auto" chooses by cross-fitted causal validation; absent, the network without validation. */
  learner: z.enum(LEARNER_CHOICES).optional(),
});
export type WorkerJob = z.infer<typeof WorkerJobSchema>;

function emit(line: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify(line)}\n`);
}

/** A model error's message without server paths; anything else is a plain "training failed". */
function plainReason(error: unknown): string {
  if (!(error instanceof ModelError)) return "training failed";
  return error.message.replace(/(?:\/[^\s/:]+)+\/([^\s/:]+)/g, "$1").slice(0, 300);
}

async function main(): Promise<void> {
  const job = WorkerJobSchema.parse(JSON.parse(process.argv[2] ?? "null"));
  emit({ phase: "reading" });
  // As `npm start` does: train on part of the table, keep the rest for the disclosure check's
  // membership-inference test; a model that does not pass never becomes a candidate.
  // In the OS temp folder, not beside the models: a killed worker must not leave files in MODEL_DIR.
  const split = await mkdtemp(path.join(tmpdir(), "tw-split-"));
  const trainCsv = path.join(split, "train.csv");
  const holdoutCsv = path.join(split, "holdout.csv");
  try {
    await splitTableFile({ table: job.table, trainOut: trainCsv, holdoutOut: holdoutCsv, seed: job.seed });
    const dataHash = await sha256File(trainCsv);
    const result = await trainBundle({
      table: trainCsv,
      schema: job.schema,
      outDir: job.workDir,
      seed: job.seed,
      members: job.members,
      maxEpochs: job.maxEpochs,
      ...(job.learner ? { learner: job.learner } : {}),
      onProgress: (p) => emit({ phase: "training", ...p }),
    });
    emit({ phase: "saving" });
    await writeBundleFile(job.workDir, "training-data.json", `${JSON.stringify({ sha256: dataHash, table: path.basename(job.table) }, null, 2)}\n`);
    emit({ phase: "checking" });
    const report = await checkDisclosure({ dir: job.workDir, trainCsv, holdoutCsv, trainSha256: dataHash, seed: job.seed });
    if (!report.passed) throw new ModelError(`the disclosure check did not pass: ${report.reasons.join("; ")}`);
    const dir = path.join(job.modelDir, result.version);
    await rename(job.workDir, dir);
    emit({ result: { version: result.version, dir, dataHash } });
  } catch (error) {
    await rm(job.workDir, { recursive: true, force: true });
    emit({ error: plainReason(error) });
    process.exitCode = 1;
  } finally {
    await rm(split, { recursive: true, force: true });
  }
}

async function checkDisclosure(options: { dir: string; trainCsv: string; holdoutCsv: string; trainSha256: string; seed: number }) {
  const bundle = await loadBundle(options.dir);
  try {
    const [members, nonMembers] = await Promise.all([readTableCsv(options.trainCsv), readTableCsv(options.holdoutCsv)]);
    return await runDisclosureCheck({
      bundle,
      members: members.rows,
      nonMembers: nonMembers.rows,
      trainSha256: options.trainSha256,
      holdoutSha256: await sha256File(options.holdoutCsv),
      seed: options.seed,
    });
  } finally {
    disposeBundle(bundle);
  }
}

main().catch((error: unknown) => {
  try {
    emit({ error: plainReason(error) });
  } catch {
    // stdout gone: the server that started this worker has stopped
  }
  process.exitCode = 1;
});
