import { availableParallelism } from "node:os";
import { z } from "zod";
import { ModelError } from "../errors.js";

/** Below this many training rows a thread (tsx and the wasm backend: about a second to start) costs more than it saves. */
export const MIN_ROWS_FOR_THREADS = 2000;

/** TRAIN_THREADS: a whole number of threads (the app validates it at start-up with this same schema). */
export const TrainThreadsSchema = z.coerce.number().int().min(1).max(64);

/**
 * Threads for training `rows` rows: TRAIN_THREADS when set (1 = this thread only), else one per
 * available core, and this thread alone for a small table.
 */
export function trainingThreads(options: { rows: number; env?: Record<string, string | undefined> }): number {
  const value = (options.env ?? process.env).TRAIN_THREADS;
  if (value !== undefined && value.trim() !== "") {
    const parsed = TrainThreadsSchema.safeParse(value);
    if (!parsed.success) throw new ModelError(`TRAIN_THREADS must be a whole number from 1 to 64, not "${value}"`);
    return parsed.data;
  }
  return options.rows < MIN_ROWS_FOR_THREADS ? 1 : availableParallelism();
}
