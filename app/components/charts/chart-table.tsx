/**
 * The data behind a chart as a table, behind a "show table" toggle (a native <details>, so it works
 * without JavaScript and by keyboard). Cells are already formatted text.
 */
export type ChartData = {
  caption: string;
  columns: string[];
  rows: string[][];
  /** Optional kind per column (e.g. "count", "rate"), written as data-kind on its cells. */
  kinds?: string[];
};

export function ChartTable({ data, summary, testId }: { data: ChartData; summary: string; testId?: string }) {
  return (
    <details className="chart-data">
      <summary>{summary}</summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1). */}
      <section className="table-scroll" tabIndex={0} aria-label={data.caption}>
        <table data-testid={testId}>
          <caption className="muted">{data.caption}</caption>
          <thead>
            <tr>
              {data.columns.map((c, k) => (
                <th key={`${c}-${k}`} scope="col" className={k === 0 ? undefined : "num"}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row, i) => (
              <tr key={`${row[0]}-${i}`}>
                {row.map((cell, k) =>
                  k === 0 ? (
                    <th key={k} scope="row" data-kind={data.kinds?.[k]}>
                      {cell}
                    </th>
                  ) : (
                    <td key={k} className="num" data-kind={data.kinds?.[k]}>
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </details>
  );
}
