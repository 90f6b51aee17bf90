import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import { z } from "zod";
import { type Baseline, deserializeBaseline, fitBaseline, predictBaseline, serializeBaseline } from "../model/baseline/index.js";
import { sha256 } from "../model/bundle/bundle.js";
import { type ArmPredictions, averageEffects, checkTargets, evaluateModels, formatAverageEffects, formatReport, readLogged } from "../model/evaluate/index.js";
import {
  type Bundle,
  disposeBundle,
  loadBundle,
  ModelError,
  predictTable,
  readSchemaFile,
  readTableCsv,
  validateTable,
  writeBundleFile,
  BASELINE_FILE,
} from "../model/index.js";
import type { TableSchema } from "../model/table-schema.js";
import { parseCli, runCli } from "./lib/cli.js";


const spec = {
  name: "evaluate",
  usage: "usage: npm run evaluate -- --model DIR --table CSV [--json FILE] [--train CSV [--save-baseline]] [--schema JSON] [--seed S] [--bootstrap]",
  description: [
    "Evaluates a model bundle and the T-learner baseline side by side on a labelled table:",
    "factual AUC, Brier score and calibration error per arm; Qini / AUUC of the predicted gain;",
    "off-policy value of the recommendation (IPW, self-normalised IPW, doubly robust, with intervals);",
    "and, when the schema names truth columns present in the table, √PEHE, ATE error per arm,",
    "policy value of rec, oracle value, value of the observed assignment and captured oracle gain.",
    "",
    "  --model DIR      a model bundle (verified before use)",
    "  --table CSV      the evaluation table: features, treatment and outcome (and truth columns, if any)",
    "  --json FILE      also write the full report as JSON",
    `  --train CSV      training table to fit the T-learner baseline on, when the bundle holds no ${BASELINE_FILE}`,
    `  --save-baseline  write the baseline fitted on --train into the bundle as ${BASELINE_FILE}`,
    "  --schema JSON    schema to evaluate with (default: the bundle's); e.g. to name truth columns",
    "  --seed S         seed of the bootstrap intervals (default 1)",
    "  --bootstrap      bootstrap intervals for the policy values instead of the influence function",
    "",
    "Models in the report: network (the bundle's learner, named so for the scripts that read the report; rec = recommend's first arm, with eligibility and low-evidence rules),",
    "network-argmax (same predictions, rec = the arm with the highest expected outcome) and t-learner.",
  ].join("\n"),
  options: {
    model: "string",
    table: "string",
    json: "string",
    train: "string",
    "save-baseline": "boolean",
    schema: "string",
    seed: "string",
    bootstrap: "boolean",
  },
  schema: z.object({
    model: z.string().min(1, "a model bundle directory is required"),
    table: z.string().min(1, "an evaluation table is required"),
    json: z.string().min(1).optional(),
    train: z.string().min(1).optional(),
    "save-baseline": z.boolean().default(false),
    schema: z.string().min(1).optional(),
    seed: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
    bootstrap: z.boolean().default(false),
  }),
} as const;

/** The network's predictions in the evaluation's terms (arm indices in the schema's order). */
function networkPredictions(
  bundle: Bundle,
  schema: TableSchema,
  rows: Parameters<typeof predictTable>[1],
): { rec: ArmPredictions; argmax: ArmPredictions } {
  const pred = predictTable(bundle, rows);
  const arms = schema.treatment.arms;
  if (pred.arms.length !== arms.length || pred.arms.some((a, k) => a !== arms[k])) {
    throw new ModelError(`the bundle's arms (${pred.arms.join(", ")}) differ from the schema's (${arms.join(", ")})`);
  }
  const common = {
    expected: pred.mean,
    propensity: pred.propensity,
    lower: pred.lower,
    upper: pred.upper,
    gainLower: pred.gainLower,
    gainUpper: pred.gainUpper,
  };
  return {
    rec: { ...common, rec: pred.rec.map((arm) => arms.indexOf(arm)) },
    argmax: { ...common, rec: pred.recArgmax.map((arm) => arms.indexOf(arm)) },
  };
}

