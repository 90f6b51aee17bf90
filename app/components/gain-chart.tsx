/**
 * One trajectory's gain over regular guidance as a point with its 80% interval, against a zero line,
 * on a scale shared by every row of the advice so the rows compare at a glance. The SVG carries its
 * own text alternative (role img); the numbers are also written out beside it.
 */
export function GainChart({ gain, lower, upper, scale, label }: { gain: number; lower: number; upper: number; scale: number; label: string }) {
  const width = 140;
  const height = 22;
  const x = (p: number) => ((Math.max(-scale, Math.min(scale, p)) + scale) / (2 * scale)) * width;
  const tone = lower > 0 ? "gain-chart-pos" : upper < 0 ? "gain-chart-neg" : "gain-chart-unclear";
  return (
    <svg className={`gain-chart ${tone}`} width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} focusable="false">
      <line className="gain-chart-zero" x1={x(0)} x2={x(0)} y1={1} y2={height - 1} />
      <line className="gain-chart-interval" x1={x(lower)} x2={x(upper)} y1={height / 2} y2={height / 2} />
      <line className="gain-chart-interval" x1={x(lower)} x2={x(lower)} y1={height / 2 - 5} y2={height / 2 + 5} />
      <line className="gain-chart-interval" x1={x(upper)} x2={x(upper)} y1={height / 2 - 5} y2={height / 2 + 5} />
      <circle className="gain-chart-point" cx={x(gain)} cy={height / 2} r={5} />
    </svg>
  );
}

/** The shared scale of a set of gains: the largest interval end, rounded up to 5 points, at least 10. */
export function gainScale(intervals: readonly { gainLower: number; gainUpper: number }[]): number {
  const widest = Math.max(0.1, ...intervals.flatMap((i) => [Math.abs(i.gainLower), Math.abs(i.gainUpper)]));
  return Math.ceil(widest * 20) / 20;
}
