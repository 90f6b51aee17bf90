import { z } from "zod";
import { type DesignMatrix, fitLogistic, fitRidge, type LinearModel, solveSpd } from "../baseline/index.js";
import { linearPredictor } from "../baseline/linear.js";
import type { OutcomeSpec } from "../config/municipality.js";
import { ModelError } from "../errors.js";
import { MIN_CELL } from "../bundle/reference.js";
import { type Row, toNumber } from "../table/read.js";
import { stableSigmoid as sigmoid } from "../math.js";

/**
 * Secondary-outcome heads: per secondary outcome of the municipal configuration (care need after
 * 12 months, problem debts after 12 months, left benefits, ...) and per arm, an L2-penalised
 * logistic regression on the bundle's encoded features, fitted only on the rows that got that arm
 * (a T-learner, with model/baseline's IRLS fit). Stored in the bundle as `secondary.json`:
 * coefficients and the coefficients' covariance (inverse penalised information) only, no counts
 * and no record-level data. The covariance gives a 95% interval by the delta method on the logit,
 * and for the difference against the control arm (the arms' heads are fitted on disjoint rows,
 * so their errors are independent).
 *
 * A continuous outcome (hours of work per week) gets a ridge regression per arm on its own scale
 * instead: the coefficients' covariance is σ²·(XᵀX + λ·diag(0, 1, …, 1))⁻¹ with σ² the residual
 * variance on the effective degrees of freedom, so its intervals are in the outcome's unit.
 * An arm with fewer than MIN_CELL rows with the outcome known gets no head (null).
 */
export const SECONDARY_FILE = "secondary.json";
export const SECONDARY_FORMAT_VERSION = 1;
/** Two-sided 95% normal quantile. */
const Z95 = 1.959963984540054;

const HeadSchema = z.object({
  intercept: z.number(),
  weights: z.array(z.number()),
  /** Inverse penalised information of (intercept, weights), split so that no list is longer than the encoded width. */
  covariance: z.object({ intercept: z.number(), cross: z.array(z.number()), weights: z.array(z.array(z.number())) }),
  /** The penalty chosen by cross-validation (summed-loss scale). */
  l2: z.number().min(0),
});
export type SecondaryHead = z.infer<typeof HeadSchema>;

export const SecondaryFileSchema = z
  .object({
    formatVersion: z.literal(SECONDARY_FORMAT_VERSION),
    /** The schema's arms, in order; `heads` follow it. */
    arms: z.array(z.string().min(1)).min(2),
    control: z.string().min(1),
    width: z.number().int().positive(),
    level: z.literal(0.95),
    outcomes: z.array(
      z.object({
        column: z.string().min(1),
        /** binary: logistic heads, figures are chances; continuous: ridge heads, figures in the outcome's unit. */
        type: z.enum(["binary", "continuous"]).default("binary"),
        heads: z.array(HeadSchema.nullable()),
      }),
    ),
  })
  .superRefine((file, ctx) => {
    if (!file.arms.includes(file.control)) ctx.addIssue({ code: "custom", path: ["control"], message: "control is not one of the arms" });
    file.outcomes.forEach((o, i) => {
      if (o.heads.length !== file.arms.length) ctx.addIssue({ code: "custom", path: ["outcomes", i, "heads"], message: "one head per arm" });
      o.heads.forEach((h, k) => {
        if (!h) return;
        const w = file.width;
        const sized = h.weights.length === w && h.covariance.cross.length === w && h.covariance.weights.length === w && h.covariance.weights.every((r) => r.length === w);
        if (!sized) ctx.addIssue({ code: "custom", path: ["outcomes", i, "heads", k], message: `sizes do not match the encoded width ${w}` });
      });
    });
  });
export type SecondaryFile = z.infer<typeof SecondaryFileSchema>;

/** One arm's figures for one secondary outcome: chance (or expected value) and difference against the control arm, each with a 95% interval. */
export type SecondaryArmPrediction = {
  expected: number;
  lower: number;
  upper: number;
  gain: number;
  gainLower: number;
  gainUpper: number;
};

export type FitSecondaryOptions = {
  /** Encoded training rows (row-major, `rows × width`), as the bundle's encoder wrote them. */
  x: Float32Array;
  width: number;
  /** Arm index of each training row (schema order). */
  treatment: Int32Array;
  /** The training rows, to read the outcome columns from. */
  rows: readonly Row[];
  arms: readonly string[];
  control: string;
  /** The configuration's secondary outcomes; those present in the table get heads. */
  outcomes: readonly OutcomeSpec[];
  l2Grid?: readonly number[];
  folds?: number;
};

const L2_GRID = [1, 10, 100] as const;

