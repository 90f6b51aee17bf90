import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread on a TypeScript file. Worker threads do not inherit the parent's
 * `--import tsx` loader (nor vitest's transform): the thread loads tsx's API by absolute path and
 * imports the TypeScript worker through it, so the same call works under `npm run train`, the app's
 * retraining process, `npm start` and vitest.
 */
export function startTsWorker(workerFile: string, options: { workerData?: unknown } = {}): Worker {
  // The ESM entry (the CommonJS one resolves its own parts wrongly from an eval'd thread).
  const api = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/index\.cjs$/, "index.mjs")).href;
  const file = pathToFileURL(workerFile).href;
  const source = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}));`;
  return new Worker(source, { eval: true, workerData: options.workerData });
}
