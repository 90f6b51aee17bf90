import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import { z } from "zod";
import { loadBundle, predictTable, readTableCsv, validateTable } from "../model/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "predict",
  usage: "usage: npm run predict -- --model DIR --table CSV --out CSV",
  description: [
    "Predicts the expected outcome under every arm for every row of a table.",
    "Writes a CSV with columns id, pred_<arm> for each arm, rec (the recommended arm).",
    "",
    "  --model DIR   a model bundle (verified before use)",
    "  --table CSV   a table with at least the schema's feature columns",
    "  --out CSV     where to write the predictions",
  ].join("\n"),
  options: { model: "string", table: "string", out: "string" },
  schema: z.object({ model: z.string().min(1), table: z.string().min(1), out: z.string().min(1) }),
} as const;

const CHUNK = 10_000;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli(spec.name, async () => {
    const bundle = await loadBundle(args.model);
    const table = await readTableCsv(args.table);
    validateTable(bundle.schema, table, { use: "predict", where: args.table });
    await mkdir(dirname(args.out), { recursive: true });
    const out = createWriteStream(args.out);
    const arms = bundle.schema.treatment.arms;
    const lines: string[] = [["id", ...arms.map((a) => `pred_${a}`), "rec"].join(",")];
    const bar = new cliProgress.SingleBar(
      { format: "predict |{bar}| {value}/{total} rows", stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(table.rows.length, 0);
    for (let start = 0; start < table.rows.length; start += CHUNK) {
      const rows = table.rows.slice(start, start + CHUNK);
      const pred = predictTable(bundle, rows);
      rows.forEach((_, i) => {
        const id = bundle.schema.id ? (pred.ids[i] ?? "") : String(start + i);
        const values = (pred.mean[i] ?? []).map((v) => v.toFixed(6));
        lines.push([csvCell(id), ...values, pred.rec[i] ?? ""].join(","));
      });
      out.write(`${lines.join("\n")}\n`);
      lines.length = 0;
      bar.update(Math.min(table.rows.length, start + CHUNK));
    }
    bar.stop();
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    process.stdout.write(`${JSON.stringify({ rows: table.rows.length, out: args.out, model: bundle.version })}\n`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
