import { pathToFileURL } from "node:url";
import { SingleBar } from "cli-progress";
import { z } from "zod";
import { DELIVERY_FORMATS, GEMEENTE_B_CONFIG_FILE, generateDelivery, MUNICIPALITIES } from "../model/synth/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "generate",
  usage: "npm run generate -- --out DIR [--n N] [--seed S] [--clean] [--format ours|dutch-export] [--rename | --municipality b]",
  description:
    "Writes a synthetic municipal delivery (source CSVs keyed by a fake bsn, truth.csv with each person's true\n" +
    "chance of work under every intervention, delivery.json with what was generated). Deterministic by seed.\n" +
    "Messy like a real delivery (missing persons, duplicates, unknown codes, malformed dates) unless --clean.\n\n" +
    "--format dutch-export  the same delivery as a Dutch spreadsheet / case-management export: ';' separators,\n" +
    "                       CRLF, Windows-1252, dates dd-mm-jjjj, decimal commas, plus name and address\n" +
    "                       columns the linker ignores. Default: ours (',', LF, UTF-8, ISO dates).\n" +
    "--rename               also use another municipality's file names (Clienten.csv, ...), column names\n" +
    "                       (BSN, Geboortedatum, ...) and codes (trajectories JC01, ...; J/N for yes/no), and write\n" +
    "                       DIR/profile.json, the delivery profile for `npm run link -- --profile DIR/profile.json`.\n" +
    `--municipality b       a second synthetic municipality (${GEMEENTE_B_CONFIG_FILE}): its own trajectory keys\n` +
    "                       and codes (WF01 for werkfit, ...), file and column names, an extra variable (Rijbewijs B,\n" +
    "                       J/N) and truth columns mu_<its key>; a Dutch export unless --format ours; with DIR/profile.json\n" +
    `                       for \`npm run link -- --profile DIR/profile.json --config ${GEMEENTE_B_CONFIG_FILE}\`.`,
  options: { out: "string", n: "string", seed: "string", clean: "boolean", format: "string", rename: "boolean", municipality: "string" } as const,
  schema: z.object({
    out: z.string({ error: "an output directory is required" }).min(1, "an output directory is required"),
    n: z.coerce.number().int().min(1).max(20_000_000).default(20_000),
    seed: z.coerce.number().int().min(0).max(2 ** 32 - 1).default(1),
    clean: z.boolean().default(false),
    format: z.enum(DELIVERY_FORMATS, { error: `expected one of ${DELIVERY_FORMATS.join(", ")}` }).optional(),
    rename: z.boolean().default(false),
    municipality: z.enum(MUNICIPALITIES, { error: `expected one of ${MUNICIPALITIES.join(", ")}` }).optional(),
  }).refine((a) => !(a.rename && a.municipality), { message: "--rename and --municipality exclude each other (municipality b has its own names)", path: ["municipality"] }),
};

/** The CLI on its arguments: `npm run generate` through the line at the end, a test in its own process. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli("generate", async () => {
    const bar = new SingleBar({ format: "generate [{bar}] {percentage}% | {value}/{total} persons | eta {eta}s", stream: process.stderr });
    bar.start(args.n, 0);
    try {
      const manifest = await generateDelivery({
        outDir: args.out,
        n: args.n,
        seed: args.seed,
        clean: args.clean,
        format: args.format ?? (args.municipality ? "dutch-export" : "ours"),
        rename: args.rename,
        ...(args.municipality ? { municipality: args.municipality } : {}),
        onProgress: (done) => bar.update(done),
      });
      bar.stop();
      process.stdout.write(
        `${JSON.stringify({ out: args.out, format: manifest.format, ...(manifest.municipality ? { municipality: manifest.municipality } : {}), profile: manifest.profile, ...manifest.summary, rows: manifest.rows })}\n`,
      );
    } catch (error) {
      bar.stop();
      throw error;
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
