import { useId } from "react";
import { niceTicks } from "./scale";

export type CalibrationPoint = { predicted: number; realised: number; lower: number; upper: number };

/**
 * Predicted against realised chance with the diagonal of perfect calibration, ticks on both axes.
 * Panels side by side share one scale: pass the same `max` to each (see `calibrationScale`).
 */
export function CalibrationChart({
  title,
  desc,
  points,
  max,
  format,
  axisX,
  axisY,
}: {
  title: string;
  desc: string;
  points: CalibrationPoint[];
  max: number;
  format: (value: number) => string;
  axisX: string;
  axisY: string;
}) {
  const id = useId();
  const size = 220;
  const pad = 56;
  const sx = (v: number) => pad + (Math.min(v, max) / max) * size;
  const sy = (v: number) => pad + size - (Math.min(v, max) / max) * size;
  const ticks = niceTicks(0, max, 5).filter((t) => t <= max + 1e-9);
  return (
    <svg className="chart chart-small" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${size + pad + 30} ${size + pad + 30}`} width="300">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>
        {desc} {points.map((p) => `${format(p.predicted)} → ${format(p.realised)}`).join("; ")}
      </desc>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={sx(t)} x2={sx(t)} y1={sy(0)} y2={sy(max)} className="chart-grid-line" />
          <line x1={sx(0)} x2={sx(max)} y1={sy(t)} y2={sy(t)} className="chart-grid-line" />
          <text x={sx(t)} y={sy(0) + 14} textAnchor="middle" className="chart-text chart-tick">
            {format(t)}
          </text>
          <text x={sx(0) - 4} y={sy(t) + 4} textAnchor="end" className="chart-text chart-tick">
            {format(t)}
          </text>
        </g>
      ))}
      <line x1={sx(0)} y1={sy(0)} x2={sx(max)} y2={sy(0)} className="chart-axis" />
      <line x1={sx(0)} y1={sy(0)} x2={sx(0)} y2={sy(max)} className="chart-axis" />
      <line x1={sx(0)} y1={sy(0)} x2={sx(max)} y2={sy(max)} className="chart-threshold" />
      <text x={sx(max / 2)} y={size + pad + 30} textAnchor="middle" className="chart-text">
        {axisX}
      </text>
      <text x={12} y={sy(max / 2)} textAnchor="middle" transform={`rotate(-90 12 ${sy(max / 2)})`} className="chart-text">
        {axisY}
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

/** One scale for several calibration panels: the largest prediction or upper bound, rounded up to a tick (at most 1). */
export function calibrationScale(panels: readonly (readonly CalibrationPoint[])[]): number {
  const top = Math.max(0.1, ...panels.flatMap((points) => points.flatMap((p) => [p.predicted, p.upper])));
  const ticks = niceTicks(0, top, 5);
  return Math.min(1, ticks[ticks.length - 1] as number);
}
