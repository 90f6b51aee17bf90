import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { LEARNER_CHOICES } from "../../model/learners/kinds.js";
import { currentBackend } from "../../model/backend.js";
import { disposeBundle, faithfulness, readTableCsv, recommend } from "../../model/index.js";
import { parseCli } from "../lib/cli.js";
import { benchBundle } from "./predict.js";

const spec = {
  name: "bench recommend",
  usage: `npm run bench -- recommend [--clients N] [--model DIR] [--table CSV] [--learner ${LEARNER_CHOICES.join("|")}]`,
  description:
    "Times one in-process `recommend` with explanations and what-ifs for N clients (default 200) and prints\n" +
    "{clients, p50Ms, p95Ms, maxMs} as JSON, plus the faithfulness of the gain explanations to the generator's\n" +
    "drivers (share of clients whose driver group is in the top 3). Uses --model or a 5-member bundle trained\n" +
    "briefly on generated data (with --learner, default network; auto validates and may choose another learner\n" +
    "or a stack); clients come from --table or a generated table.",
  options: { clients: "string", model: "string", table: "string", learner: "string" } as const,
  schema: z.object({
    learner: z.enum(LEARNER_CHOICES).default("network"),
    clients: z.coerce.number().int().min(1).max(100_000).default(200),
    model: z.string().optional(),
    table: z.string().optional(),
  }),
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dir = await mkdtemp(join(tmpdir(), "trajectwijzer-bench-recommend-"));
  try {
    const { bundle, table } = await benchBundle(dir, args.model, 3000, args.table, args.learner);
    const rows = (await readTableCsv(table)).rows;
    const features = bundle.schema.features.map((f) => f.name);
    const clients = Array.from({ length: args.clients }, (_, i) => {
      const row = rows[i % rows.length] ?? {};
      return Object.fromEntries(features.map((f) => [f, row[f]]));
    });
    for (const c of clients.slice(0, 10)) recommend(bundle, c); // warm-up
    const tensors = tf.memory().numTensors;
    const times: number[] = [];
    const cpu = process.cpuUsage();
    for (const c of clients) {
      const t0 = performance.now();
      recommend(bundle, c);
      times.push(performance.now() - t0);
    }
    const used = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        bench: "recommend",
        clients: args.clients,
        members: bundle.model.members.length,
        learner: bundle.learner.kind,
        arms: bundle.schema.treatment.arms.length,
        p50Ms: ms(quantile(times, 0.5)),
        p95Ms: ms(quantile(times, 0.95)),
        maxMs: ms(times[times.length - 1] ?? 0),
        cpuMsPerClient: ms((used.user + used.system) / 1000 / clients.length),
        targetP50Ms: 50,
        leakedTensors: tf.memory().numTensors - tensors,
        faithfulnessTop3: faithfulness(bundle, rows, { maxClients: 200 }).map((f) => ({
          driver: f.label,
          clients: f.clients,
          share: Math.round(f.shareTopK * 1000) / 1000,
        })),
        backend: currentBackend(),
        model: bundle.version,
      })}\n`,
    );
    disposeBundle(bundle);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
