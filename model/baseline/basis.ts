import { z } from "zod";
import type { Encoder } from "../table/encoder.js";

/**
 * A basis expansion of the encoded features for the linear learners: the encoded columns as they
 * are, plus hinge terms max(0, x − knot) of every standardised numeric column (a linear spline, so
 * that a threshold-shaped effect such as "48 months or more since the last job" can be followed),
 * plus, for the S-learner, an indicator per arm (`withArmIndicators`). Plain values, saved with the learner.
 */
export const BasisSchema = z.object({
  /** Encoded width the basis was made for. */
  width: z.number().int().positive(),
  /** Standardised numeric columns that get hinge terms, and their knots. */
  splines: z.array(z.object({ column: z.number().int().min(0), knots: z.array(z.number()) })),
});
export type Basis = z.infer<typeof BasisSchema>;

/** Knots in standard deviations from the training mean. */
export const DEFAULT_KNOTS = [-1, -0.5, 0, 0.5, 1, 1.5] as const;

export function basisFor(encoder: Encoder, knots: readonly number[] = DEFAULT_KNOTS): Basis {
  const splines = encoder.features.flatMap((f) => (f.type === "numeric" ? [{ column: f.column, knots: [...knots] }] : []));
  return { width: encoder.width, splines };
}

export const basisWidth = (basis: Basis): number => basis.width + basis.splines.reduce((s, sp) => s + sp.knots.length, 0);

/** Expands n encoded rows into the basis (row-major n × basisWidth). */
export function expandBasis(basis: Basis, x: ArrayLike<number>, n: number): Float64Array {
  const W = basisWidth(basis);
  const D = basis.width;
  const out = new Float64Array(n * W);
  for (let i = 0; i < n; i++) {
    const o = i * W;
    const r = i * D;
    for (let j = 0; j < D; j++) out[o + j] = x[r + j] as number;
    let c = o + D;
    for (const sp of basis.splines) {
      const v = x[r + sp.column] as number;
      for (const k of sp.knots) out[c++] = v > k ? v - k : 0;
    }
  }
  return out;
}

/**
 * The S-learner's shared design: the basis, then an indicator per non-control arm (the arm's
 * constant shift). `arm(row)` gives the arm index the row is encoded under.
 */
export function withArmIndicators(options: {
  basis: Basis;
  expanded: Float64Array;
  n: number;
  arm: (row: number) => number;
  arms: number;
  control: number;
}): { x: Float64Array; width: number } {
  const { basis, expanded, n, arms, control } = options;
  const B = basisWidth(basis);
  const width = B + arms - 1;
  const x = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    x.set(expanded.subarray(i * B, (i + 1) * B), i * width);
    const k = options.arm(i);
    if (k !== control) x[i * width + B + (k < control ? k : k - 1)] = 1;
  }
  return { x, width };
}
