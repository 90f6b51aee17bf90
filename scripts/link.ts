import { pathToFileURL } from "node:url";
import { SingleBar } from "cli-progress";
import { z } from "zod";
import { loadMunicipalConfig } from "../model/config/load.js";
import { defaultCatalogue } from "../model/config/municipality.js";
import { linkDelivery, loadDeliveryProfile, requirePseudonymKey } from "../model/link/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "link",
  usage: "PSEUDONYM_KEY=... npm run link -- --in DIR --out DIR [--profile FILE] [--config FILE] [--min-group-size K]",
  description:
    "Pseudonymises (HMAC-SHA-256 keyed by PSEUDONYM_KEY, at least 32 characters), links and generalises a\n" +
    "delivery into DIR/analysis.csv (one row per trajectory) with DIR/schema.json, DIR/linkage-report.json and\n" +
    "DIR/quarantine/<file>.csv (every rejected row and its reason). Quasi-identifier groups hold at least K rows (10).\n\n" +
    "Per file it detects the delimiter (, ; tab |), the encoding (UTF-8 with or without BOM, Windows-1252), CRLF or LF,\n" +
    "the date format (yyyy-mm-dd, yyyymmdd, dd-mm-jjjj, d-m-jjjj) and decimal commas, and records them in the report.\n" +
    "--profile FILE  a delivery profile (JSON) mapping another municipality's file names, column names, formats and\n" +
    "                codes onto ours: {\"files\": {\"personen\": {\"path\": \"Clienten.csv\", \"columns\": {\"bsn\": \"BSN\"},\n" +
    "                \"delimiter\": \";\", \"encoding\": \"windows-1252\", \"dateFormat\": \"dd-mm-yyyy\"}},\n" +
    "                \"codes\": {\"interventie\": {\"JC01\": \"jobcoaching\"}}}; every key is optional. A feature the\n" +
    "                configuration declares beyond the ones link derives is read from the column the profile names:\n" +
    "                \"features\": {\"rijbewijs\": {\"file\": \"personen\", \"column\": \"Rijbewijs B\"}} (codes map its values).\n" +
    "--config FILE   the municipal configuration to link to (default: config/municipality.json, the demo's):\n" +
    "                its trajectory keys and control arm (the trajectory codes must map onto them), the features it\n" +
    "                declares (derived ones, plus extra ones named in the profile) and its outcomes become the\n" +
    "                table and DIR/schema.json.",
  options: { in: "string", out: "string", profile: "string", config: "string", "min-group-size": "string" } as const,
  schema: z.object({
    in: z.string({ error: "an input directory is required" }).min(1, "an input directory is required"),
    out: z.string({ error: "an output directory is required" }).min(1, "an output directory is required"),
    profile: z.string().min(1, "a profile file is required").optional(),
    config: z.string().min(1, "a configuration file is required").optional(),
    "min-group-size": z.coerce.number().int().min(1).max(1000).default(10),
  }),
};

/** The CLI on its arguments: `npm run link` through the line at the end, a test in its own process. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  await runCli("link", async () => {
    const pseudonymKey = requirePseudonymKey(process.env);
    // The repository's configuration unless one is named (MUNICIPALITY_CONFIG is the app's, not the secure side's).
    const catalogue = args.config === undefined ? defaultCatalogue() : await loadMunicipalConfig(args.config);
    const arms = catalogue.trajectories.map((t) => t.key);
    const profile = args.profile === undefined ? undefined : await loadDeliveryProfile(args.profile, { arms });
    const bar = new SingleBar({ format: "link [{bar}] {percentage}% | eta {eta}s", stream: process.stderr });
    bar.start(1, 0);
    try {
      const report = await linkDelivery({
        inDir: args.in,
        outDir: args.out,
        pseudonymKey,
        minGroupSize: args["min-group-size"],
        profile,
        catalogue,
        onProgress: (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      });
      bar.stop();
      const quarantined = Object.values(report.files).reduce(
        (sum, f) => sum + Object.values(f.quarantined).reduce((a, b) => a + (b ?? 0), 0),
        0,
      );
      process.stdout.write(
        `${JSON.stringify({ out: args.out, trajectories: report.trajectories, quarantined, smallestGroup: report.quasiIdentifiers.smallestGroupAfter })}\n`,
      );
    } catch (error) {
      bar.stop();
      throw error;
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
