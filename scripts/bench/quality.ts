import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { LEARNER_CHOICES } from "../../model/learners/kinds.js";
import { checkTargets, meanOverArms, readLogged } from "../../model/evaluate/index.js";
import type { EvaluationReport } from "../../model/evaluate/index.js";
import { faithfulness, loadBundle, readSchemaFile, readTableCsv, trainBundle } from "../../model/index.js";
import { formatCsvRecord } from "../../model/csv/index.js";
import { LEARNER_FILE, LearnerFileSchema } from "../../model/learners/index.js";
import { factualTruthGap } from "../../model/metrics/index.js";
import { normal, createRandom } from "../../model/random.js";
import { parseCli } from "../lib/cli.js";
import { reportQuality } from "./report-quality.js";
import { prepareTable } from "./train.js";

/**
 * The causal-quality targets in one command: train on the generator's 20 000 clients,
 * test on 5 000 others (another seed), evaluate network and T-learner side by side.
 */
const spec = {
  name: "bench quality",
  usage:
    "npm run bench -- quality [--train-persons N] [--test-persons N] [--seed S] [--report-tables R] [--continuous] [--learner " + LEARNER_CHOICES.join("|") + "]",
  description:
    "Prints the evaluation's target checks, headline figures, the learners' validation table (training rows\n" +
    "only, next to the truth-based figures) and explanation faithfulness as JSON, and the\n" +
    "what-works-for-whom report's validation: on R held-out tables (default 4; 0 skips it) the share of\n" +
    "trajectories whose overall 95% interval holds the true average effect, and the drivers its subgroups find.\n" +
    "Small tables: --train-persons 1150 gives about 750 training rows. --continuous turns the outcome into a\n" +
    "continuous one on its own scale (40 × the true chance of work plus normal noise with SD 8), truth alike.",
  options: { "train-persons": "string", "test-persons": "string", seed: "string", "report-tables": "string", continuous: "boolean", learner: "string" } as const,
  schema: z.object({
    "train-persons": z.coerce.number().int().min(500).max(200_000).default(20_000),
    "test-persons": z.coerce.number().int().min(500).max(200_000).default(5_000),
    seed: z.coerce.number().int().min(0).default(1),
    "report-tables": z.coerce.number().int().min(0).max(50).default(4),
    continuous: z.boolean().default(false),
    learner: z.enum(LEARNER_CHOICES).default("auto"),
  }),
};

/** Scale of the continuous variant's outcome and the SD of its noise. */
const HOURS = 40;
const NOISE_SD = 8;

/**
 * The continuous-outcome variant of a linked table: outcome = 40 × the true chance under the arm
 * received + N(0, 8²), truth columns × 40; written beside the original with its schema.
 */
async function continuousVariant(input: { table: string; schema: string }, seed: number): Promise<{ table: string; schema: string }> {
  const schema = await readSchemaFile(input.schema);
  const table = await readTableCsv(input.table);
  const truth = schema.truth ?? {};
  const random = createRandom(seed * 101 + 9);
  const rows = table.rows.map((row) => {
    const arm = String(row[schema.treatment.column] ?? "");
    const mu = Number(row[truth[arm] ?? ""] ?? 0);
    const out: Record<string, unknown> = { ...row, [schema.outcome.column]: (HOURS * mu + NOISE_SD * normal(random)).toFixed(3) };
    for (const column of Object.values(truth)) out[column] = (HOURS * Number(row[column] ?? 0)).toFixed(5);
    return out;
  });
  const tableOut = input.table.replace(/\.csv$/, "-continuous.csv");
  const schemaOut = input.schema.replace(/\.json$/, "-continuous.json");
  const lines = [formatCsvRecord(table.columns), ...rows.map((r) => formatCsvRecord(table.columns.map((c) => String(r[c] ?? ""))))];
  await writeFile(tableOut, `${lines.join("\n")}\n`);
  await writeFile(schemaOut, JSON.stringify({ ...schema, outcome: { ...schema.outcome, type: "continuous" } }));
  return { table: tableOut, schema: schemaOut };
}

