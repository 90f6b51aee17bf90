import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { createContext, type ReactNode, useContext } from "react";
import type { Catalogue } from "../../model/config/municipality";
import { BarChart, CalibrationChart, type Bar } from "~/components/charts";
import { listTeams } from "~/models/quality.server";
import { requireRole } from "~/utils/auth/auth.server";
import { pageTitle, type Lang, useT } from "~/utils/i18n";
import {
  type Cell,
  cellText,
  columnHeader,
  dashboardText,
  formatRate,
  labelText,
  type ReportTable,
  SUPPRESSED,
  type TableId,
} from "~/utils/quality/quality-report";
import { getQualityReport, parseQualityFilter } from "~/utils/quality/quality.server";

export const meta = pageTitle((t) => t.dashboard.title ?? t.navDashboard);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["manager", "admin"]);
  const filter = parseQualityFilter(new URL(request.url));
  const [teams, report] = await Promise.all([listTeams(), getQualityReport(filter)]);
  return {
    filters: { team: filter.team ?? "" },
    teams,
    report,
  };
}

const shown = (c: Cell | undefined): number | "<10" | null => (typeof c === "number" ? c : c === SUPPRESSED ? SUPPRESSED : null);

/** The active model's catalogue: trajectory, feature and value labels of every table. */
const CatalogueContext = createContext<Catalogue | undefined>(undefined);

