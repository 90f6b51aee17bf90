import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { z } from "zod";
import { type BackendName, ensureBackend } from "../backend.js";
import { BundleError, ModelError, SchemaError } from "../errors.js";
import { type JobProgress, type JobResult, runJob, type TrainingJob } from "./jobs.js";
import { startTsWorker } from "./ts-worker.js";

/**
 * Independent training jobs (jobs.ts) on a pool of worker threads, one per core: ensemble members
 * and the learners' cross-fitted fits keep both cores busy. A job is plain data and gets the same
 * seed wherever it runs, and results come back in the order they were asked for, so a trained model
 * is the same for every number of threads. With one thread the jobs run in this thread, as they
 * always did. A thread loads the TensorFlow.js backend once; the table's arrays are shared with the
 * threads, not copied per job. A job that throws fails only its own promise (with the job's error
 * name and message); a thread that crashes fails every job in the pool, never leaves one waiting.
 */
export type TrainingPool = {
  /** Threads the jobs run on (1: this thread). */
  threads: number;
  run<J extends TrainingJob>(job: J, options?: RunOptions): Promise<JobResult<J>>;
  /** `run`, with the seconds the job took where it ran (not counting its wait in the queue). */
  runTimed<J extends TrainingJob>(job: J, options?: RunOptions): Promise<{ result: JobResult<J>; seconds: number }>;
  /** Ends the threads; jobs still queued or running fail. */
  close(): Promise<void>;
};

export type RunOptions = { onProgress?: (p: JobProgress) => void };

/** The worker script beside this module. */
export function trainingWorkerFile(): string {
  return fileURLToPath(new URL("./worker.ts", import.meta.url));
}

export async function createTrainingPool(options: { threads: number; workerFile?: string }): Promise<TrainingPool> {
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError("a training pool needs at least one thread");
  return options.threads === 1 ? inThreadPool() : threadPool({ threads: options.threads, workerFile: options.workerFile ?? trainingWorkerFile(), backend: await ensureBackend() });
}

/** Runs `work` with a pool of `threads` threads and always ends the threads afterwards. */
export async function withTrainingPool<T>(options: { threads: number }, work: (pool: TrainingPool) => Promise<T>): Promise<T> {
  const pool = await createTrainingPool(options);
  try {
    return await work(pool);
  } finally {
    await pool.close();
  }
}

const CLOSED = "the training threads are closed";

function inThreadPool(): TrainingPool {
  let closed = false;
  const runTimed: TrainingPool["runTimed"] = async (job, options = {}) => {
    if (closed) throw new Error(CLOSED);
    const started = performance.now();
    const result = runJob(job, options.onProgress);
    return { result, seconds: (performance.now() - started) / 1000 };
  };
  return {
    threads: 1,
    runTimed,
    run: async (job, options) => (await runTimed(job, options)).result,
    async close() {
      closed = true;
    },
  };
}

const NamedWeightsSchema = z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), values: z.instanceof(Float32Array) }));
const ReplySchema = z.union([
  z.object({ ready: z.string() }),
  z.object({ id: z.number(), progress: z.object({ epoch: z.number(), loss: z.number() }) }),
  z.object({
    id: z.number(),
    seconds: z.number(),
    result: z.union([
      z.instanceof(Float64Array),
      z.array(z.object({ values: z.instanceof(Float64Array), seconds: z.number() })),
      z.object({ weights: NamedWeightsSchema, epochs: z.number(), bestEpoch: z.number(), validationLoss: z.number() }),
    ]),
  }),
  z.object({ id: z.number(), error: z.object({ name: z.string(), message: z.string() }) }),
]);

type Task = {
  id: number;
  job: TrainingJob;
  resolve: (done: { result: unknown; seconds: number }) => void;
  reject: (error: Error) => void;
  onProgress?: ((p: JobProgress) => void) | undefined;
};
type Thread = { worker: Worker; ready: boolean; task: Task | null };

