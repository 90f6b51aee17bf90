import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { currentBackend, ensureBackend } from "../backend.js";
import { type JobProgress, runJob, TrainingJobSchema } from "./jobs.js";

/**
 * A worker thread of the training pool (pool.ts): loads the TensorFlow.js backend the parent uses,
 * once, then runs one job at a time: {id, job} in, {id, progress} while it runs, then {id, result}
 * or {id, error}. Runs under the tsx loader (ts-worker.ts).
 */
const { backend } = z.object({ backend: z.enum(["tensorflow", "wasm", "cpu"]) }).parse(workerData);
const RequestSchema = z.object({ id: z.number().int(), job: TrainingJobSchema });
const port = parentPort;
if (!port) throw new Error("parallel/worker.ts runs as a worker thread");

await ensureBackend({ prefer: backend, quiet: true });

/** The buffers of a result, handed over instead of copied. */
function transferable(result: unknown): ArrayBuffer[] {
  if (result instanceof Float64Array) return [result.buffer as ArrayBuffer];
  if (Array.isArray(result)) return result.flatMap((fit: { values?: unknown }) => (fit.values instanceof Float64Array ? [fit.values.buffer as ArrayBuffer] : []));
  const weights = (result as { weights?: { values: Float32Array }[] }).weights ?? [];
  return [...new Set(weights.map((w) => w.values.buffer as ArrayBuffer))];
}

port.on("message", (message: unknown) => {
  const id = z.object({ id: z.number().int() }).safeParse(message).data?.id ?? -1;
  try {
    const request = RequestSchema.parse(message);
    const started = performance.now();
    const result = runJob(request.job, (progress: JobProgress) => port.postMessage({ id, progress }));
    port.postMessage({ id, result, seconds: (performance.now() - started) / 1000 }, transferable(result));
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    port.postMessage({ id, error: { name: e.name, message: e.message } });
  }
});
port.postMessage({ ready: currentBackend() });
