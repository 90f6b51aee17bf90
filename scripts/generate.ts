import { SingleBar } from "cli-progress";
import { z } from "zod";
import { generateDelivery } from "../model/synth/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "generate",
  usage: "npm run generate -- --out DIR [--n N] [--seed S] [--clean]",
  description:
    "Writes a synthetic municipal delivery (source CSVs keyed by a fake bsn, truth.csv with each person's true\n" +
    "chance of work under every intervention, delivery.json with what was generated). Deterministic by seed.\n" +
    "Messy like a real delivery (missing persons, duplicates, unknown codes, malformed dates) unless --clean.",
  options: { out: "string", n: "string", seed: "string", clean: "boolean" } as const,
  schema: z.object({
    out: z.string({ error: "an output directory is required" }).min(1, "an output directory is required"),
    n: z.coerce.number().int().min(1).max(20_000_000).default(20_000),
    seed: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
    clean: z.boolean().default(false),
  }),
};

await runCli("generate", async () => {
  const args = parseCli(spec);
  const bar = new SingleBar({ format: "generate [{bar}] {percentage}% | {value}/{total} persons | eta {eta}s", stream: process.stderr });
  bar.start(args.n, 0);
  try {
    const manifest = await generateDelivery({
      outDir: args.out,
      n: args.n,
      seed: args.seed,
      clean: args.clean,
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    process.stdout.write(`${JSON.stringify({ out: args.out, ...manifest.summary, rows: manifest.rows })}\n`);
  } catch (error) {
    bar.stop();
    throw error;
  }
});
