import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { ensureBackend } from "../backend.js";
import { loadBundle } from "../bundle/bundle.js";
import { recommendMany } from "./recommend.js";

/**
 * A worker thread of the recommendation pool (recommend-pool.ts): loads the bundle once, then
 * answers {id, client} messages with {id, result} or {id, error}, in batches of the requests that
 * queued up meanwhile (one network pass per batch). Runs under the tsx loader.
 */
const { bundleDir } = z.object({ bundleDir: z.string().min(1) }).parse(workerData);
const RequestSchema = z.object({ id: z.number().int(), client: z.record(z.string(), z.unknown()) });
const port = parentPort;
if (!port) throw new Error("recommend-worker.ts runs as a worker thread");

await ensureBackend({ quiet: true });
const bundle = await loadBundle(bundleDir);
// Requests that arrive while a batch is computed wait in the port; the next batch takes them all.
const MAX_BATCH = 32;
let queue: z.infer<typeof RequestSchema>[] = [];
let scheduled = false;
function flush(): void {
  scheduled = false;
  while (queue.length > 0) {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    recommendMany(bundle, batch.map((r) => r.client)).forEach((outcome, i) => {
      const id = batch[i]?.id;
      if (outcome.ok) port?.postMessage({ id, result: outcome.result });
      else port?.postMessage({ id, error: { name: outcome.error.name, message: outcome.error.message } });
    });
  }
}
port.on("message", (message: unknown) => {
  const request = RequestSchema.safeParse(message);
  if (!request.success) return;
  queue.push(request.data);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
port.postMessage({ ready: bundle.version });