const round = <T extends number | null>(v: T): T => (v === null ? v : ((Math.round(v * 1000) / 1000) as T));

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dir = await mkdtemp(join(tmpdir(), "tw-quality-"));
  try {
    let train = await prepareTable(join(dir, "train"), args["train-persons"], args.seed);
    let test = await prepareTable(join(dir, "test"), args["test-persons"], args.seed + 1);
    if (args.continuous) {
      train = await continuousVariant(train, args.seed);
      test = await continuousVariant(test, args.seed + 1);
    }
    const started = Date.now();
    await trainBundle({ table: train.table, schema: train.schema, outDir: join(dir, "model"), seed: args.seed, learner: args.learner });
    const trainSeconds = (Date.now() - started) / 1000;
    const reportFile = join(dir, "report.json");
    const evaluation = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/evaluate.ts", "--model", join(dir, "model"), "--table", test.table, "--train", train.table, "--json", reportFile],
      { encoding: "utf8", stdio: ["ignore", "ignore", "inherit"] },
    );
    if (evaluation.status !== 0) throw new Error(`evaluate stopped with exit code ${evaluation.status}`);
    const report = JSON.parse(await readFile(reportFile, "utf8")) as EvaluationReport;
    const summary = report.models.map((m) => ({
      model: m.name,
      sqrtPehe: m.truth?.sqrtPehe ?? null,
      capturedOracleGain: m.truth?.values.capturedOracleGain ?? null,
      worstEce: Math.max(...m.factual.map((f) => f.ece ?? 0)),
      worstEceAgainstTruth: m.truth ? Math.max(...Object.values(m.truth.eceAgainstTruth)) : null,
      // Shares of test clients whose true chance (gain) lies in the 80% interval, mean over arms.
      intervalHoldsTrueChance: round(meanOverArms(m.truth?.intervalCoverage)),
      intervalHoldsTrueGain: round(meanOverArms(m.truth?.gainIntervalCoverage)),
    }));
    // Faithfulness needs a fully trained model, so it is measured here on the test clients.
    const bundle = await loadBundle(join(dir, "model"));
    const faithful = faithfulness(bundle, (await readTableCsv(test.table)).rows).map((f) => ({
      driver: f.label,
      clients: f.clients,
      shareTop3: round(f.shareTopK),
    }));
    // How far each arm's own training rows are off their true chances: the part of the ECE
    // against the truth that no model fitted to these rows can remove.
    const schema = await readSchemaFile(train.schema);
    const logged = readLogged(schema, (await readTableCsv(train.table)).rows);
    const gap = logged.truth ? factualTruthGap({ ...logged, truth: logged.truth, arms: schema.treatment.arms.length }) : [];
    const trainingRowsOffTruth = Object.fromEntries(schema.treatment.arms.map((arm, k) => [arm, round(gap[k] ?? null)]));
    const targets = checkTargets(report, { network: "network", baseline: "t-learner" });
    const whatWorks =
      args["report-tables"] > 0
        ? await reportQuality({ bundleDir: join(dir, "model"), workDir: dir, persons: args["test-persons"], seed: args.seed, tables: args["report-tables"] })
        : null;
    // The learners' validation on the training rows only, next to the truth-based figures above.
    const learnerFile = LearnerFileSchema.parse(JSON.parse(await readFile(join(dir, "model", LEARNER_FILE), "utf8")));
    const validation = learnerFile.validation
      ? {
          chosen: learnerFile.validation.chosen,
          advise: learnerFile.validation.advise,
          observedValue: learnerFile.validation.observedValue,
          candidates: learnerFile.validation.candidates.map((c) => ({
            learner: c.kind,
            drLoss: c.drLoss,
            rLoss: c.rLoss ?? null,
            policyValue: c.policyValue,
            gainOverObserved: [c.gainOverObserved.estimate, c.gainOverObserved.lower, c.gainOverObserved.upper],
            seconds: c.seconds,
            ...(c.weights ? { weights: c.weights } : {}),
          })),
          reason: learnerFile.validation.reason,
          adviceGain: learnerFile.validation.adviceGain ?? null,
          // The arms' average gains and how far the bundle's learner shrinks them (shrinkage.ts).
          shrinkage: learnerFile.validation.shrinkage
            ? {
                spread: learnerFile.validation.shrinkage.spread,
                commonGain: learnerFile.validation.shrinkage.commonGain,
                arms: learnerFile.validation.shrinkage.arms.map((a) => ({ arm: a.arm, averageGain: a.averageGain, standardError: a.standardError, shrink: a.shrink, learnerGain: a.learnerGain, offset: a.offset })),
              }
            : null,
        }
      : null;
    process.stdout.write(
      `${JSON.stringify({ trainPersons: args["train-persons"], trainRows: logged.outcome.length, testPersons: args["test-persons"], seed: args.seed, continuous: args.continuous, learner: learnerFile.kind, trainSeconds, summary, validation, targets, trainingRowsOffTruth, faithfulness: faithful, report: whatWorks }, null, 2)}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