type OutcomeType = "binary" | "continuous";

const fitHead = (type: OutcomeType, design: DesignMatrix, y: Float64Array, options: { l2: number; rows: readonly number[] }): LinearModel =>
  type === "binary" ? fitLogistic(design, y, options) : fitRidge(design, y, options);

/** Held-out loss of one penalty (log-loss, or squared error for a continuous outcome), folds by position among the arm's rows. */
function crossValidatedLoss(type: OutcomeType, design: DesignMatrix, y: Float64Array, rows: readonly number[], l2: number, folds: number): number {
  let loss = 0;
  for (let fold = 0; fold < folds; fold++) {
    const model = fitHead(type, design, y, { l2, rows: rows.filter((_, k) => k % folds !== fold) });
    rows.forEach((row, k) => {
      if (k % folds !== fold) return;
      const z = linearPredictor(model, design, row);
      const v = y[row] as number;
      if (type === "continuous") {
        loss += (v - z) ** 2;
        return;
      }
      const p = Math.min(Math.max(sigmoid(z), 1e-12), 1 - 1e-12);
      loss -= v * Math.log(p) + (1 - v) * Math.log(1 - p);
    });
  }
  return loss;
}

/**
 * The coefficients' approximate covariance, with x̃ = (1, x): binary (Σ p(1−p) x̃x̃ᵀ + λ·diag(0, 1, …, 1))⁻¹;
 * continuous σ²·(Σ x̃x̃ᵀ + λ·diag(0, 1, …, 1))⁻¹ with σ² = residual sum of squares / (n − df) and
 * df = tr((XᵀX + λD)⁻¹ XᵀX) = k − λ·Σⱼ₌₁ (XᵀX + λD)⁻¹ⱼⱼ, the ridge fit's effective degrees of freedom.
 */
