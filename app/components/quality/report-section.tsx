import type { ReactNode } from "react";
import type { Catalogue } from "../../../model/config/municipality";
import { type ChartData, ChartTable } from "~/components/charts";
import type { Lang } from "~/utils/i18n";
import { cellText, columnHeader, dashboardText, type ReportTable, type TableId } from "~/utils/quality/quality-report";

/** A report table as the text cells of a chart's "show table" toggle (suppressed cells read "<10 personen"). */
export function reportChartData(table: ReportTable, lang: Lang, catalogue?: Catalogue, caption = dashboardText(lang, table.id)): ChartData {
  return {
    caption,
    columns: table.columns.map((c) => columnHeader(c, lang)),
    kinds: table.columns.map((c) => c.kind),
    rows: table.rows.map((row) => row.map((cell, k) => (table.columns[k] ? cellText(table.columns[k], cell, lang, catalogue, row) : ""))),
  };
}

/** The CSV export of one report table, with the page's filter. */
export function CsvLink({ id, lang, query }: { id: TableId; lang: Lang; query: string }) {
  return (
    <p>
      <a href={`/dashboard/csv/${id}.csv${query}`} download={`${id}.csv`}>
        {dashboardText(lang, "downloadCsv")}: {dashboardText(lang, id)}
      </a>
    </p>
  );
}

/** One part of the dashboard: heading, an explanation, its chart, the data behind a "show table" toggle and the CSV link. */
export function ReportSection({
  id,
  title,
  lang,
  query,
  note,
  chart,
  table,
  catalogue,
  level = 2,
}: {
  id: TableId;
  title?: string;
  lang: Lang;
  query: string;
  note?: ReactNode;
  chart?: ReactNode;
  table: ReportTable;
  catalogue?: Catalogue;
  level?: 2 | 3;
}) {
  const heading = title ?? dashboardText(lang, id);
  const Heading = level === 2 ? "h2" : "h3";
  return (
    <section className="dashboard-section" aria-labelledby={`h-${id}`} data-testid={`section-${id}`}>
      <Heading id={`h-${id}`}>{heading}</Heading>
      {note ? <p className="muted">{note}</p> : null}
      {chart}
      <ChartTable data={reportChartData(table, lang, catalogue, heading)} summary={dashboardText(lang, "showTable")} testId={`table-${id}`} />
      <CsvLink id={id} lang={lang} query={query} />
    </section>
  );
}
