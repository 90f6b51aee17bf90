import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { exportTable } from "../app/utils/research-export.server.js";
import { formatCsvRecord } from "../model/csv/index.js";
import { disposeBundle, loadBundle } from "../model/index.js";
import { openAppDatabase } from "./lib/app-env.js";
import { auditCli } from "./lib/audit.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "export-decisions",
  usage: "usage: npm run export-decisions -- --model DIR --out CSV",
  description: [
    "Exports the advice the app showed, with what was decided and what came of it, as a labelled table",
    "for `npm run report -- --model DIR --table CSV`: one row per client with a recorded outcome (the",
    "latest versions of its decision and outcome), in the model's table format:",
    "",
    "  pseudonym        the client's keyed pseudonym (HMAC with PSEUDONYM_KEY, as the linked table's)",
    "  features         the model's features as entered; geslacht and herkomst (fairness audit only)",
    "  interventie      the trajectory the client got; the outcomes the app records",
    "  shownFirst, shownFirstProbability, chosenShownFirstProbability",
    "                   the arm shown first, its logged probability of being shown first, and that of the",
    "                   arm the client got (the 'keep effects measurable' setting; empty when not logged)",
    "",
    "No names, references, display codes, dates or free text. The file is record-level data: it belongs",
    "with the data scientist on the secure side, as the linked analysis table does. The export is audited.",
    "",
    "  --model DIR   the model bundle whose features, arms and outcomes the table follows",
    "  --out CSV     the file to write",
    "",
    "Uses the app's database exactly as `npm start` does: DATA_DIR (default data/), DATABASE_URL.",
  ].join("\n"),
  options: { model: "string", out: "string" },
  schema: z.object({
    model: z.string().min(1, "a model bundle directory is required"),
    out: z.string().min(1, "an output file is required"),
  }),
} as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const bundle = await loadBundle(args.model);
    let table: ReturnType<typeof exportTable>;
    try {
      await openAppDatabase();
      const { listShownDecisions } = await import("../app/models/research-export.server.js");
      table = exportTable(await listShownDecisions(), { schema: bundle.schema, catalogue: bundle.catalogue });
    } finally {
      disposeBundle(bundle);
    }
    await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
    const partial = `${args.out}.partial`;
    try {
      await writeFile(partial, [table.header, ...table.rows].map((r) => `${formatCsvRecord(r)}\n`).join(""));
      await rename(partial, args.out);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const logged = table.rows.filter((r) => r[table.header.indexOf("shownFirst")] !== "").length;
    await auditCli({ action: "research.export", object: `${table.rows.length} rows`, result: "ok" });
    process.stdout.write(`Wrote ${table.rows.length} rows (${logged} with logged first-position probabilities) to ${args.out}\n`);
    if (table.skipped > 0) process.stdout.write(`Left out ${table.skipped} decisions for a trajectory the model does not have\n`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
