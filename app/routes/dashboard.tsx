import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { Catalogue } from "../../model/config/municipality";
import { type Bar, BarChart, CalibrationChart, type CalibrationPoint, ChartTable, calibrationScale, LineChart, niceTicks } from "~/components/charts";
import { CsvLink, ReportSection } from "~/components/quality/report-section";
import { listTeams } from "~/models/quality.server";
import { requireRole } from "~/utils/auth/auth.server";
import { formatPercent, formatPoints, type Lang, pageTitle, useT } from "~/utils/i18n";
import { dashboardAnswers } from "~/utils/quality/answers";
import { type Cell, cellText, columnHeader, dashboardText, formatRate, labelText, type ReportTable, SUPPRESSED, type TableId } from "~/utils/quality/quality-report";
import { getQualityReport, parseQualityFilter } from "~/utils/quality/quality.server";

export const meta = pageTitle((t) => t.dashboard.title ?? t.navDashboard);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["manager", "admin"]);
  const filter = parseQualityFilter(new URL(request.url));
  const [teams, report] = await Promise.all([listTeams(), getQualityReport(filter)]);
  return { filters: { team: filter.team ?? "" }, teams, report };
}

type ShownReport = Extract<ReturnType<typeof useLoaderData<typeof loader>>["report"], { suppressed: false }>;

const shown = (c: Cell | undefined): number | "<10" | null => (typeof c === "number" ? c : c === SUPPRESSED ? SUPPRESSED : null);
const columnAt = (table: ReportTable, key: string, from = 0) => table.columns.findIndex((c, k) => k >= from && c.key === key);
const withoutTotal = (table: ReportTable) => table.rows.filter((r) => r[0] !== "total");

/** Bars from the rows of a table: label column, value column, optional interval columns. */
function barsOf(table: ReportTable, lang: Lang, valueColumn: number, interval?: [number, number], catalogue?: Catalogue): Bar[] {
  const labelColumn = table.columns[0];
  return table.rows.map((row) => ({
    label: labelColumn && typeof row[0] === "string" ? labelText(labelColumn, row[0], lang, catalogue) : "",
    value: shown(row[valueColumn]),
    lower: interval ? shown(row[interval[0]]) : null,
    upper: interval ? shown(row[interval[1]]) : null,
  }));
}

/** The link to the newest "what works for whom" report for the active model (/reports/latest). */
const LATEST_REPORT = {
  nl: "Wat werkt voor wie: het laatste rapport over effecten per traject en groep",
  en: "What works for whom: the latest report on effects per trajectory and group",
} as const;

export default function Dashboard() {
  const { filters, teams, report } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = t.lang;
  const d = (key: string) => dashboardText(lang, key);
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
  const query = params.size > 0 ? `?${params.toString()}` : "";
  return (
    <div className="page">
      <h1>{d("title")}</h1>
      <p className="muted">{d("intro")}</p>
      <Form method="get">
        <label htmlFor="team">{d("team")}</label>
        <select id="team" name="team" defaultValue={filters.team}>
          <option value="">{d("allTeams")}</option>
          {teams.map((team) => (
            <option key={team} value={team}>
              {team}
            </option>
          ))}
        </select>
        <div>
          <button type="submit" className="primary">
            {t.filter}
          </button>
        </div>
      </Form>
      <p className="report-slot" data-testid="latest-report">
        <a href="/reports/latest">{LATEST_REPORT[lang]}</a>
      </p>
      {report.suppressed ? (
        <p className="notice" role="status" data-testid="view-suppressed">
          {d("viewSuppressed")}
        </p>
      ) : (
        <ShownDashboard report={report as ShownReport} lang={lang} query={query} />
      )}
    </div>
  );
}

