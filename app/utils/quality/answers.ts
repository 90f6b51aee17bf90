import type { Catalogue } from "../../../model/config/municipality";
import type { QualityReport } from "../../../model/quality/report";
import type { Cell, ReportTable } from "../../../model/quality/report-table";
import { formatPoints, type Lang } from "../i18n";
import { cellText, dashboardText, formatRate } from "./quality-report";

/**
 * The dashboard's first screen: five questions a team manager asks, each answered in one or two plain
 * sentences from the report's already suppressed figures (never a figure the tables do not show).
 */
export type Answer = { id: "good" | "followed" | "works" | "fair" | "drift"; question: string; figure: string | null; text: string; note?: string };

type Shown = Extract<QualityReport, { suppressed: false }>;

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);
const num = (c: Cell | undefined): c is number => typeof c === "number" && Number.isFinite(c);

/** The first cell of a column by key, in the row whose first cell is `key`. */
export function cellOf(table: ReportTable, rowKey: string, columnKey: string): Cell | undefined {
  const k = table.columns.findIndex((c) => c.key === columnKey);
  return table.rows.find((r) => r[0] === rowKey)?.[k];
}

/** A difference under 3 percentage points between realised and predicted is "close"; otherwise the sign says which way. */
const CLOSE = 0.03;

export function dashboardAnswers(report: Shown, lang: Lang): Answer[] {
  const d = (key: string) => dashboardText(lang, key);
  const unknown = d("a_unknown");
  const catalogue: Catalogue = report.catalogue;
  const count = (n: number) => cellText({ key: "count", kind: "count" }, n, lang);

  const { accuracy } = report;
  const good: Answer = { id: "good", question: d("q_good"), figure: null, text: unknown };
  if (num(accuracy.count) && num(accuracy.predicted) && num(accuracy.realised)) {
    const gap = accuracy.realised - accuracy.predicted;
    const verdict = Math.abs(gap) < CLOSE ? "a_good_close" : gap < 0 ? "a_good_high" : "a_good_low";
    good.figure = formatPoints(gap, lang);
    good.text = `${fill(d("a_good"), { n: count(accuracy.count), realised: formatRate(accuracy.realised, lang), predicted: formatRate(accuracy.predicted, lang) })} ${fill(d(verdict), { points: formatPoints(gap, lang) })}`;
  }

  const followed: Answer = { id: "followed", question: d("q_followed"), figure: null, text: unknown };
  if (num(report.adoption)) {
    followed.figure = formatRate(report.adoption, lang);
    followed.text = fill(d("a_followed"), { rate: formatRate(report.adoption, lang), n: count(report.population) });
  }

  const works: Answer = { id: "works", question: d("q_works"), figure: null, text: unknown, note: d("a_works_note") };
  const yes = cellOf(report.tables.followed, "followed", "workRate");
  const no = cellOf(report.tables.followed, "notFollowed", "workRate");
  if (num(yes) && num(no)) {
    works.figure = formatPoints(yes - no, lang);
    works.text = fill(d("a_works"), { followed: formatRate(yes, lang), notFollowed: formatRate(no, lang), points: formatPoints(yes - no, lang) });
  }

  const fair: Answer = { id: "fair", question: d("q_fair"), figure: null, text: unknown };
  const fairness = report.tables.fairness;
  const at = (key: string) => fairness.columns.findIndex((c) => c.key === key);
  const [gapAt, lowerAt, upperAt] = [at("calibrationGap"), at("calibrationGap") + 1, at("calibrationGap") + 2];
  const groupColumn = fairness.columns[1];
  const shownGroups = fairness.rows.filter((r) => num(r[gapAt]) && num(r[lowerAt]) && num(r[upperAt]));
  if (shownGroups.length > 0 && groupColumn) {
    const clear = shownGroups.filter((r) => (r[lowerAt] as number) > 0 || (r[upperAt] as number) < 0);
    const largest = Math.max(...shownGroups.map((r) => Math.abs(r[gapAt] as number)));
    const name = (r: Cell[]) => `${cellText(groupColumn, r[1] ?? null, lang, catalogue, r)} (${formatPoints(r[gapAt] as number, lang)})`;
    // The largest difference without its sign: formatPoints always starts with one.
    fair.text = clear.length === 0 ? fill(d("a_fair_ok"), { points: formatPoints(largest, lang).slice(1) }) : fill(d("a_fair_warn"), { groups: clear.map(name).join(", ") });
  }

  const drift: Answer = { id: "drift", question: d("q_drift"), figure: null, text: d("a_drift_unknown") };
  if (report.driftAvailable) {
    const rows = report.tables.drift.rows;
    const featureColumn = report.tables.drift.columns[0];
    const moved = rows.filter((r) => r[2] === "drift");
    drift.text =
      moved.length === 0
        ? fill(d("a_drift_ok"), { n: count(rows.length) })
        : fill(d("a_drift_warn"), { n: count(moved.length), features: moved.map((r) => (featureColumn ? cellText(featureColumn, r[0] ?? null, lang, catalogue) : "")).join(", ") });
  }
  return [good, followed, works, fair, drift];
}
