import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { ensureBackend } from "../backend.js";
import { loadBundle } from "../bundle/bundle.js";
import { recommend } from "./recommend.js";

/**
 * A worker thread of the recommendation pool (recommend-pool.ts): loads the bundle once, then
 * answers {id, client} messages with {id, result} or {id, error}. Runs under the tsx loader.
 */
const { bundleDir } = z.object({ bundleDir: z.string().min(1) }).parse(workerData);
const RequestSchema = z.object({ id: z.number().int(), client: z.record(z.string(), z.unknown()) });
const port = parentPort;
if (!port) throw new Error("recommend-worker.ts runs as a worker thread");

await ensureBackend({ quiet: true });
const bundle = await loadBundle(bundleDir);
port.on("message", (message: unknown) => {
  const request = RequestSchema.safeParse(message);
  if (!request.success) return;
  const { id, client } = request.data;
  try {
    port.postMessage({ id, result: recommend(bundle, client) });
  } catch (error) {
    port.postMessage({ id, error: { name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error) } });
  }
});
port.postMessage({ ready: bundle.version });
