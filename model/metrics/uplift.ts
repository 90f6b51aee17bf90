/**
 * Uplift (Qini-type) curve of a predicted gain of one arm over the control arm,
 * on the rows that received either of the two.
 */
export type UpliftPoint = { fraction: number; gain: number };

export type UpliftCurve = {
  /** From (0, 0) to (1, overall difference); one point per block of tied predicted gains. */
  points: UpliftPoint[];
  /** Area under the curve (trapezoids), in outcome units. */
  auuc: number;
  /** Area between the curve and the straight line of random targeting: auuc − overall / 2. */
  qini: number;
  /** Rows used (treated + control). */
  n: number;
};

/**
 * Rows sorted by predicted gain, highest first; after the first k rows (a tied block is taken
 * whole) the curve is (k / n, (ȳ_treated(k) − ȳ_control(k)) · k / n): the incremental outcome
 * per client in the whole group if the top k were treated, 0 while either group is still empty.
 * Optional `weights` (e.g. 1 / propensity of the observed arm) make both means and counts weighted,
 * which corrects the comparison for confounded assignment in observational data.
 */
export function upliftCurve(input: {
  gain: ArrayLike<number>;
  outcome: ArrayLike<number>;
  treated: ArrayLike<boolean>;
  weights?: ArrayLike<number>;
}): UpliftCurve {
  const { gain, outcome, treated, weights } = input;
  const n = gain.length;
  if (outcome.length !== n || treated.length !== n || (weights && weights.length !== n)) {
    throw new RangeError("gain, outcome, treated and weights must have the same length");
  }
  const w = (i: number): number => (weights ? (weights[i] as number) : 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += w(i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (gain[b] as number) - (gain[a] as number));
  const points: UpliftPoint[] = [{ fraction: 0, gain: 0 }];
  let wt = 0;
  let yt = 0;
  let wc = 0;
  let yc = 0;
  let i = 0;
  while (i < n) {
    const g = gain[order[i] as number] as number;
    while (i < n && gain[order[i] as number] === g) {
      const row = order[i] as number;
      const wi = w(row);
      const y = outcome[row] as number;
      if (treated[row]) {
        wt += wi;
        yt += wi * y;
      } else {
        wc += wi;
        yc += wi * y;
      }
      i++;
    }
    const difference = wt > 0 && wc > 0 ? yt / wt - yc / wc : 0;
    points.push({ fraction: total > 0 ? (wt + wc) / total : 0, gain: total > 0 ? (difference * (wt + wc)) / total : 0 });
  }
  let auuc = 0;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1] as UpliftPoint;
    const b = points[k] as UpliftPoint;
    auuc += ((b.fraction - a.fraction) * (a.gain + b.gain)) / 2;
  }
  const overall = (points[points.length - 1] as UpliftPoint).gain;
  return { points, auuc, qini: auuc - overall / 2, n };
}

/** The curve thinned to `count` + 1 evenly spaced fractions (for a report), by linear interpolation. */
export function sampleCurve(points: readonly UpliftPoint[], count = 10): UpliftPoint[] {
  const out: UpliftPoint[] = [];
  let k = 0;
  for (let s = 0; s <= count; s++) {
    const f = s / count;
    while (k + 1 < points.length && (points[k + 1] as UpliftPoint).fraction < f) k++;
    const a = points[k] as UpliftPoint;
    const b = points[Math.min(k + 1, points.length - 1)] as UpliftPoint;
    const t = b.fraction > a.fraction ? Math.min(1, Math.max(0, (f - a.fraction) / (b.fraction - a.fraction))) : 1;
    out.push({ fraction: f, gain: a.gain + t * (b.gain - a.gain) });
  }
  return out;
}
