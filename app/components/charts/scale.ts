/** Shared pieces of the SVG charts: values that may be suppressed, and round axis ticks. */

/** A figure as a chart receives it: a number, "<10" (suppressed: fewer than 10 people) or null (not applicable). */
export type ChartValue = number | "<10" | null;

export const isNumber = (v: ChartValue | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Round tick values covering [min, max], about `count` of them, at steps of 1, 2, 2.5 or 5 × 10^k.
 * The first tick is ≤ min and the last ≥ max, so a scale from the first to the last tick holds every value.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const low = Math.min(min, max);
  const high = Math.max(min, max);
  const span = high - low || Math.abs(high) || 1;
  const raw = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= high + step * 1e-6 || ticks.length < 2; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}
