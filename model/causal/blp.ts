import { solveSpd } from "../baseline/linear.js";

/**
 * Best linear projection (Semenova & Chernozhukov 2021): ordinary least squares of per-row
 * pseudo-outcomes (AIPW scores) on a few client factors, with heteroskedasticity-robust (HC1)
 * standard errors. With AIPW scores of an effect it says which factors go with larger or smaller
 * effects; with the scores of one arm's mean outcome, which go with a higher or lower outcome. It is
 * the linear summary of the per-client effect, not a model of it: the intervals are valid for that
 * projection whatever the true shape.
 */
export type FactorDesign = {
  /** Row-major values, rows × names.length (no intercept column: one is added). */
  x: ArrayLike<number>;
  names: readonly string[];
};

export type Coefficient = { name: string; estimate: number; se: number; lower: number; upper: number };

export type Projection = { intercept: Coefficient; coefficients: Coefficient[]; n: number };

const Z95 = 1.959963984540054;

export function bestLinearProjection(scores: readonly number[], design: FactorDesign): Projection {
  const n = scores.length;
  const width = design.names.length;
  const k = width + 1;
  if (design.x.length !== n * width) throw new RangeError("the design needs one row of factors per score");
  if (n <= k) throw new RangeError(`a projection on ${width} factors needs more than ${k} rows`);
  const row = (i: number, out: Float64Array) => {
    out[0] = 1;
    for (let j = 0; j < width; j++) out[j + 1] = design.x[i * width + j] as number;
  };
  const z = new Float64Array(k);
  const gram = new Float64Array(k * k);
  const moment = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    row(i, z);
    const y = scores[i] as number;
    for (let a = 0; a < k; a++) {
      const za = z[a] as number;
      if (za === 0) continue;
      moment[a] = (moment[a] as number) + za * y;
      for (let b = 0; b < k; b++) gram[a * k + b] = (gram[a * k + b] as number) + za * (z[b] as number);
    }
  }
  // A vanishing ridge keeps a factor that is constant in this table from breaking the solve.
  for (let a = 0; a < k; a++) gram[a * k + a] = (gram[a * k + a] as number) + 1e-9 * n;
  const beta = solveSpd(gram, moment);
  // Sandwich: (ZᵀZ)⁻¹ (Σ eᵢ² zᵢ zᵢᵀ) (ZᵀZ)⁻¹ · n / (n − k).
  const meat = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    row(i, z);
    let fit = 0;
    for (let a = 0; a < k; a++) fit += (z[a] as number) * (beta[a] as number);
    const e2 = ((scores[i] as number) - fit) ** 2;
    for (let a = 0; a < k; a++) {
      const za = z[a] as number;
      if (za === 0) continue;
      for (let b = 0; b < k; b++) meat[a * k + b] = (meat[a * k + b] as number) + e2 * za * (z[b] as number);
    }
  }
  const inverse = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    const unit = new Float64Array(k);
    unit[c] = 1;
    const column = solveSpd(gram, unit);
    for (let r = 0; r < k; r++) inverse[r * k + c] = column[r] as number;
  }
  const scale = n / (n - k);
  const variance = (a: number): number => {
    // (A M A)[a][a] with A symmetric.
    let total = 0;
    for (let r = 0; r < k; r++) {
      const ar = inverse[a * k + r] as number;
      if (ar === 0) continue;
      for (let c = 0; c < k; c++) total += ar * (meat[r * k + c] as number) * (inverse[c * k + a] as number);
    }
    return Math.max(total * scale, 0);
  };
  const coefficient = (a: number, name: string): Coefficient => {
    const estimate = beta[a] as number;
    const se = Math.sqrt(variance(a));
    return { name, estimate, se, lower: estimate - Z95 * se, upper: estimate + Z95 * se };
  };
  return {
    intercept: coefficient(0, "(intercept)"),
    coefficients: design.names.map((name, j) => coefficient(j + 1, name)),
    n,
  };
}