function covarianceOf(type: OutcomeType, model: LinearModel, design: DesignMatrix, y: Float64Array, rows: readonly number[], l2: number): SecondaryHead["covariance"] {
  const w = design.width;
  const k = w + 1;
  const info = new Float64Array(k * k);
  const v = new Float64Array(k);
  for (const row of rows) {
    const p = sigmoid(linearPredictor(model, design, row));
    const weight = type === "continuous" ? 1 : Math.max(p * (1 - p), 1e-10);
    v[0] = 1;
    for (let j = 0; j < w; j++) v[j + 1] = design.x[row * w + j] as number;
    for (let a = 0; a < k; a++) {
      const va = (v[a] as number) * weight;
      if (va === 0) continue;
      for (let b = 0; b <= a; b++) info[a * k + b] = (info[a * k + b] as number) + va * (v[b] as number);
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) info[b * k + a] = info[a * k + b] as number;
  for (let a = 1; a < k; a++) info[a * k + a] = (info[a * k + a] as number) + l2;
  info[0] = (info[0] as number) + 1e-8;
  const columns = Array.from({ length: k }, (_, c) => {
    const e = new Float64Array(k);
    e[c] = 1;
    return solveSpd(info, e);
  });
  let scale = 1;
  if (type === "continuous") {
    let rss = 0;
    for (const row of rows) rss += ((y[row] as number) - linearPredictor(model, design, row)) ** 2;
    let df = k;
    for (let a = 1; a < k; a++) df -= l2 * ((columns[a] as Float64Array)[a] as number);
    scale = rss / Math.max(rows.length - df, 1);
  }
  const at = (a: number, b: number) => scale * ((columns[b] as Float64Array)[a] as number);
  return {
    intercept: at(0, 0),
    cross: Array.from({ length: w }, (_, j) => at(0, j + 1)),
    weights: Array.from({ length: w }, (_, i) => Array.from({ length: w }, (_, j) => (at(i + 1, j + 1) + at(j + 1, i + 1)) / 2)),
  };
}

/**
 * Fits the heads; null when the configuration declares no secondary outcome that the table has
 * (then the bundle gets no secondary.json and the advice shows work only).
 */
export function fitSecondaryHeads(options: FitSecondaryOptions): SecondaryFile | null {
  const { x, width, treatment, rows, arms } = options;
  const first = rows[0] ?? {};
  const outcomes = options.outcomes.filter((o) => o.column in first);
  if (outcomes.length === 0) return null;
  const design: DesignMatrix = { x, width };
  const folds = options.folds ?? 3;
  const fitted = outcomes.map((outcome) => {
    const y = new Float64Array(rows.length);
    const known: boolean[] = rows.map((row, i) => {
      const value = toNumber(row[outcome.column]);
      if (value === null || !Number.isFinite(value) || (outcome.type === "binary" && value !== 0 && value !== 1)) return false;
      y[i] = value;
      return true;
    });
    const heads = arms.map((_, a) => {
      const armRows = treatment.reduce<number[]>((list, t, i) => {
        if (t === a && known[i]) list.push(i);
        return list;
      }, []);
      if (armRows.length < MIN_CELL) return null;
      let l2 = options.l2Grid?.[0] ?? L2_GRID[1];
      if (armRows.length >= folds * 2) {
        let best = Number.POSITIVE_INFINITY;
        for (const candidate of options.l2Grid ?? L2_GRID) {
          const loss = crossValidatedLoss(outcome.type, design, y, armRows, candidate, folds);
          if (loss < best - 1e-12) {
            best = loss;
            l2 = candidate;
          }
        }
      }
      const model = fitHead(outcome.type, design, y, { l2, rows: armRows });
      return { intercept: model.intercept, weights: model.weights, covariance: covarianceOf(outcome.type, model, design, y, armRows, l2), l2 };
    });
    return { column: outcome.column, type: outcome.type, heads };
  });
  return { formatVersion: SECONDARY_FORMAT_VERSION, arms: [...arms], control: options.control, width, level: 0.95, outcomes: fitted };
}

/**
 * Linear predictor and its variance x̃ᵀ Σ x̃ for one encoded row, given as the columns where it is
 * not zero (most of an encoded row is zero: one-hot levels and flags; the row's list is made once
 * and shared by every head).
 */
function logitWithVariance(head: SecondaryHead, columns: Int32Array, values: Float64Array): { z: number; variance: number } {
  let z = head.intercept;
  let variance = head.covariance.intercept;
  for (let a = 0; a < columns.length; a++) {
    const i = columns[a] as number;
    const xi = values[a] as number;
    z += (head.weights[i] as number) * xi;
    variance += 2 * xi * (head.covariance.cross[i] as number);
    const row = head.covariance.weights[i] as number[];
    for (let b = 0; b < columns.length; b++) variance += xi * (values[b] as number) * (row[columns[b] as number] as number);
  }
  return { z, variance: Math.max(variance, 0) };
}

/** The columns of row r where it is not zero, and their values. */
function nonZero(x: Float32Array, offset: number, width: number): { columns: Int32Array; values: Float64Array } {
  let count = 0;
  for (let i = 0; i < width; i++) if (x[offset + i] !== 0) count++;
  const columns = new Int32Array(count);
  const values = new Float64Array(count);
  let a = 0;
  for (let i = 0; i < width; i++) {
    const v = x[offset + i] as number;
    if (v === 0) continue;
    columns[a] = i;
    values[a++] = v;
  }
  return { columns, values };
}

/**
 * Per encoded row, per outcome (the file's order), per arm (the file's order): the chance (a
 * continuous outcome: the expected value) under that arm and its difference against the control
 * arm, each with a 95% interval; null for an arm (or the control) without a head.
 */
export function predictSecondary(file: SecondaryFile, x: Float32Array, n: number): { column: string; arms: (SecondaryArmPrediction | null)[] }[][] {
  const width = file.width;
  if (x.length !== n * width) throw new ModelError(`secondary heads: expected ${n} rows of ${width} encoded values`);
  const c = file.arms.indexOf(file.control);
  return Array.from({ length: n }, (_, r) => {
    const row = nonZero(x, r * width, width);
    return file.outcomes.map((outcome) => {
      const per = outcome.heads.map((head) => {
        if (!head) return null;
        const { z, variance } = logitWithVariance(head, row.columns, row.values);
        const sd = Math.sqrt(variance);
        if (outcome.type === "continuous") return { p: z, lower: z - Z95 * sd, upper: z + Z95 * sd, slopeSd: sd };
        const p = sigmoid(z);
        return { p, lower: sigmoid(z - Z95 * sd), upper: sigmoid(z + Z95 * sd), slopeSd: p * (1 - p) * sd };
      });
      const control = per[c] ?? null;
      return {
        column: outcome.column,
        arms: per.map((a) => {
          if (!a || !control) return null;
          const gain = a.p - control.p;
          // Delta method: d p / d z = p(1 − p) (1 for a continuous outcome); the arms' fits are independent (disjoint rows).
          const se = a === control ? 0 : Math.sqrt(a.slopeSd ** 2 + control.slopeSd ** 2);
          return { expected: a.p, lower: a.lower, upper: a.upper, gain, gainLower: gain - Z95 * se, gainUpper: gain + Z95 * se };
        }),
      };
    });
  });
}

/** Parses secondary.json; the error names the path. */
export function parseSecondaryFile(value: unknown, where = SECONDARY_FILE): SecondaryFile {
  const parsed = SecondaryFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError(`${where}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
