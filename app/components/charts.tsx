import { useId } from "react";

/**
 * Accessible SVG charts: role="img" with <title> and <desc>, every value also written as text
 * beside its mark (no information by colour alone), and always a data table next to it on the page.
 * Suppressed values ("<10") get no mark, only the text.
 */
export type Bar = {
  label: string;
  value: number | "<10" | null;
  lower?: number | "<10" | null;
  upper?: number | "<10" | null;
  /** Extra text after the value, e.g. a flag ("boven 0,2"). */
  note?: string;
};

const num = (v: number | "<10" | null | undefined): v is number => typeof v === "number";

export function BarChart({
  title,
  desc,
  bars,
  max,
  format,
  threshold,
}: {
  title: string;
  desc: string;
  bars: Bar[];
  /** Scale maximum (1 for rates); by default the largest value or upper bound. */
  max?: number;
  format: (value: number) => string;
  threshold?: { value: number; label: string };
}) {
  const id = useId();
  const labelWidth = 230;
  const plotWidth = 300;
  const textWidth = 230;
  const rowHeight = 28;
  const top = threshold ? 20 : 6;
  const height = top + bars.length * rowHeight + 6;
  const scaleMax =
    max ??
    Math.max(
      threshold?.value ?? 0,
      ...bars.flatMap((b) => [b.value, b.upper].filter(num)),
      Number.EPSILON,
    );
  const x = (v: number) => labelWidth + Math.max(0, Math.min(1, v / scaleMax)) * plotWidth;
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
      <line x1={labelWidth} x2={labelWidth} y1={top - 4} y2={height - 4} className="chart-axis" />
      {threshold ? (
        <g>
          <line x1={x(threshold.value)} x2={x(threshold.value)} y1={top - 6} y2={height - 4} className="chart-threshold" />
          <text x={x(threshold.value) + 4} y={12} className="chart-text">
            {threshold.label}
          </text>
        </g>
      ) : null}
      {bars.map((b, i) => {
        const y = top + i * rowHeight;
        const text = num(b.value)
          ? `${format(b.value)}${num(b.lower) && num(b.upper) ? ` (${format(b.lower)}–${format(b.upper)})` : ""}${b.note ? ` ${b.note}` : ""}`
          : (b.value ?? "—");
        return (
          <g key={`${b.label}-${i}`}>
            <text x={labelWidth - 8} y={y + 17} textAnchor="end" className="chart-text">
              {b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label}
            </text>
            {num(b.value) ? <rect x={labelWidth} y={y + 5} width={Math.max(1, x(b.value) - labelWidth)} height={16} className="chart-bar" /> : null}
            {num(b.lower) && num(b.upper) ? (
              <g className="chart-interval">
                <line x1={x(b.lower)} x2={x(b.upper)} y1={y + 13} y2={y + 13} />
                <line x1={x(b.lower)} x2={x(b.lower)} y1={y + 8} y2={y + 18} />
                <line x1={x(b.upper)} x2={x(b.upper)} y1={y + 8} y2={y + 18} />
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

export type CalibrationPoint = { predicted: number; realised: number; lower: number; upper: number };

/** Predicted against realised chance with the diagonal of perfect calibration; axes 0–max. */
export function CalibrationChart({
  title,
  desc,
  points,
  format,
  axisX,
  axisY,
}: {
  title: string;
  desc: string;
  points: CalibrationPoint[];
  format: (value: number) => string;
  axisX: string;
  axisY: string;
}) {
  const id = useId();
  const size = 220;
  const pad = 56;
  const max = Math.min(1, Math.max(0.1, ...points.flatMap((p) => [p.predicted, p.upper])) * 1.1);
  const sx = (v: number) => pad + (v / max) * size;
  const sy = (v: number) => pad + size - (v / max) * size;
  return (
    <svg
      className="chart chart-small"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${size + pad + 30} ${size + pad + 30}`}
      width="300"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>
        {desc} {points.map((p) => `${format(p.predicted)} → ${format(p.realised)}`).join("; ")}
      </desc>
      <line x1={sx(0)} y1={sy(0)} x2={sx(max)} y2={sy(0)} className="chart-axis" />
      <line x1={sx(0)} y1={sy(0)} x2={sx(0)} y2={sy(max)} className="chart-axis" />
      <line x1={sx(0)} y1={sy(0)} x2={sx(max)} y2={sy(max)} className="chart-threshold" />
      <text x={sx(max / 2)} y={size + pad + 24} textAnchor="middle" className="chart-text">
        {axisX}
      </text>
      <text x={14} y={sy(max / 2)} textAnchor="middle" transform={`rotate(-90 14 ${sy(max / 2)})`} className="chart-text">
        {axisY}
      </text>
      <text x={sx(0)} y={sy(0) + 14} textAnchor="middle" className="chart-text">
        0
      </text>
      <text x={sx(max)} y={sy(0) + 14} textAnchor="middle" className="chart-text">
        {format(max)}
      </text>
      <text x={sx(0) - 4} y={sy(max) + 4} textAnchor="end" className="chart-text">
        {format(max)}
      </text>
      {points.map((p, i) => (
        <g key={`${p.predicted}-${i}`} className="chart-interval">
          <line x1={sx(p.predicted)} x2={sx(p.predicted)} y1={sy(p.lower)} y2={sy(p.upper)} />
          <circle cx={sx(p.predicted)} cy={sy(p.realised)} r={4} className="chart-point" />
        </g>
      ))}
    </svg>
  );
}
