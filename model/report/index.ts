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
 *   truthCoverage(report, { schema, rows }) → per outcome with truth columns and arm, the true average effect and whether the interval holds it.
 *   readLoggedShown / conditionOnLoggedDraw   the app's logged first-position probabilities (LOGGED_COLUMNS) and
 *     the propensities conditioned on them (buildReport does this when the table has the columns).
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
export { conditionOnLoggedDraw, LOGGED_COLUMNS, type LoggedShown, readLoggedShown } from "./logged.js";
export { type TruthCoverage, truthCoverage } from "./truth.js";
