import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { z } from "zod";
import { startTsWorker } from "../parallel/ts-worker.js";
import type { RecommendationResult } from "../recommendation.js";

/**
 * Recommendations computed on worker threads, so that a server uses more than one core without
 * a second process (SQLite accepts one writer process at a time). Each thread loads the bundle
 * itself; a request goes to the thread with the fewest requests in flight.
 */
export type RecommendPool = {
  version: string;
  threads: number;
  recommend(client: Record<string, unknown>): Promise<RecommendationResult>;
  /** Lets requests in flight finish, then ends the threads. */
  close(): Promise<void>;
};

/** The worker script beside this module (a server bundle that moved this module passes its own path). */
export const RECOMMEND_WORKER_FILE = fileURLToPath(new URL("./recommend-worker.ts", import.meta.url));

const ReplySchema = z.union([
  z.object({ ready: z.string() }),
  z.object({ id: z.number(), result: z.custom<RecommendationResult>((v) => typeof v === "object" && v !== null) }),
  z.object({ id: z.number(), error: z.object({ name: z.string(), message: z.string() }) }),
]);

/** An error thrown inside a worker, with the worker's error name (e.g. ModelError) kept. */
export class PoolError extends Error {}

type Pending = { resolve: (r: RecommendationResult) => void; reject: (e: Error) => void };
type Thread = { worker: Worker; pending: Map<number, Pending> };

export async function createRecommendPool(options: { bundleDir: string; threads: number; workerFile?: string }): Promise<RecommendPool> {
  if (options.threads < 1) throw new RangeError("a recommendation pool needs at least one thread");
  let nextId = 1;
  let failure: Error | null = null;
  let closing = false;
  const start = (): Promise<{ thread: Thread; version: string }> =>
    new Promise((resolve, reject) => {
      // Under the tsx loader, as every TypeScript worker (model/parallel/ts-worker.ts).
      const worker = startTsWorker(options.workerFile ?? RECOMMEND_WORKER_FILE, { workerData: { bundleDir: options.bundleDir } });
      const thread: Thread = { worker, pending: new Map() };
      const fail = (error: Error) => {
        if (closing) return;
        failure = error;
        for (const p of thread.pending.values()) p.reject(error);
        thread.pending.clear();
        reject(error);
      };
      worker.on("message", (message: unknown) => {
        const reply = ReplySchema.safeParse(message);
        if (!reply.success) return;
        const data = reply.data;
        if ("ready" in data) return resolve({ thread, version: data.ready });
        const pending = thread.pending.get(data.id);
        if (!pending) return;
        thread.pending.delete(data.id);
        if ("result" in data) pending.resolve(data.result);
        else {
          const error = new PoolError(data.error.message);
          error.name = data.error.name;
          pending.reject(error);
        }
      });
      worker.on("error", (error) => fail(error instanceof Error ? error : new Error(String(error))));
      worker.on("exit", (code) => {
        if (thread.pending.size > 0 || code !== 0) fail(new Error(`recommendation thread stopped (exit code ${code})`));
      });
    });
  const started = await Promise.all(Array.from({ length: options.threads }, start));
  const threads = started.map((s) => s.thread);
  return {
    version: started[0]?.version ?? "",
    threads: threads.length,
    recommend(client) {
      if (failure) return Promise.reject(failure);
      if (closing) return Promise.reject(new Error("the recommendation threads are closed"));
      const thread = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<RecommendationResult>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.postMessage({ id, client });
      });
    },
    async close() {
      closing = true;
      await Promise.all(
        threads.map(async (t) => {
          while (t.pending.size > 0) await new Promise((r) => setTimeout(r, 20));
          await t.worker.terminate();
        }),
      );
    },
  };
}
