/**
 * "What works for whom" (README): the population-level report behind `npm run report` and the app's
 * report page.
 *
 *   buildReport({ schema, catalogue, rows, columns, primaryPredicted, model, table, options? }) → Report
 *     AIPW effects of every trajectory against the control arm per outcome (overall and per subgroup),
 *     best linear projections on the client factors, overlap; every figure ≥ 10 people (suppressed otherwise).
 *   writeReport(outDir, report) → file names   report.json, report.html (self-contained), effects.csv, factors.csv.
 *   readReport(dir) → Report   zod-validated (ModelError otherwise).
 *   renderReportHtml(report) · reportCsvFiles(report)
 *   truthCoverage(report, { schema, rows }) → per arm the true average effect and whether the interval holds it.
 */
export { type BuildReportInput, type BuildReportOptions, buildReport, subgroupValueLabel } from "./build.js";
export { REPORT_CSV_FILES, readReport, removePartial, reportCsvFiles, writeReport } from "./files.js";
export { formatEffect, renderReportHtml } from "./html.js";
export {
  type Effect,
  EffectSchema,
  type Factor,
  type Group,
  REPORT_FILE,
  REPORT_FORMAT,
  REPORT_HTML_FILE,
  type Report,
  ReportSchema,
} from "./schema.js";
export { type TruthCoverage, truthCoverage } from "./truth.js";
