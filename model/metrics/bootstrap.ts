import { createRandom } from "../random.js";

/** A point estimate with its standard error and 80% / 95% intervals. */
export type Estimate = {
  value: number;
  se: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
};

const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

export type BootstrapOptions = {
  /** Number of rows to resample. */
  n: number;
  /** Statistic of one resample, given the resampled row indices (with repetition). */
  statistic: (indices: Int32Array) => number;
  /** Number of bootstrap replicates; 1000 by default. */
  replicates?: number;
  seed?: number;
};

/**
 * Nonparametric bootstrap with percentile intervals. The value is the statistic on the
 * original rows; `se` is the standard deviation of the replicates. Deterministic for a seed.
 */
export function bootstrap({ n, statistic, replicates = 1000, seed = 1 }: BootstrapOptions): Estimate {
  if (n < 1) throw new RangeError("bootstrap needs at least one row");
  if (replicates < 2) throw new RangeError("bootstrap needs at least two replicates");
  const random = createRandom(seed);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const value = statistic(all);
  const draws = new Float64Array(replicates);
  const sample = new Int32Array(n);
  for (let b = 0; b < replicates; b++) {
    for (let i = 0; i < n; i++) sample[i] = Math.floor(random() * n);
    draws[b] = statistic(sample);
  }
  draws.sort();
  return {
    value,
    se: standardDeviation(draws),
    lower80: quantileSorted(draws, 0.1),
    upper80: quantileSorted(draws, 0.9),
    lower95: quantileSorted(draws, 0.025),
    upper95: quantileSorted(draws, 0.975),
  };
}

/** Mean with a normal (influence-function) interval: for an estimator that is a mean of per-row contributions. */
export function meanEstimate(contributions: ArrayLike<number>): Estimate {
  const n = contributions.length;
  if (n < 1) throw new RangeError("meanEstimate needs at least one value");
  const value = mean(contributions);
  const se = n > 1 ? standardDeviation(contributions) / Math.sqrt(n) : 0;
  return {
    value,
    se,
    lower80: value - Z80 * se,
    upper80: value + Z80 * se,
    lower95: value - Z95 * se,
    upper95: value + Z95 * se,
  };
}

/** Bootstrap of the mean of per-row contributions (percentile intervals). */
export function bootstrapMean(
  contributions: ArrayLike<number>,
  options: { replicates?: number; seed?: number } = {},
): Estimate {
  return bootstrap({
    n: contributions.length,
    statistic: (indices) => {
      let sum = 0;
      for (const i of indices) sum += contributions[i] as number;
      return sum / indices.length;
    },
    ...options,
  });
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/** Sample standard deviation (n − 1). */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Linear-interpolation quantile (type 7) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
