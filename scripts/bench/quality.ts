import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { checkTargets, meanOverArms, readLogged } from "../../model/evaluate/index.js";
import type { EvaluationReport } from "../../model/evaluate/index.js";
import { faithfulness, loadBundle, readSchemaFile, readTableCsv, trainBundle } from "../../model/index.js";
import { factualTruthGap } from "../../model/metrics/index.js";
import { parseCli } from "../lib/cli.js";
import { reportQuality } from "./report-quality.js";
import { prepareTable } from "./train.js";

/**
 * The causal-quality targets in one command: train on the generator's 20 000 clients,
 * test on 5 000 others (another seed), evaluate network and T-learner side by side.
 */
const spec = {
  name: "bench quality",
  usage: "npm run bench -- quality [--train-persons N] [--test-persons N] [--seed S] [--report-tables R]",
  description:
    "Prints the evaluation's target checks, headline figures and explanation faithfulness as JSON, and the\n" +
    "what-works-for-whom report's validation: on R held-out tables (default 4; 0 skips it) the share of\n" +
    "trajectories whose overall 95% interval holds the true average effect, and the drivers its subgroups find.",
  options: { "train-persons": "string", "test-persons": "string", seed: "string", "report-tables": "string" } as const,
  schema: z.object({
    "train-persons": z.coerce.number().int().min(1000).max(200_000).default(20_000),
    "test-persons": z.coerce.number().int().min(500).max(200_000).default(5_000),
    seed: z.coerce.number().int().min(0).default(1),
    "report-tables": z.coerce.number().int().min(0).max(50).default(4),
  }),
};

const round = <T extends number | null>(v: T): T => (v === null ? v : ((Math.round(v * 1000) / 1000) as T));

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dir = await mkdtemp(join(tmpdir(), "tw-quality-"));
  try {
    const train = await prepareTable(join(dir, "train"), args["train-persons"], args.seed);
    const test = await prepareTable(join(dir, "test"), args["test-persons"], args.seed + 1);
    const started = Date.now();
    await trainBundle({ table: train.table, schema: train.schema, outDir: join(dir, "model"), seed: args.seed });
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
    process.stdout.write(
      `${JSON.stringify({ trainPersons: args["train-persons"], testPersons: args["test-persons"], seed: args.seed, trainSeconds, summary, targets, trainingRowsOffTruth, faithfulness: faithful, report: whatWorks }, null, 2)}\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