function ShownDashboard({ report, lang, query }: { report: ShownReport; lang: Lang; query: string }) {
  const d = (key: string) => dashboardText(lang, key);
  const catalogue = report.catalogue as Catalogue;
  const rate = (v: number) => formatRate(v, lang);
  const percent = (v: number) => formatPercent(v, lang);
  const suppressedLabel = d("suppressedCell");
  const section = { lang, query, catalogue };
  /** Shares per group (0–100 %) with their 95% intervals, as most sections show them. */
  const rateChart = (id: TableId, table: ReportTable, valueColumn: number, interval?: [number, number]) => (
    <BarChart title={d(id)} desc={d("chartBarsDesc")} bars={barsOf(table, lang, valueColumn, interval, catalogue)} max={1} format={rate} tickFormat={percent} suppressedLabel={suppressedLabel} />
  );
  const answers = dashboardAnswers(report as Parameters<typeof dashboardAnswers>[0], lang);
  const months = report.tables["adoption-month"];
  const outcomes = report.tables["outcome-month"];
  const monthColumn = months.columns[0];
  const monthLabels = (table: ReportTable) => withoutTotal(table).map((r) => (monthColumn && typeof r[0] === "string" ? labelText(monthColumn, r[0], lang) : ""));
  const values = (table: ReportTable, key: string) => withoutTotal(table).map((r) => shown(r[columnAt(table, key)]));
  return (
    <>
      <section aria-label={d("answersLabel")} className="answers" data-testid="answers">
        {answers.map((a) => (
          <div key={a.id} className="answer" data-testid={`answer-${a.id}`}>
            <h2>{a.question}</h2>
            {a.figure ? <p className="answer-figure">{a.figure}</p> : null}
            <p>{a.text}</p>
            {a.note ? <p className="muted">{a.note}</p> : null}
          </div>
        ))}
      </section>

      <ReportSection
        {...section}
        id="adoption-month"
        table={months}
        chart={
          <LineChart
            title={d("trendAdoption")}
            desc={d("chartLineDesc")}
            categories={monthLabels(months)}
            series={[{ name: d("series_adoption"), values: values(months, "adoptionRate") }]}
            max={1}
            tickFormat={percent}
          />
        }
      />
      <ReportSection
        {...section}
        id="outcome-month"
        table={outcomes}
        note={`${d("trendOutcomeNote")} ${d("a_works_note")}`}
        chart={
          <LineChart
            title={d("trendOutcome")}
            desc={d("chartLineDesc")}
            categories={monthLabels(outcomes)}
            series={[
              { name: d("series_followed"), values: values(outcomes, "followedWorkRate") },
              { name: d("series_notFollowed"), values: values(outcomes, "notFollowedWorkRate") },
            ]}
            tickFormat={percent}
          />
        }
      />
      <FairnessSection report={report} lang={lang} query={query} catalogue={catalogue} suppressedLabel={suppressedLabel} />

      <details className="more" data-testid="more">
        <summary>{d("moreDetail")}</summary>
        <ReportSection
          {...section}
          id="adoption-team"
          table={report.tables["adoption-team"]}
          level={3}
          chart={rateChart("adoption-team", report.tables["adoption-team"], 4, [5, 6])}
        />
        <ReportSection
          {...section}
          id="interventions"
          table={report.tables.interventions}
          level={3}
          chart={rateChart("interventions", report.tables.interventions, 5, [6, 7])}
        />
        <ReportSection
          {...section}
          id="reasons"
          table={report.tables.reasons}
          level={3}
          chart={rateChart("reasons", { ...report.tables.reasons, rows: withoutTotal(report.tables.reasons) }, 2)}
        />
        <ReportSection
          {...section}
          id="followed"
          note={d("followedNote")}
          table={report.tables.followed}
          level={3}
          chart={rateChart("followed", report.tables.followed, 5, [6, 7])}
        />
      </details>

      <details className="analyst" data-testid="analyst">
        <summary>{d("analyst")}</summary>
        <p className="muted">{d("analystIntro")}</p>
        <ReportSection
          {...section}
          id="offpolicy"
          note={d("offpolicyNote")}
          table={report.tables.offpolicy}
          level={3}
          chart={rateChart("offpolicy", { ...report.tables.offpolicy, rows: report.tables.offpolicy.rows.filter((r) => r[0] !== "difference") }, 2, [3, 4])}
        />
        <ReportSection
          {...section}
          id="calibration"
          note={d("calibrationShared")}
          table={report.tables.calibration}
          level={3}
          chart={<CalibrationCharts table={report.tables.calibration} lang={lang} catalogue={catalogue} />}
        />
        <ReportSection
          {...section}
          id="drift"
          note={report.driftAvailable ? d("driftNote") : d("driftUnavailable")}
          table={report.tables.drift}
          level={3}
          chart={
            report.driftAvailable ? (
              <BarChart
                title={d("drift")}
                desc={d("chartBarsDesc")}
                bars={report.tables.drift.rows.map((row) => ({
                  ...(barsOf({ ...report.tables.drift, rows: [row] }, lang, 1, undefined, catalogue)[0] as Bar),
                  note: row[2] === "drift" ? `— ${d("drift_yes")}` : undefined,
                }))}
                format={(v) => new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 3 }).format(v)}
                suppressedLabel={suppressedLabel}
                threshold={{ value: 0.2, label: lang === "nl" ? "0,2" : "0.2" }}
              />
            ) : null
          }
        />
        <ReportSection {...section} id="fairness" note={d("fairnessNote")} table={report.tables.fairness} level={3} />
        <ReportSection
          {...section}
          id="adoption-period"
          note={d("periodNote")}
          table={report.tables["adoption-period"]}
          level={3}
        />
        <ReportSection {...section} id="adoption-arm" table={report.tables["adoption-arm"]} level={3} />
      </details>
    </>
  );
}

