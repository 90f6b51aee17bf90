import { useId } from "react";
import { type ChartValue, isNumber, niceTicks } from "./scale";

/**
 * A trend over periods (e.g. months): one line per series, told apart by marker shape and dash as
 * well as colour, with a legend in words and a tick scale. A suppressed or missing value breaks the
 * line (no mark): the values behind the chart, "<10" included, are in its table.
 */
export type LineSeries = { name: string; values: ChartValue[] };

const MARKERS = ["circle", "square", "diamond"] as const;

function Marker({ kind, x, y }: { kind: (typeof MARKERS)[number]; x: number; y: number }) {
  if (kind === "square") return <rect x={x - 4} y={y - 4} width={8} height={8} />;
  if (kind === "diamond") return <polygon points={`${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}`} />;
  return <circle cx={x} cy={y} r={4} />;
}

export function LineChart({
  title,
  desc,
  categories,
  series,
  min = 0,
  max,
  tickFormat,
}: {
  title: string;
  desc: string;
  /** Labels of the x positions, in order (e.g. "jan 2026"). */
  categories: string[];
  series: LineSeries[];
  min?: number;
  /** Scale maximum; by default the largest value rounded up to a tick. */
  max?: number;
  tickFormat: (value: number) => string;
}) {
  const id = useId();
  const left = 56;
  const width = 560;
  const top = 12;
  const plotHeight = 200;
  const legendTop = top + plotHeight + 40;
  const height = legendTop + series.length * 20 + 4;
  const values = series.flatMap((s) => s.values.filter(isNumber));
  const ticks = niceTicks(min, max ?? Math.max(...values, Number.EPSILON), 5);
  const high = max ?? (ticks[ticks.length - 1] as number);
  const x = (i: number) => left + (categories.length <= 1 ? width / 2 : (i / (categories.length - 1)) * width);
  const y = (v: number) => top + plotHeight - ((v - min) / (high - min || 1)) * plotHeight;
  // Every category label when there is room, else about eight of them.
  const every = Math.max(1, Math.ceil(categories.length / 8));
  return (
    <svg className="chart" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${left + width + 40} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {ticks
        .filter((t) => t <= high + 1e-9)
        .map((t) => (
          <g key={t}>
            <line x1={left} x2={left + width} y1={y(t)} y2={y(t)} className="chart-grid-line" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="chart-text chart-tick">
              {tickFormat(t)}
            </text>
          </g>
        ))}
      <line x1={left} x2={left} y1={top} y2={top + plotHeight} className="chart-axis" />
      <line x1={left} x2={left + width} y1={top + plotHeight} y2={top + plotHeight} className="chart-axis" />
      {categories.map((c, i) =>
        i % every === 0 || i === categories.length - 1 ? (
          <text key={`${c}-${i}`} x={x(i)} y={top + plotHeight + 16} textAnchor="middle" className="chart-text chart-tick">
            {c}
          </text>
        ) : null,
      )}
      {series.map((s, k) => {
        // Runs of consecutive shown values, each drawn as one line.
        const runs: { i: number; v: number }[][] = [];
        s.values.forEach((v, i) => {
          if (!isNumber(v)) return;
          const last = runs[runs.length - 1];
          if (last && last[last.length - 1]?.i === i - 1) last.push({ i, v });
          else runs.push([{ i, v }]);
        });
        const marker = MARKERS[k % MARKERS.length] as (typeof MARKERS)[number];
        return (
          <g key={s.name} className={`chart-series chart-series-${k % 3}`}>
            {runs.map((run) => (
              <polyline key={run[0]?.i} fill="none" points={run.map((p) => `${x(p.i)},${y(p.v)}`).join(" ")} strokeDasharray={k % 2 === 1 ? "6 4" : undefined} />
            ))}
            {s.values.map((v, i) => (isNumber(v) ? <Marker key={i} kind={marker} x={x(i)} y={y(v)} /> : null))}
          </g>
        );
      })}
      {series.map((s, k) => (
        <g key={`legend-${s.name}`} className={`chart-series chart-series-${k % 3}`} transform={`translate(${left}, ${legendTop + k * 20})`}>
          <line x1={0} x2={28} y1={0} y2={0} strokeDasharray={k % 2 === 1 ? "6 4" : undefined} />
          <Marker kind={MARKERS[k % MARKERS.length] as (typeof MARKERS)[number]} x={14} y={0} />
          <text x={36} y={4} className="chart-text">
            {s.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
