import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatCsvRecord } from "../csv/index.js";
import { ModelError } from "../errors.js";
import { renderReportHtml } from "./html.js";
import { REPORT_FILE, REPORT_HTML_FILE, type Report, ReportSchema } from "./schema.js";
import { reportText } from "./text.js";

export const REPORT_CSV_FILES = ["effects.csv", "factors.csv"] as const;

/**
 * CSV for Dutch Excel, as the dashboard's exports write it: a UTF-8 byte order mark, `;` between
 * fields, decimal commas, CRLF; a suppressed figure stays "<10". Keys and labels both, so a script
 * can join on the keys and a person can read the labels.
 */
function excelCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[], minCell: number): string {
  const cell = (v: string | number | null): string => (v === null ? `<${minCell}` : typeof v === "number" ? String(v).replace(".", ",") : v);
  const lines = [formatCsvRecord(header, ";"), ...rows.map((r) => formatCsvRecord(r.map(cell), ";"))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

export function reportCsvFiles(report: Report): { name: (typeof REPORT_CSV_FILES)[number]; text: string }[] {
  const lang = report.lang;
  const outcomeLabel = (c: string) => report.outcomes.find((o) => o.column === c)?.label ?? c;
  const nameOf = (key: string): string => report.arms.find((a) => a.key === key)?.name ?? key;
  const armName = (key: string | null): string => (key === null ? reportText(lang, "level", { control: nameOf(report.control) }) : nameOf(key));
  const subgroup = (feature: string) => report.subgroups.find((s) => s.feature === feature);
  const valueLabel = (feature: string, value: string | null) =>
    value === null ? "" : (subgroup(feature)?.values.find((v) => v.value === value)?.label ?? value);
  const header = (keys: string[]) => keys;
  const effects = excelCsv(
    header(["outcome", "outcome_label", "arm", "arm_label", "feature", "feature_label", "value", "value_label", "estimate", "lower", "upper", "n"]),
    report.effects.map((e) => [
      e.outcome,
      outcomeLabel(e.outcome),
      e.arm,
      armName(e.arm),
      e.group?.feature ?? "",
      e.group ? (subgroup(e.group.feature)?.label ?? e.group.feature) : reportText(lang, "all"),
      e.group?.value ?? "",
      e.group ? valueLabel(e.group.feature, e.group.value) : "",
      e.estimate,
      e.lower,
      e.upper,
      e.n,
    ]),
    report.minCell,
  );
  const factors = excelCsv(
    header(["outcome", "outcome_label", "arm", "arm_label", "feature", "feature_label", "value", "value_label", "estimate", "lower", "upper", "n"]),
    report.factors.map((f) => [
      f.outcome,
      outcomeLabel(f.outcome),
      f.arm ?? "",
      armName(f.arm),
      f.factor.feature,
      subgroup(f.factor.feature)?.label ?? f.factor.feature,
      f.factor.value ?? "",
      f.factor.value === null ? reportText(lang, "perSd", { sd: report.factorScales.find((s) => s.feature === f.factor.feature)?.sd ?? "" }) : valueLabel(f.factor.feature, f.factor.value),
      f.estimate,
      f.lower,
      f.upper,
      f.n,
    ]),
    report.minCell,
  );
  return [
    { name: "effects.csv", text: effects },
    { name: "factors.csv", text: factors },
  ];
}

/**
 * Writes report.json, report.html and the CSV files into `outDir` (created when missing), each
 * through a temporary name so an interrupted run never leaves a complete-looking file.
 */
export async function writeReport(outDir: string, report: Report): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: [string, string][] = [
    [REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`],
    [REPORT_HTML_FILE, renderReportHtml(report)],
    ...reportCsvFiles(report).map((f): [string, string] => [f.name, f.text]),
  ];
  for (const [name, text] of files) {
    const path = join(outDir, name);
    await writeFile(`${path}.partial`, text);
    await rename(`${path}.partial`, path);
  }
  return files.map(([name]) => name);
}

/** Reads and validates a report.json (ModelError naming the file when it is not one). */
export async function readReport(dir: string): Promise<Report> {
  const path = join(dir, REPORT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ModelError(`${path}: no report here`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelError(`${path}: not valid JSON`);
  }
  const parsed = ReportSchema.safeParse(value);
  if (!parsed.success) throw new ModelError(`${path}: not a report (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "invalid"})`);
  return parsed.data;
}

/** Removes a partly written report directory's temporary files (after an error). */
export async function removePartial(outDir: string): Promise<void> {
  for (const name of [REPORT_FILE, REPORT_HTML_FILE, ...REPORT_CSV_FILES]) await rm(join(outDir, `${name}.partial`), { force: true });
}