/** The baseline saved in the bundle (checked against the manifest), or null when there is none. */
async function bundledBaseline(bundle: Bundle): Promise<Baseline | null> {
  const entry = bundle.manifest.files.find((f) => f.path === BASELINE_FILE);
  if (!entry) return null;
  const path = join(bundle.dir, BASELINE_FILE);
  const bytes = new Uint8Array(await readFile(path));
  if (sha256(bytes) !== entry.sha256) throw new ModelError(`${path}: checksum does not match the bundle manifest`);
  return deserializeBaseline(new TextDecoder().decode(bytes), path);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const bar = new cliProgress.SingleBar(
      { format: "evaluate |{bar}| {value}/{total} {step}", stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const steps = 5;
    const bundle = await loadBundle(args.model);
    try {
      const schema = args.schema ? await readSchemaFile(args.schema) : bundle.schema;
      const table = await readTableCsv(args.table);
      validateTable(schema, table, { use: "predict", where: args.table });
      for (const column of [schema.treatment.column, schema.outcome.column]) {
        if (!table.columns.includes(column)) throw new ModelError(`${args.table}: missing column "${column}" required to evaluate`);
      }
      bar.start(steps, 1, { step: "network predictions" });
      const network = networkPredictions(bundle, schema, table.rows);

      bar.update(2, { step: "baseline" });
      let baseline = await bundledBaseline(bundle);
      let baselineSource = `${BASELINE_FILE} in the bundle`;
      if (!baseline) {
        if (!args.train) {
          throw new ModelError(
            `the bundle has no ${BASELINE_FILE}; pass --train CSV (the training table) to fit the T-learner baseline`,
          );
        }
        const train = await readTableCsv(args.train);
        validateTable(bundle.schema, train, { use: "train", where: args.train });
        baseline = fitBaseline(train.rows, bundle.schema);
        baselineSource = `fitted on ${args.train}`;
        if (args["save-baseline"]) {
          await writeBundleFile(bundle.dir, BASELINE_FILE, serializeBaseline(baseline));
          baselineSource += `, saved to the bundle as ${BASELINE_FILE}`;
        }
      } else if (args.train) {
        baselineSource += ` (--train ignored)`;
      }
      const tLearner = predictBaseline(baseline, table.rows);

      bar.update(3, { step: "metrics" });
      const report = evaluateModels({
        schema,
        rows: table.rows,
        models: [
          { name: "network", predictions: network.rec },
          // Same predictions, the policy without eligibility and low-evidence rules: separates model from rules.
          { name: "network-argmax", predictions: network.argmax },
          { name: "t-learner", predictions: tLearner },
        ],
        options: { interval: args.bootstrap ? "bootstrap" : "influence", seed: args.seed },
      });
      const targets = checkTargets(report, { network: "network", baseline: "t-learner" });
      const logged = readLogged(schema, table.rows);
      const effects = averageEffects({
        schema,
        encoder: bundle.encoder,
        rows: table.rows,
        treatment: logged.treatment,
        outcome: logged.outcome,
        expected: network.rec.expected,
        seed: args.seed,
      });
      bar.update(4, { step: "writing" });
      if (args.json) {
        const document = { model: bundle.version, learner: bundle.learner.kind, tableFile: args.table, baseline: baselineSource, ...report, averageEffects: effects, targets };
        await writeFile(args.json, `${JSON.stringify(document, null, 2)}\n`);
      }
      bar.update(steps, { step: "done" });
      bar.stop();
      process.stdout.write(`Model ${bundle.version}; baseline ${baselineSource}\n`);
      process.stdout.write(formatReport(report, targets));
      process.stdout.write(formatAverageEffects(effects, `the bundle's model (${bundle.learner.kind})`));
    } finally {
      bar.stop();
      disposeBundle(bundle);
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
