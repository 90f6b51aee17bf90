import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import { z } from "zod";
import { LEARNER_CHOICES } from "../model/learners/kinds.js";
import { loadMunicipalConfig, trainBundle } from "../model/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "train",
  usage:
    "usage: npm run train -- --table CSV --schema JSON --out DIR [--config FILE] [--seed S] [--members M] [--epochs E] [--calibration-rows all|validation] [--learner " + LEARNER_CHOICES.join("|") + "]",
  description: [
    "Trains the causal trajectory model (an ensemble of multi-head networks) on a table in the",
    "generic table format and writes a model bundle directory (replaced atomically).",
    "",
    "  --table CSV     the analysis table",
    "  --schema JSON   its table schema (treatment, outcome, features, audit, truth)",
    "  --out DIR       the bundle directory to write",
    "  --config FILE   municipal configuration naming the trajectories and features (labels,",
    "                  eligibility rules, what-ifs); it must describe the table. Without it the",
    "                  configuration in MUNICIPALITY_CONFIG (else config/municipality.json) is",
    "                  used when it describes the table, else defaults (label = column name)",
    "  --seed S        random seed (default 42); same seed and data give the same weights",
    "  --members M     ensemble members (default 5, at least 1)",
    "  --epochs E      maximum epochs per member (default 40; early stopping usually ends sooner)",
    "  --calibration-rows all|validation",
    "                  rows each arm's calibration is fitted on (default all: the validation split",
    "                  alone has a few hundred rows per arm)",
    "  --learner K     which learner predicts: auto (default) chooses among the network, t-linear, s-linear,",
    "                  dr, dr-trees and a weighted stack of them by cross-fitted causal validation on the",
    "                  table's own rows (the model card shows the table and why); one kind fixes it;",
    "                  network skips the validation (fastest)",
  ].join("\n"),
  options: { table: "string", schema: "string", out: "string", config: "string", seed: "string", members: "string", epochs: "string", "calibration-rows": "string", learner: "string" },
  schema: z.object({
    table: z.string().min(1),
    schema: z.string().min(1),
    out: z.string().min(1),
    config: z.string().min(1).optional(),
    seed: z.coerce.number().int().min(0).default(42),
    members: z.coerce.number().int().min(1).max(50).default(5),
    epochs: z.coerce.number().int().min(1).max(1000).default(40),
    "calibration-rows": z.enum(["all", "validation"]).default("all"),
    learner: z.enum(LEARNER_CHOICES).default("auto"),
  }),
} as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const bar = new cliProgress.SingleBar(
      {
        format: "train |{bar}| member {member}/{members} · epoch {epoch}/{maxEpochs} · val loss {loss}",
        stream: process.stderr,
        hideCursor: true,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let epochsDone = 0;
    const catalogue = args.config ? await loadMunicipalConfig(args.config) : undefined;
    const result = await trainBundle({
      ...(catalogue ? { catalogue } : {}),
      table: args.table,
      schema: args.schema,
      outDir: args.out,
      seed: args.seed,
      members: args.members,
      maxEpochs: args.epochs,
      config: { calibrationRows: args["calibration-rows"] },
      learner: args.learner,
      onProgress: (p) => {
        const payload = { ...p, loss: p.loss === undefined ? "–" : p.loss.toFixed(4) };
        // Members train side by side on the training threads: the bar counts the epochs done so far.
        epochsDone += 1;
        const value = epochsDone;
        if (!started) {
          bar.start(p.members * p.maxEpochs, value, payload);
          started = true;
        } else bar.update(value, payload);
      },
    }).finally(() => {
      if (started) {
        bar.update(bar.getTotal());
        bar.stop();
      }
    });
    if (result.catalogue.source === "generic") {
      // Not an error (a plain generic table is fine), but the labels the app will show are column names.
      process.stderr.write(
        `train: note: generic catalogue (labels are column names, no eligibility rules, no what-ifs): ${result.catalogue.mismatch}; name the trajectories and features with --config FILE\n`,
      );
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
