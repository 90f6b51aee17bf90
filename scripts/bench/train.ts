import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { LEARNER_CHOICES } from "../../model/learners/kinds.js";
import { currentBackend, ensureBackend } from "../../model/backend.js";
import { readTableCsv, trainBundle, trainingThreads } from "../../model/index.js";
import { linkDelivery } from "../../model/link/index.js";
import { generateDelivery } from "../../model/synth/index.js";
import { parseCli } from "../lib/cli.js";

/** Generates `persons` synthetic clients and links them into an analysis table + schema in `dir`. */
export async function prepareTable(dir: string, persons: number, seed: number): Promise<{ table: string; schema: string }> {
  await generateDelivery({ outDir: join(dir, "source"), n: persons, seed, clean: false });
  await linkDelivery({ inDir: join(dir, "source"), outDir: join(dir, "linked"), pseudonymKey: "bench-key-not-secret-0123456789abcdef" });
  return { table: join(dir, "linked", "analysis.csv"), schema: join(dir, "linked", "schema.json") };
}

const spec = {
  name: "bench train",
  usage:
    "npm run bench -- train [--persons N] [--seed S] [--members M] [--epochs E] [--learner " + LEARNER_CHOICES.join("|") + "] [--threads T] [--table CSV --schema JSON]",
  description:
    "Generates and links N synthetic clients (default 20000; or uses --table/--schema), then times training\n" +
    "as npm run train does (the M-member ensemble, default 5, and the learner choice, default auto) on T\n" +
    "threads (default TRAIN_THREADS, else one per core; 1 = one thread) and prints\n" +
    "{rows, members, learner, threads, seconds, cpuSeconds, epochs, backend, ...} as JSON.",
  options: {
    persons: "string",
    seed: "string",
    members: "string",
    epochs: "string",
    learner: "string",
    threads: "string",
    table: "string",
    schema: "string",
  } as const,
  schema: z.object({
    persons: z.coerce.number().int().min(500).max(1_000_000).default(20_000),
    seed: z.coerce.number().int().min(0).default(1),
    members: z.coerce.number().int().min(1).max(20).default(5),
    epochs: z.coerce.number().int().min(1).max(500).default(40),
    learner: z.enum(LEARNER_CHOICES).default("auto"),
    threads: z.coerce.number().int().min(1).max(64).optional(),
    table: z.string().optional(),
    schema: z.string().optional(),
  }),
};

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  await ensureBackend();
  const dir = await mkdtemp(join(tmpdir(), "trajectwijzer-bench-train-"));
  try {
    const input = args.table && args.schema ? { table: args.table, schema: args.schema } : await prepareTable(dir, args.persons, args.seed);
    const rows = (await readTableCsv(input.table)).rows.length;
    const threads = args.threads ?? trainingThreads({ rows });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await trainBundle({ ...input, outDir: join(dir, "bundle"), members: args.members, maxEpochs: args.epochs, seed: 42, learner: args.learner, threads });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const model = JSON.parse(await readFile(join(result.dir, "model.json"), "utf8")) as {
      members: { epochs: number; bestEpoch: number }[];
      training: { rows: number };
    };
    const metrics = JSON.parse(await readFile(join(result.dir, "metrics.json"), "utf8")) as {
      validation: { split: string; perArm: Record<string, { ece: number | null; auc: number | null }> };
    };
    const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 1000);
    process.stdout.write(
      `${JSON.stringify({
        bench: "train",
        rows: model.training.rows,
        members: args.members,
        learner: args.learner,
        threads,
        seconds: Math.round(seconds * 10) / 10,
        cpuSeconds: Math.round((used.user + used.system) / 1e5) / 10,
        targetSeconds: 120,
        epochsPerMember: model.members.map((m) => m.epochs),
        bestEpochPerMember: model.members.map((m) => m.bestEpoch),
        backend: currentBackend(),
        // "validation" (the network's early-stopping split) or "cross-fitted" (any other learner, every training row).
        metricsSplit: metrics.validation.split,
        validationEcePerArm: Object.fromEntries(Object.entries(metrics.validation.perArm).map(([a, p]) => [a, round(p.ece)])),
        validationAucPerArm: Object.fromEntries(Object.entries(metrics.validation.perArm).map(([a, p]) => [a, round(p.auc)])),
        version: result.version,
      })}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
