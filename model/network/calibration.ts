import { z } from "zod";

/**
 * Per-arm calibration, fitted on the arm's rows (NetworkConfig.calibrationRows). Binary outcomes: Platt scaling
 * of the member logits, p = sigmoid(a·z + b). Continuous outcomes: a linear map of the
 * prediction, y = a·ŷ + b. Both are pulled slightly toward identity when an arm has few rows.
 */
export const ArmCalibrationSchema = z.object({ a: z.number(), b: z.number(), rows: z.number().int().min(0) });
export type ArmCalibration = z.infer<typeof ArmCalibrationSchema>;
export const CalibrationSchema = z.object({
  method: z.enum(["platt", "linear"]),
  arms: z.record(z.string(), ArmCalibrationSchema),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Platt scaling by Newton's method with a small ridge toward (a=1, b=0). */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>, ridge = 1): ArmCalibration {
  let a = 1;
  let b = 0;
  const n = logits.length;
  for (let iter = 0; iter < 50; iter++) {
    let ga = ridge * (a - 1);
    let gb = ridge * b;
    let haa = ridge;
    let hab = 0;
    let hbb = ridge;
    for (let i = 0; i < n; i++) {
      const z = logits[i] ?? 0;
      const p = sigmoid(a * z + b);
      const r = p - (labels[i] ?? 0);
      const w = p * (1 - p);
      ga += r * z;
      gb += r;
      haa += w * z * z;
      hab += w * z;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b, rows: n };
}

/** Linear recalibration y ≈ a·ŷ + b by ridge-regularised least squares toward identity. */
export function fitLinear(predictions: ArrayLike<number>, values: ArrayLike<number>, ridge = 1): ArmCalibration {
  const n = predictions.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = predictions[i] ?? 0;
    const y = values[i] ?? 0;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  // Minimise Σ(a x + b − y)² + ridge·((a−1)² + b²).
  const haa = sxx + ridge;
  const hab = sx;
  const hbb = n + ridge;
  const ra = sxy + ridge;
  const rb = sy;
  const det = haa * hbb - hab * hab;
  if (!(det > 1e-12)) return { a: 1, b: 0, rows: n };
  return { a: (hbb * ra - hab * rb) / det, b: (haa * rb - hab * ra) / det, rows: n };
}