function DataTable({ table, lang, caption }: { table: ReportTable; lang: Lang; caption: string }) {
  const catalogue = useContext(CatalogueContext);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-scroll" aria-label={caption} tabIndex={0}>
      <table data-testid={`table-${table.id}`}>
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            {table.columns.map((c, k) => (
              <th key={`${c.key}-${k}`} scope="col" className={c.kind === "label" || c.kind === "flag" ? undefined : "num"}>
                {columnHeader(c, lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, k) => {
                const column = table.columns[k];
                if (!column) return null;
                const text = cellText(column, cell, lang, catalogue);
                const attrs = { "data-kind": column.kind, className: column.kind === "label" || column.kind === "flag" ? undefined : "num" };
                return k === 0 ? (
                  <th key={`${column.key}-${k}`} scope="row" {...attrs}>
                    {text}
                  </th>
                ) : (
                  <td key={`${column.key}-${k}`} {...attrs}>
                    {cell === SUPPRESSED ? <abbr title={dashboardText(lang, "suppressedMark")}>{text}</abbr> : text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Section({
  id,
  lang,
  query,
  note,
  chart,
  table,
  collapsed,
}: {
  id: TableId;
  lang: Lang;
  query: string;
  note?: string;
  chart?: ReactNode;
  table: ReportTable;
  collapsed?: boolean;
}) {
  const title = dashboardText(lang, id);
  const data = <DataTable table={table} lang={lang} caption={title} />;
  return (
    <section className="dashboard-section" aria-labelledby={`h-${id}`} data-testid={`section-${id}`}>
      <h2 id={`h-${id}`}>{title}</h2>
      {note ? <p className="muted">{note}</p> : null}
      {chart}
      {collapsed ? (
        <details>
          <summary>{dashboardText(lang, "dataTable")}</summary>
          {data}
        </details>
      ) : (
        data
      )}
      <p>
        <a href={`/dashboard/csv/${id}.csv${query}`} download={`${id}.csv`}>
          {dashboardText(lang, "downloadCsv")}: {title}
        </a>
      </p>
    </section>
  );
}

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

export default function Dashboard() {
  const { filters, teams, report } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = t.lang;
  const d = (key: string) => dashboardText(lang, key);
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
  const query = params.size > 0 ? `?${params.toString()}` : "";
  const rate = (v: number) => formatRate(v, lang);
  const catalogue = report.suppressed ? undefined : (report.catalogue as Catalogue);
  return (
    <CatalogueContext.Provider value={catalogue}>
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
      {report.suppressed ? (
        <p className="notice" role="status" data-testid="view-suppressed">
          {d("viewSuppressed")}
        </p>
      ) : (
        <>
          <dl className="dashboard-summary" data-testid="summary">
            <div>
              <dt>{d("population")}</dt>
              <dd data-kind="count">{cellText({ key: "population", kind: "count" }, report.population, lang)}</dd>
            </div>
            <div>
              <dt>{d("adoption")}</dt>
              <dd>{cellText({ key: "adoption", kind: "rate" }, report.adoption, lang)}</dd>
            </div>
          </dl>
          <Section
            id="adoption-team"
            lang={lang}
            query={query}
            table={report.tables["adoption-team"]}
            chart={<BarChart title={d("adoption-team")} desc={d("chartBarsDesc")} bars={barsOf(report.tables["adoption-team"], lang, 4, [5, 6], catalogue)} max={1} format={rate} suppressedLabel="<10" />}
          />
          <Section
            id="adoption-period"
            lang={lang}
            query={query}
            note={d("periodNote")}
            table={report.tables["adoption-period"]}
            chart={<BarChart title={d("adoption-period")} desc={d("chartBarsDesc")} bars={barsOf(report.tables["adoption-period"], lang, 4, [5, 6], catalogue)} max={1} format={rate} suppressedLabel="<10" />}
          />
          <Section
            id="adoption-arm"
            lang={lang}
            query={query}
            table={report.tables["adoption-arm"]}
            chart={<BarChart title={d("adoption-arm")} desc={d("chartBarsDesc")} bars={barsOf(report.tables["adoption-arm"], lang, 4, [5, 6], catalogue)} max={1} format={rate} suppressedLabel="<10" />}
          />
          <Section id="reasons" lang={lang} query={query} table={report.tables.reasons} />
          <Section
            id="followed"
            lang={lang}
            query={query}
            note={d("followedNote")}
            table={report.tables.followed}
            chart={<BarChart title={d("followed")} desc={d("chartBarsDesc")} bars={barsOf(report.tables.followed, lang, 5, [6, 7], catalogue)} max={1} format={rate} suppressedLabel="<10" />}
          />
          <Section
            id="offpolicy"
            lang={lang}
            query={query}
            note={d("offpolicyNote")}
            table={report.tables.offpolicy}
            chart={
              <BarChart
                title={d("offpolicy")}
                desc={d("chartBarsDesc")}
                bars={barsOf({ ...report.tables.offpolicy, rows: report.tables.offpolicy.rows.filter((r) => r[0] !== "difference") }, lang, 2, [3, 4], catalogue)}
                max={1}
                format={rate}
                suppressedLabel="<10"
              />
            }
          />
          <Section
            id="calibration"
            lang={lang}
            query={query}
            table={report.tables.calibration}
            collapsed
            chart={<CalibrationCharts table={report.tables.calibration} lang={lang} catalogue={catalogue} />}
          />
          <Section
            id="interventions"
            lang={lang}
            query={query}
            table={report.tables.interventions}
            chart={<BarChart title={d("interventions")} desc={d("chartBarsDesc")} bars={barsOf(report.tables.interventions, lang, 5, [6, 7], catalogue)} max={1} format={rate} suppressedLabel="<10" />}
          />
          <Section id="fairness" lang={lang} query={query} note={d("fairnessNote")} table={report.tables.fairness} />
          <Section
            id="drift"
            lang={lang}
            query={query}
            note={report.driftAvailable ? d("driftNote") : d("driftUnavailable")}
            table={report.tables.drift}
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
                  threshold={{ value: 0.2, label: "0,2" }}
                  suppressedLabel="<10"
                />
              ) : null
            }
          />
        </>
      )}
    </div>
    </CatalogueContext.Provider>
  );
}

/** One small calibration plot per chosen trajectory that has shown bins. */
function CalibrationCharts({ table, lang, catalogue }: { table: ReportTable; lang: Lang; catalogue?: Catalogue }) {
  const labelColumn = table.columns[0];
  const arms = [...new Set(table.rows.map((r) => r[0]).filter((a): a is string => typeof a === "string"))];
  return (
    <div className="chart-grid">
      {arms.map((arm) => {
        const points = table.rows
          .filter((r) => r[0] === arm)
          .flatMap((r) => {
            const [predicted, realised, lower, upper] = [r[3], r[4], r[5], r[6]];
            return typeof predicted === "number" && typeof realised === "number" && typeof lower === "number" && typeof upper === "number"
              ? [{ predicted, realised, lower, upper }]
              : [];
          });
        if (points.length === 0 || !labelColumn) return null;
        const name = labelText(labelColumn, arm, lang, catalogue);
        return (
          <figure key={arm}>
            <CalibrationChart
              title={`${dashboardText(lang, "calibration")}: ${name}`}
              desc={dashboardText(lang, "chartCalibrationDesc")}
              points={points}
              max={1}
              format={(v) => formatRate(v, lang)}
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
