import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import { z } from "zod";
import {
  type DisclosureReport,
  disposeBundle,
  loadBundle,
  readTableCsv,
  runDisclosureCheck,
  SchemaError,
  sha256File,
  validateTable,
} from "../model/index.js";
import { parseCli, runCli } from "./lib/cli.js";

const spec = {
  name: "check-bundle",
  usage: "usage: npm run check-bundle -- --model DIR --train CSV --holdout CSV [--repeats R] [--seed S]",
  description: [
    "Disclosure check of a model bundle: static checks (no record-level data, every count ≥ 10,",
    "percentiles instead of raw minima/maxima, no identifier-like column or value) and a membership-",
    "inference test (loss and confidence attacks; members = training rows, non-members = held-out rows",
    "of the same population; balanced samples, repeated, bootstrap 95% intervals). Writes",
    "disclosure-report.json into the bundle (covered by its manifest) and prints a summary.",
    "Passes when every static check passes and, for each attack, the AUC's 95% interval contains 0.5",
    "or ends at ≤ 0.55, and the advantage (max TPR − FPR) is ≤ 0.05.",
    "",
    "  --model DIR     the bundle directory",
    "  --train CSV     the table the bundle was trained on (members); required even when the bundle",
    "                  records its training data (its SHA-256 must then match)",
    "  --holdout CSV   held-out rows of the same population, never used in training (non-members)",
    "  --repeats R     balanced samples drawn (default 20)",
    "  --seed S        seed of the sampling and the bootstrap (default 1)",
    "",
    "Exit code: 0 passed, 2 a check failed, 1 bad input.",
  ].join("\n"),
  options: { model: "string", train: "string", holdout: "string", repeats: "string", seed: "string" },
  schema: z.object({
    model: z.string().min(1),
    train: z.string().min(1),
    holdout: z.string().min(1),
    repeats: z.coerce.number().int().min(1).max(200).default(20),
    seed: z.coerce.number().int().min(0).default(1),
  }),
} as const;

const TrainingDataSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : "–");

export function summaryText(report: DisclosureReport): string {
  const lines = [`Disclosure check of ${report.version}: ${report.passed ? "PASSED" : "FAILED"}`];
  for (const c of report.staticChecks) {
    lines.push(`  ${c.passed ? "ok  " : "FAIL"} ${c.name}${c.passed ? "" : ` (${c.findings.length} finding${c.findings.length === 1 ? "" : "s"})`}`);
    for (const f of c.findings.slice(0, 5)) lines.push(`         ${f.file} ${f.path}: ${f.reason}`);
    if (c.findings.length > 5) lines.push(`         … ${c.findings.length - 5} more in disclosure-report.json`);
  }
  const mia = report.membershipInference;
  lines.push(`  membership inference: ${mia.members} members, ${mia.nonMembers} non-members, ${mia.repeats} balanced repeats`);
  for (const a of mia.attacks) {
    const o = a.overall;
    lines.push(
      `  ${a.passed ? "ok  " : "FAIL"} ${a.name} attack (${o.perSide} per side): AUC ${f3(o.auc.value)} [${f3(o.auc.lower95)}, ${f3(o.auc.upper95)}]` +
        ` · advantage ${f3(o.advantage.value)} [${f3(o.advantage.lower95)}, ${f3(o.advantage.upper95)}] (chance ${f3(o.chanceAdvantage)})` +
        ` · TPR@1%FPR ${f3(o.tprAt1Fpr.value)}`,
    );
    const worst = [...a.groups].sort((x, y) => y.auc.value - x.auc.value)[0];
    if (worst) lines.push(`         highest group AUC: ${worst.column}=${worst.group} ${f3(worst.auc.value)} (${a.groups.length} groups of ≥ 10)`);
    for (const w of a.groupWarnings.slice(0, 3)) lines.push(`         group warning (not part of the verdict): ${w}`);
    if (a.groupWarnings.length > 3) lines.push(`         … ${a.groupWarnings.length - 3} more group warnings in disclosure-report.json`);
  }
  for (const r of report.reasons) lines.push(`  reason: ${r}`);
  return `${lines.join("\n")}\n`;
}

async function fileSha256(path: string): Promise<string> {
  try {
    return await sha256File(path);
  } catch (error) {
    throw new SchemaError(`${path}: cannot read table file`, { cause: error });
  }
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = parseCli(spec, argv);
  let passed = false;
  await runCli(spec.name, async () => {
    const bundle = await loadBundle(args.model);
    try {
      const [trainSha256, holdoutSha256] = [await fileSha256(args.train), await fileSha256(args.holdout)];
      const recorded = bundle.manifest.files.some((f) => f.path === "training-data.json")
        ? TrainingDataSchema.safeParse(JSON.parse(await readFile(`${bundle.dir}/training-data.json`, "utf8")))
        : null;
      if (recorded?.success && recorded.data.sha256 !== trainSha256) {
        throw new SchemaError(`${args.train}: not the table this bundle was trained on (SHA-256 differs from training-data.json)`);
      }
      if (trainSha256 === holdoutSha256) throw new SchemaError("--train and --holdout are the same table");
      const train = await readTableCsv(args.train);
      const holdout = await readTableCsv(args.holdout);
      if (train.rows.length !== bundle.model.training.rows) {
        throw new SchemaError(`${args.train}: not the table this bundle was trained on (${train.rows.length} rows; the bundle was trained on ${bundle.model.training.rows})`);
      }
      validateTable(bundle.schema, train, { use: "train", where: args.train });
      validateTable(bundle.schema, holdout, { use: "train", where: args.holdout });
      const idColumn = bundle.schema.id;
      if (idColumn) {
        const ids = new Set(train.rows.map((r) => String(r[idColumn] ?? "")));
        if (holdout.rows.some((r) => ids.has(String(r[idColumn] ?? "")))) {
          throw new SchemaError(`${args.holdout}: shares ${idColumn} values with --train; held-out rows must not be training rows`);
        }
      }
      const bar = new cliProgress.SingleBar(
        { format: "check-bundle |{bar}| {phase} {value}/{total}", stream: process.stderr, hideCursor: true, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
      let phase = "";
      const report = await runDisclosureCheck({
        bundle,
        members: train.rows,
        nonMembers: holdout.rows,
        repeats: args.repeats,
        seed: args.seed,
        trainSha256,
        holdoutSha256,
        onProgress: (p) => {
          if (p.phase !== phase) {
            if (phase) bar.stop();
            phase = p.phase;
            bar.start(p.total, p.done, { phase: p.phase === "predict" ? "predicting rows" : "attacks" });
          } else bar.update(p.done);
        },
      }).finally(() => {
        if (phase) bar.stop();
      });
      process.stdout.write(summaryText(report));
      passed = report.passed;
    } finally {
      disposeBundle(bundle);
    }
  });
  if (!passed) {
    process.stderr.write(`${spec.name}: the bundle did not pass the disclosure check\n`);
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