/**
 * Does the advice work equally well for every group: per dimension, realised minus predicted chance
 * of work in percentage points with its interval, all panels on one scale around zero.
 */
function FairnessSection({ report, lang, query, catalogue, suppressedLabel }: { report: ShownReport; lang: Lang; query: string; catalogue: Catalogue; suppressedLabel: string }) {
  const d = (key: string) => dashboardText(lang, key);
  const table = report.tables.fairness;
  const gap = columnAt(table, "calibrationGap");
  const groupColumn = table.columns[1];
  const dimensions = [...new Set(table.rows.map((r) => r[0]).filter((v): v is string => typeof v === "string"))];
  const numbers = table.rows.flatMap((r) => [r[gap], r[gap + 1], r[gap + 2]]).filter((v): v is number => typeof v === "number");
  const ticks = niceTicks(Math.min(-0.05, ...numbers), Math.max(0.05, ...numbers), 5);
  const [min, max] = [ticks[0] as number, ticks[ticks.length - 1] as number];
  const points = (v: number) => formatPoints(v, lang);
  return (
    <section className="dashboard-section" aria-labelledby="h-fairness-chart" data-testid="section-fairness-chart">
      <h2 id="h-fairness-chart">{d("fairnessChart")}</h2>
      <p className="muted">{d("fairnessChartNote")}</p>
      <div className="chart-grid">
        {dimensions.map((dimension) => {
          const rows = table.rows.filter((r) => r[0] === dimension);
          const bars: Bar[] = rows.map((r) => ({
            label: groupColumn ? cellText(groupColumn, r[1] ?? null, lang, catalogue, r) : "",
            value: shown(r[gap]),
            lower: shown(r[gap + 1]),
            upper: shown(r[gap + 2]),
          }));
          const title = `${d("gapPoints")}: ${d(dimension)}`;
          return (
            <figure key={dimension} data-testid={`fairness-${dimension}`}>
              <figcaption>{d(dimension)}</figcaption>
              <BarChart title={title} desc={d("chartGapDesc")} bars={bars} min={min} max={max} format={points} tickFormat={(v) => formatPoints(v, lang, { unit: false })} suppressedLabel={suppressedLabel} />
            </figure>
          );
        })}
      </div>
      <ChartTable
        summary={d("showTable")}
        testId="table-fairness-chart"
        data={{
          caption: d("fairnessChart"),
          // The chart's figures in plain columns: the difference in percentage points with its interval.
          columns: [0, 1, 2, 3, 4].map((k) => columnHeader(table.columns[k] ?? { key: "", kind: "label" }, lang)).concat([d("gapPoints"), d("lower95"), d("upper95")]),
          kinds: ["label", "label", "count", "rate", "rate", "points", "points", "points"],
          rows: table.rows.map((r) => [
            ...[0, 1, 2, 3, 4].map((k) => (table.columns[k] ? cellText(table.columns[k], r[k] ?? null, lang, catalogue, r) : "")),
            ...[gap, gap + 1, gap + 2].map((k) => (typeof r[k] === "number" ? points(r[k] as number) : r[k] === SUPPRESSED ? suppressedLabel : "—")),
          ]),
        }}
      />
      <CsvLink id="fairness" lang={lang} query={query} />
    </section>
  );
}

/** One small calibration plot per chosen trajectory that has shown bins, all on one scale. */
function CalibrationCharts({ table, lang, catalogue }: { table: ReportTable; lang: Lang; catalogue?: Catalogue }) {
  const labelColumn = table.columns[0];
  const arms = [...new Set(table.rows.map((r) => r[0]).filter((a): a is string => typeof a === "string"))];
  const panels = arms
    .map((arm) => ({
      arm,
      points: table.rows
        .filter((r) => r[0] === arm)
        .flatMap((r): CalibrationPoint[] => {
          const [predicted, realised, lower, upper] = [r[3], r[4], r[5], r[6]];
          return typeof predicted === "number" && typeof realised === "number" && typeof lower === "number" && typeof upper === "number" ? [{ predicted, realised, lower, upper }] : [];
        }),
    }))
    .filter((p) => p.points.length > 0);
  const max = calibrationScale(panels.map((p) => p.points));
  return (
    <div className="chart-grid">
      {panels.map(({ arm, points }) => {
        const name = labelColumn ? labelText(labelColumn, arm, lang, catalogue) : arm;
        return (
          <figure key={arm}>
            <CalibrationChart
              title={`${dashboardText(lang, "calibration")}: ${name}`}
              desc={dashboardText(lang, "chartCalibrationDesc")}
              points={points}
              max={max}
              format={(v) => formatPercent(v, lang)}
              axisX={dashboardText(lang, "predicted")}
              axisY={dashboardText(lang, "realised")}
            />
            <figcaption>{name}</figcaption>
          </figure>
        );
      })}
    </div>
  );
}
