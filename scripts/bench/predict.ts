import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { LearnerChoiceName } from "../../model/learners/kinds.js";
import { currentBackend } from "../../model/backend.js";
import { type Bundle, disposeBundle, loadBundle, predictTable, readTableCsv, trainBundle } from "../../model/index.js";
import { parseCli } from "../lib/cli.js";
import { prepareTable } from "./train.js";

/** A bundle to benchmark with: the given one, or a 5-member bundle trained briefly on generated data. */
export async function benchBundle(
  dir: string,
  model: string | undefined,
  persons: number,
  table?: string,
  learner: LearnerChoiceName = "network",
): Promise<{ bundle: Bundle; table: string }> {
  if (model && table) return { bundle: await loadBundle(model), table };
  const input = await prepareTable(dir, persons, 3);
  const bundleDir = model ?? (await trainBundle({ ...input, outDir: join(dir, "bundle"), members: 5, maxEpochs: 2, seed: 1, learner })).dir;
  return { bundle: await loadBundle(bundleDir), table: input.table };
}

const spec = {
  name: "bench predict",
  usage: "npm run bench -- predict [--rows N] [--model DIR [--table CSV]]",
  description:
    "Predicts every arm for N rows (default 100000, rows of a generated table repeated) with a 5-member bundle\n" +
    "(--model, or one trained briefly on generated data) and prints {rows, arms, seconds, rowsPerSecond} as JSON.",
  options: { rows: "string", model: "string", table: "string" } as const,
  schema: z.object({
    rows: z.coerce.number().int().min(1).max(5_000_000).default(100_000),
    model: z.string().optional(),
    table: z.string().optional(),
  }),
};

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dir = await mkdtemp(join(tmpdir(), "trajectwijzer-bench-predict-"));
  try {
    const { bundle, table } = await benchBundle(dir, args.model, 3000, args.table);
    const source = (await readTableCsv(table)).rows;
    const rows = Array.from({ length: args.rows }, (_, i) => source[i % source.length] ?? {});
    predictTable(bundle, rows.slice(0, 10_000)); // warm-up (wasm memory growth, JIT)
    const cpu = process.cpuUsage();
    const started = performance.now();
    const pred = predictTable(bundle, rows);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    process.stdout.write(
      `${JSON.stringify({
        bench: "predict",
        rows: args.rows,
        arms: pred.arms.length,
        members: bundle.model.members.length,
        seconds: Math.round(seconds * 100) / 100,
        /** CPU time of this process: the wall time on an otherwise idle machine, roughly. */
        cpuSeconds: Math.round((used.user + used.system) / 1e4) / 100,
        targetSeconds: 10,
        rowsPerSecond: Math.round(args.rows / seconds),
        backend: currentBackend(),
        model: bundle.version,
      })}\n`,
    );
    disposeBundle(bundle);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
