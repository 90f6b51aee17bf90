import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { sha256 } from "../model/bundle/bundle.js";
import { disposeBundle, loadBundle, ModelError, predictTable, readTableCsv, validateTable } from "../model/index.js";
import { buildReport, removePartial, writeReport } from "../model/report/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "report",
  usage: "usage: npm run report -- --model DIR --table CSV --out DIR [--lang nl|en] [--seed S]",
  description: [
    '"What works for whom": for every outcome the table has (the model configuration\'s primary and',
    "secondary outcomes) and every trajectory, the average effect against the control arm with a 95%",
    "interval from a doubly robust (AIPW) estimator with cross-fitted nuisance models, overall and per",
    "subgroup, and which client factors go with a higher outcome and with a larger effect. Every figure",
    "covers at least 10 people (suppressed otherwise). Use a table the model was not trained on.",
    "",
    "  --model DIR   a model bundle (verified before use); its network is the primary outcome's model",
    "  --table CSV   a labelled table: features, treatment and outcomes; the app's export of shown advice",
    "                (npm run export-decisions) also carries the logged first-position probabilities",
    "                (shownFirst, shownFirstProbability, chosenShownFirstProbability), which then condition",
    "                the propensities of those rows (the report says how many rows used them)",
    "  --out DIR     where to write report.json, report.html, effects.csv and factors.csv",
    "  --lang L      language of the report's texts and labels: nl (default) or en",
    "  --seed S      seed of the cross-fitting folds (default 1)",
  ].join("\n"),
  options: { model: "string", table: "string", out: "string", lang: "string", seed: "string" },
  schema: z.object({
    model: z.string().min(1, "a model bundle directory is required"),
    table: z.string().min(1, "a labelled table is required"),
    out: z.string().min(1, "an output directory is required"),
    lang: z.enum(["nl", "en"]).default("nl"),
    seed: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
  }),
} as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const bundle = await loadBundle(args.model);
    try {
      const bytes = await readFile(args.table).catch(() => {
        throw new ModelError(`${args.table}: no such table`);
      });
      const table = await readTableCsv(args.table);
      validateTable(bundle.schema, table, { use: "predict", where: args.table });
      for (const column of [bundle.schema.treatment.column, bundle.schema.outcome.column]) {
        if (!table.columns.includes(column)) throw new ModelError(`${args.table}: missing column "${column}" required for a report`);
      }
      const predicted = predictTable(bundle, table.rows);
      if (predicted.arms.join() !== bundle.schema.treatment.arms.join()) throw new ModelError("the bundle's predictions do not follow its schema's arms");
      const report = buildReport({
        schema: bundle.schema,
        catalogue: bundle.catalogue,
        rows: table.rows,
        columns: table.columns,
        primaryPredicted: predicted.mean,
        model: { version: bundle.version },
        table: { sha256: sha256(new Uint8Array(bytes)) },
        options: { lang: args.lang, seed: args.seed },
      });
      try {
        const files = await writeReport(args.out, report);
        process.stdout.write(`Wrote ${files.join(", ")} to ${args.out}\n`);
      } catch (error) {
        await removePartial(args.out);
        throw error;
      }
      const primary = report.outcomes.find((o) => o.primary);
      for (const e of report.effects.filter((x) => x.outcome === primary?.column && x.group === null)) {
        const shown = e.estimate === null ? "<10" : `${e.estimate} [${e.lower}, ${e.upper}]`;
        process.stdout.write(`  ${e.arm.padEnd(22)} ${shown}\n`);
      }
      process.stdout.write(`Share of clients with too little overlap: ${report.overlap.share}\n`);
      const logged = report.loggedProbabilities;
      if (logged) {
        const rows = logged.rows === null ? `fewer than ${report.minCell}` : String(logged.rows);
        process.stdout.write(`Rows whose propensity used logged first-position probabilities: ${rows} (share following the arm shown first: ${logged.followShare ?? "-"})\n`);
      }
    } finally {
      disposeBundle(bundle);
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
