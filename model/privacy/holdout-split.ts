import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SchemaError } from "../errors.js";
import { createRandom } from "../random.js";

/**
 * Splits a table file into a training part and a held-out part of the same population, for the
 * membership-inference test of `check-bundle` (members = training rows, non-members = held-out rows).
 * One CSV line is one row (the analysis table never holds line breaks inside a field); the header is
 * copied to both parts. Rows are shuffled with a seeded generator, so the split is reproducible.
 * The analysis table has one row per person (pseudonym), so a row split is a person split.
 */
export type HoldoutSplitOptions = {
  table: string;
  trainOut: string;
  holdoutOut: string;
  /** Number of held-out rows (default `defaultHoldoutRows`); at least 10, leaving at least 10 for training. */
  holdoutRows?: number;
  seed?: number;
};

/** A held-out share for `n` rows: 20%, but at least min(2000, n/2) so the attack sample is large enough. */
export function defaultHoldoutRows(n: number): number {
  return Math.max(Math.round(0.2 * n), Math.min(2000, Math.round(0.5 * n)));
}

export async function splitTableFile(options: HoldoutSplitOptions): Promise<{ train: number; holdout: number }> {
  let text: string;
  try {
    text = await readFile(options.table, "utf8");
  } catch (error) {
    throw new SchemaError(`${options.table}: cannot read table file`, { cause: error });
  }
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines.shift();
  if (header === undefined) throw new SchemaError(`${options.table}: the table is empty (no header row)`);
  const n = lines.length;
  const holdout = Math.floor(options.holdoutRows ?? defaultHoldoutRows(n));
  if (!(holdout >= 10 && n - holdout >= 10)) {
    throw new SchemaError(`${options.table}: ${n} rows cannot be split into ${holdout} held-out rows and at least 10 training rows`);
  }
  const random = createRandom(options.seed ?? 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const isHoldout = new Uint8Array(n);
  for (let k = 0; k < holdout; k++) isHoldout[order[k] as number] = 1;
  const train: string[] = [header];
  const held: string[] = [header];
  lines.forEach((line, i) => {
    (isHoldout[i] ? held : train).push(line);
  });
  await writeAtomically(options.trainOut, `${train.join("\n")}\n`);
  await writeAtomically(options.holdoutOut, `${held.join("\n")}\n`);
  return { train: train.length - 1, holdout: held.length - 1 };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