/** A job's error as thrown in the thread: model/'s own error types keep their type, others their name. */
function rebuildError(e: { name: string; message: string }): Error {
  const types: Record<string, typeof ModelError> = { ModelError, SchemaError, BundleError };
  const Type = types[e.name];
  if (Type) return new Type(e.message);
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/** A copy in shared memory of a large typed array (once per array): posting it to a thread then copies nothing. */
const sharedCopies = new WeakMap<object, Float32Array | Int32Array>();
function share<T extends Float32Array | Int32Array>(values: T): T {
  if (values.buffer instanceof SharedArrayBuffer || values.length < 4096) return values;
  let copy = sharedCopies.get(values) as T | undefined;
  if (!copy) {
    const buffer = new SharedArrayBuffer(values.byteLength);
    copy = (values instanceof Float32Array ? new Float32Array(buffer) : new Int32Array(buffer)) as T;
    copy.set(values);
    sharedCopies.set(values, copy);
  }
  return copy;
}

function threadPool(options: { threads: number; workerFile: string; backend: BackendName }): TrainingPool {
  const queue: Task[] = [];
  let nextId = 1;
  let failure: Error | null = null;
  let closed = false;

  const dispatch = () => {
    for (const thread of threads) {
      if (!thread.ready || thread.task || queue.length === 0) continue;
      const task = queue.shift() as Task;
      thread.task = task;
      const { data } = task.job;
      const job = { ...task.job, data: { ...data, x: share(data.x), treatment: share(data.treatment), outcome: share(data.outcome) } };
      thread.worker.postMessage({ id: task.id, job });
    }
  };

  /** A thread that crashed or stopped: every job in the pool fails with its message, and the other threads end. */
  const fail = (error: Error) => {
    if (failure || closed) return;
    failure = error;
    for (const thread of threads) {
      thread.task?.reject(error);
      thread.task = null;
      void thread.worker.terminate();
    }
    for (const task of queue.splice(0)) task.reject(error);
  };

  const start = (): Thread => {
    const worker = startTsWorker(options.workerFile, { workerData: { backend: options.backend } });
    const thread: Thread = { worker, ready: false, task: null };
    worker.on("message", (message: unknown) => {
      const reply = ReplySchema.safeParse(message);
      if (!reply.success) return fail(new Error("a training thread sent an unreadable reply"));
      const data = reply.data;
      if ("ready" in data) {
        // Another backend would give other numbers than this thread: the model must not depend on the thread count.
        if (data.ready !== options.backend)
          return fail(new ModelError(`a training thread runs the TensorFlow.js backend "${data.ready}" instead of "${options.backend}"`));
        thread.ready = true;
        return dispatch();
      }
      const task = thread.task;
      if (!task || task.id !== data.id) return;
      if ("progress" in data) return task.onProgress?.(data.progress);
      thread.task = null;
      if ("result" in data) task.resolve({ result: data.result, seconds: data.seconds });
      else task.reject(rebuildError(data.error));
      dispatch();
    });
    worker.on("error", (error) => fail(new ModelError(`a training thread failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })));
    worker.on("messageerror", (error) => fail(new ModelError(`a training thread sent an unreadable message: ${error.message}`)));
    worker.on("exit", (code) => fail(new ModelError(`a training thread stopped (exit code ${code})`)));
    return thread;
  };
  const threads: Thread[] = Array.from({ length: options.threads }, start);

  const runTimed: TrainingPool["runTimed"] = (job, runOptions = {}) => {
    if (failure) return Promise.reject(failure);
    if (closed) return Promise.reject(new Error(CLOSED));
    return new Promise((resolve, reject) => {
      queue.push({ id: nextId++, job, resolve: resolve as Task["resolve"], reject, onProgress: runOptions.onProgress });
      dispatch();
    });
  };
  return {
    threads: options.threads,
    runTimed,
    run: async (job, runOptions) => (await runTimed(job, runOptions)).result,
    async close() {
      if (closed) return;
      closed = true;
      const error = new Error(CLOSED);
      for (const task of queue.splice(0)) task.reject(error);
      for (const thread of threads) thread.task?.reject(error);
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
