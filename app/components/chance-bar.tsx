/**
 * The chance under one trajectory as a bar with its 80% interval as a whisker.
 * The numbers are also in the table cell beside it, so the SVG is decorative to screen readers.
 */
export function ChanceBar({ expected, lower, upper }: { expected: number; lower: number; upper: number }) {
  const width = 200;
  const x = (p: number) => Math.max(0, Math.min(1, p)) * width;
  return (
    <svg className="chance-bar" width={width} height={18} viewBox={`0 0 ${width} 18`} aria-hidden="true" focusable="false">
      <rect x={0} y={3} width={width} height={12} fill="#e4eaee" />
      <rect x={0} y={3} width={x(expected)} height={12} fill="var(--tw-color-bar)" />
      <line x1={x(lower)} x2={x(upper)} y1={9} y2={9} stroke="#1a1a1a" strokeWidth={2} />
      <line x1={x(lower)} x2={x(lower)} y1={4} y2={14} stroke="#1a1a1a" strokeWidth={2} />
      <line x1={x(upper)} x2={x(upper)} y1={4} y2={14} stroke="#1a1a1a" strokeWidth={2} />
    </svg>
  );
}
