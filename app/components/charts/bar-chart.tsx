import { useId } from "react";
import { type ChartValue, isNumber, niceTicks } from "./scale";

/**
 * Horizontal bars with an optional 95% interval, a value label beside every bar (no information
 * by colour alone) and a tick scale. Values below zero grow left of a zero line (differences in
 * percentage points). A suppressed value gets no mark, only `suppressedLabel` (e.g. "<10 personen").
 */
export type Bar = {
  label: string;
  value: ChartValue;
  lower?: ChartValue;
  upper?: ChartValue;
  /** Extra text after the value, e.g. a flag ("boven 0,2"). */
  note?: string;
};

export function BarChart({
  title,
  desc,
  bars,
  min,
  max,
  format,
  tickFormat = format,
  suppressedLabel,
  threshold,
}: {
  title: string;
  desc: string;
  bars: Bar[];
  /** Scale minimum; by default 0, or the smallest value or lower bound when that is negative. */
  min?: number;
  /** Scale maximum; by default the largest value or upper bound (rounded up to a tick). */
  max?: number;
  format: (value: number) => string;
  tickFormat?: (value: number) => string;
  suppressedLabel: string;
  threshold?: { value: number; label: string };
}) {
  const id = useId();
  const labelWidth = 230;
  const plotWidth = 300;
  const textWidth = 250;
  const rowHeight = 28;
  const top = threshold ? 20 : 6;
  const values = bars.flatMap((b) => [b.value, b.lower, b.upper].filter(isNumber));
  const ticks = niceTicks(min ?? Math.min(0, ...values), max ?? Math.max(threshold?.value ?? 0, ...values, Number.EPSILON), 5);
  const low = min ?? (ticks[0] as number);
  const high = max ?? (ticks[ticks.length - 1] as number);
  const shownTicks = ticks.filter((t) => t >= low - 1e-9 && t <= high + 1e-9);
  const plotBottom = top + bars.length * rowHeight;
  const height = plotBottom + 22;
  const x = (v: number) => labelWidth + Math.max(0, Math.min(1, (v - low) / (high - low || 1))) * plotWidth;
  const zero = x(Math.max(low, Math.min(high, 0)));
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${labelWidth + plotWidth + textWidth} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {shownTicks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top - 4} y2={plotBottom} className="chart-grid-line" />
          <text x={x(t)} y={plotBottom + 14} textAnchor="middle" className="chart-text chart-tick">
            {tickFormat(t)}
          </text>
        </g>
      ))}
      <line x1={zero} x2={zero} y1={top - 4} y2={plotBottom} className="chart-axis" />
      {threshold ? (
        <g>
          <line x1={x(threshold.value)} x2={x(threshold.value)} y1={top - 6} y2={plotBottom} className="chart-threshold" />
          <text x={x(threshold.value) + 4} y={12} className="chart-text">
            {threshold.label}
          </text>
        </g>
      ) : null}
      {bars.map((b, i) => {
        const y = top + i * rowHeight;
        const interval = isNumber(b.lower) && isNumber(b.upper);
        const text = isNumber(b.value)
          ? `${format(b.value)}${interval ? ` (${format(b.lower as number)} – ${format(b.upper as number)})` : ""}${b.note ? ` ${b.note}` : ""}`
          : b.value === null
            ? "—"
            : suppressedLabel;
        const end = isNumber(b.value) ? x(b.value) : zero;
        return (
          <g key={`${b.label}-${i}`}>
            <text x={labelWidth - 8} y={y + 17} textAnchor="end" className="chart-text">
              {b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label}
            </text>
            {isNumber(b.value) ? <rect x={Math.min(zero, end)} y={y + 5} width={Math.max(1, Math.abs(end - zero))} height={16} className="chart-bar" /> : null}
            {interval ? (
              <g className="chart-interval">
                <line x1={x(b.lower as number)} x2={x(b.upper as number)} y1={y + 13} y2={y + 13} />
                <line x1={x(b.lower as number)} x2={x(b.lower as number)} y1={y + 8} y2={y + 18} />
                <line x1={x(b.upper as number)} x2={x(b.upper as number)} y1={y + 8} y2={y + 18} />
              </g>
            ) : null}
            <text x={labelWidth + plotWidth + 8} y={y + 17} className="chart-text">
              {text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
