import { stableSigmoid as sigmoid } from "../math.js";

/**
 * L2-penalised generalised linear models fitted in plain TypeScript: logistic and log-linear
 * regression by Newton–Raphson (IRLS) and linear (ridge) regression in closed form.
 * Deterministic: no random initialisation, no sampling. The intercept is not penalised.
 */
export type LinearModel = { intercept: number; weights: number[] };

export type DesignMatrix = {
  /** Row-major values, `rows × width` (e.g. the encoder's output). */
  x: ArrayLike<number>;
  width: number;
};

/** Directions over a design's first columns, each a vector over those columns (FitOptions.freeDirections). */
export type FreeDirections = readonly (readonly number[])[];

export type FitOptions = {
  /** L2 penalty on the weights, on the scale of the summed loss (default 1). */
  l2?: number;
  /** Rows of the design matrix to fit on (default all; a row listed twice counts twice). */
  rows?: readonly number[];
  /** Per-column multiplier of `l2` (default 1 for every column), e.g. to shrink interaction terms harder. */
  penalty?: ArrayLike<number>;
  /** A fixed part of each row's linear predictor (indexed by row), e.g. a shared model's prediction to fit deviations from. */
  offset?: ArrayLike<number>;
  /**
   * Directions over the design's first columns that the penalty leaves nearly free (it keeps
   * FREE_DIRECTION_SHARE of itself along them): the weights' component in their span is shrunk
   * only that little. Meant for columns with a unit `penalty`.
   */
  freeDirections?: FreeDirections;
  maxIterations?: number;
  tolerance?: number;
};


/** Share of the penalty kept along free directions: enough to keep a fit on a tiny group finite. */
export const FREE_DIRECTION_SHARE = 1e-3;

/** The penalty taken away along the free directions: (1 − share) × the projection onto their span, d × d. */
type FreeProjection = { size: number; matrix: Float64Array };

/** Orthonormalises the directions (Gram–Schmidt, dropping any that others already span) into their projection. */
function freeProjection(directions: FreeDirections | undefined): FreeProjection | undefined {
  if (!directions || directions.length === 0) return undefined;
  const size = Math.max(...directions.map((d) => d.length));
  const basis: Float64Array[] = [];
  for (const direction of directions) {
    const v = Float64Array.from({ length: size }, (_, j) => direction[j] ?? 0);
    const norm0 = Math.hypot(...v);
    for (const q of basis) {
      let dot = 0;
      for (let j = 0; j < size; j++) dot += (q[j] as number) * (v[j] as number);
      for (let j = 0; j < size; j++) v[j] = (v[j] as number) - dot * (q[j] as number);
    }
    const norm = Math.hypot(...v);
    if (norm0 === 0 || norm < 1e-8 * norm0) continue;
    basis.push(v.map((x) => x / norm));
  }
  const matrix = new Float64Array(size * size);
  for (const q of basis)
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) matrix[i * size + j] = (matrix[i * size + j] as number) + (1 - FREE_DIRECTION_SHARE) * (q[i] as number) * (q[j] as number);
  return { size, matrix };
}

export function linearPredictor(model: LinearModel, design: DesignMatrix, row: number): number {
  let z = model.intercept;
  const offset = row * design.width;
  for (let j = 0; j < design.width; j++) z += (model.weights[j] as number) * (design.x[offset + j] as number);
  return z;
}

export function predictLogistic(model: LinearModel, design: DesignMatrix, row: number): number {
  return sigmoid(linearPredictor(model, design, row));
}

function allRows(design: DesignMatrix): number[] {
  return Array.from({ length: Math.floor(design.x.length / design.width) }, (_, i) => i);
}

/**
 * Solves a symmetric positive definite system by Cholesky decomposition (in place on a copy).
 * `a` is row-major k × k.
 */
export function solveSpd(a: Float64Array, b: Float64Array): Float64Array {
  const k = b.length;
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j] as number;
      for (let m = 0; m < j; m++) sum -= (l[i * k + m] as number) * (l[j * k + m] as number);
      if (i === j) {
        if (sum <= 0) throw new RangeError("matrix is not positive definite");
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / (l[j * k + j] as number);
      }
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i] as number;
    for (let m = 0; m < i; m++) sum -= (l[i * k + m] as number) * (y[m] as number);
    y[i] = sum / (l[i * k + i] as number);
  }
  const out = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let m = i + 1; m < k; m++) sum -= (l[m * k + i] as number) * (out[m] as number);
    out[i] = sum / (l[i * k + i] as number);
  }
  return out;
}

/**
 * Accumulates Xᵀ W X and Xᵀ r with a leading intercept column, for the chosen rows.
 * `weight(row)` and `residual(row)` give the per-row IRLS weight and working residual.
 */
function normalEquations(
  design: DesignMatrix,
  rows: readonly number[],
  weight: (row: number) => number,
  residual: (row: number) => number,
  l2: number,
  penalty?: ArrayLike<number>,
  free?: FreeProjection,
): { hessian: Float64Array; gradient: Float64Array } {
  const k = design.width + 1;
  const hessian = new Float64Array(k * k);
  const gradient = new Float64Array(k);
  // Only the non-zero entries of a row (one-hot and flag columns are mostly zero), intercept first.
  const index = new Int32Array(k);
  const value = new Float64Array(k);
  for (const row of rows) {
    const offset = row * design.width;
    index[0] = 0;
    value[0] = 1;
    let nnz = 1;
    for (let j = 0; j < design.width; j++) {
      const x = design.x[offset + j] as number;
      if (x !== 0) {
        index[nnz] = j + 1;
        value[nnz] = x;
        nnz++;
      }
    }
    const w = weight(row);
    const r = residual(row);
    for (let a = 0; a < nnz; a++) {
      const i = index[a] as number;
      const vi = value[a] as number;
      gradient[i] = (gradient[i] as number) + vi * r;
      const wvi = w * vi;
      const base = i * k;
      // Indices ascend, so index[b] ≤ i for b ≤ a: the lower triangle.
      for (let b = 0; b <= a; b++) {
        const cell = base + (index[b] as number);
        hessian[cell] = (hessian[cell] as number) + wvi * (value[b] as number);
      }
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) hessian[j * k + i] = hessian[i * k + j] as number;
  for (let i = 1; i < k; i++) hessian[i * k + i] = (hessian[i * k + i] as number) + l2 * (penalty?.[i - 1] ?? 1);
  if (free) {
    const d = free.size;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) hessian[(i + 1) * k + j + 1] = (hessian[(i + 1) * k + j + 1] as number) - l2 * (free.matrix[i * d + j] as number);
  }
  // A tiny ridge on the intercept keeps the system solvable when a group has one class only.
  hessian[0] = (hessian[0] as number) + 1e-8;
  return { hessian, gradient };
}

/** One-vs-rest logistic models of the assignment, one per arm: the propensity models of the T-learner baseline and of the linear learners. */
export function fitAssignment(design: DesignMatrix, treatment: ArrayLike<number>, arms: number, options: FitOptions = {}): LinearModel[] {
  return Array.from({ length: arms }, (_, k) => fitLogistic(design, Array.from(treatment, (t) => (t === k ? 1 : 0)), options));
}

/**
 * A generalised linear model with its canonical link, for the Newton fit: the mean at a linear
 * predictor, the outcome's variance at a mean (the Hessian's weight under a canonical link), the
 * starting intercept from the outcome's mean, and, where a full Newton step can overshoot, the
 * per-row log-likelihood to halve steps against.
 */
type CanonicalFamily = {
  mean: (z: number) => number;
  variance: (mu: number) => number;
  start: (meanOutcome: number) => number;
  logLikelihood?: (y: number, z: number) => number;
};

const LOGISTIC: CanonicalFamily = {
  mean: sigmoid,
  variance: (p) => Math.max(p * (1 - p), 1e-10),
  start: () => 0,
};

/** Largest linear predictor a log-linear fit evaluates: exp(50) is far beyond any outcome, and finite. */
const LOG_LINK_MAX_Z = 50;

/** A log-linear model's mean at linear predictor z. */
export function logLinearMean(z: number): number {
  return Math.exp(Math.min(z, LOG_LINK_MAX_Z));
}

/**
 * Poisson quasi-likelihood with a log link: a multiplicative model of a non-negative continuous
 * outcome (hours, months, amounts), which needs no Poisson-distributed outcome, only E[y | x] = exp(z).
 */
const LOG_LINEAR: CanonicalFamily = {
  mean: logLinearMean,
  variance: (mu) => Math.max(mu, 1e-10),
  start: (m) => Math.log(Math.max(m, 1e-6)),
  logLikelihood: (y, z) => y * z - logLinearMean(z),
};

/** L2-penalised logistic regression of a 0/1 outcome, by Newton–Raphson. */
export function fitLogistic(design: DesignMatrix, outcome: ArrayLike<number>, options: FitOptions = {}): LinearModel {
  return fitCanonical(LOGISTIC, design, outcome, options);
}

/**
 * L2-penalised log-linear regression (Poisson quasi-likelihood, E[y | x] = exp(z)) of a continuous
 * outcome whose mean over the rows is positive, by Newton–Raphson with step halving.
 */
export function fitLogLinear(design: DesignMatrix, outcome: ArrayLike<number>, options: FitOptions = {}): LinearModel {
  return fitCanonical(LOG_LINEAR, design, outcome, options);
}

/** The penalty's value at `weights`: ½ λ Σ penalty_j w_j², less the part along the free directions. */
function penaltyValue(weights: readonly number[], l2: number, penalty: ArrayLike<number> | undefined, free: FreeProjection | undefined): number {
  let sum = 0;
  for (let j = 0; j < weights.length; j++) sum += (penalty?.[j] ?? 1) * (weights[j] as number) ** 2;
  if (free) {
    const d = free.size;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sum -= (free.matrix[i * d + j] as number) * (weights[i] as number) * (weights[j] as number);
  }
  return 0.5 * l2 * sum;
}

function fitCanonical(family: CanonicalFamily, design: DesignMatrix, outcome: ArrayLike<number>, options: FitOptions): LinearModel {
  const l2 = options.l2 ?? 1;
  const rows = options.rows ?? allRows(design);
  const maxIterations = options.maxIterations ?? 25;
  const tolerance = options.tolerance ?? 1e-8;
  const offset = options.offset;
  const zOf = (model: LinearModel, row: number) => linearPredictor(model, design, row) + (offset ? (offset[row] as number) : 0);
  let meanOutcome = 0;
  for (const row of rows) meanOutcome += (outcome[row] as number) / Math.max(rows.length, 1);
  let model: LinearModel = { intercept: family.start(meanOutcome), weights: new Array<number>(design.width).fill(0) };
  if (rows.length === 0) return model;
  const free = freeProjection(options.freeDirections);
  const logLikelihood = family.logLikelihood;
  const objective = (m: LinearModel) => {
    if (!logLikelihood) return 0;
    let sum = 0;
    for (const row of rows) sum += logLikelihood(outcome[row] as number, zOf(m, row));
    return sum - penaltyValue(m.weights, l2, options.penalty, free);
  };
  let current = objective(model);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const mu = new Float64Array(Math.floor(design.x.length / design.width));
    for (const row of rows) mu[row] = family.mean(zOf(model, row));
    const { hessian, gradient } = normalEquations(
      design,
      rows,
      (row) => family.variance(mu[row] as number),
      (row) => (outcome[row] as number) - (mu[row] as number),
      l2,
      options.penalty,
      free,
    );
    // Gradient of the penalised log-likelihood: Xᵀ(y − μ) − λ·(w − the free part of w).
    for (let j = 0; j < design.width; j++) {
      gradient[j + 1] = (gradient[j + 1] as number) - l2 * (options.penalty?.[j] ?? 1) * (model.weights[j] as number);
    }
    if (free) {
      const d = free.size;
      for (let i = 0; i < d; i++) {
        let pw = 0;
        for (let j = 0; j < d; j++) pw += (free.matrix[i * d + j] as number) * (model.weights[j] as number);
        gradient[i + 1] = (gradient[i + 1] as number) + l2 * pw;
      }
    }
    const step = solveSpd(hessian, gradient);
    let scale = 1;
    let next = shifted(model, step, scale);
    if (logLikelihood) {
      // The objective is concave, so a short enough step along Newton's direction never loses.
      let value = objective(next);
      while (!(value >= current - 1e-12 * Math.abs(current)) && scale > 1e-6) {
        scale /= 2;
        next = shifted(model, step, scale);
        value = objective(next);
      }
      current = value;
    }
    model = next;
    let change = 0;
    for (const s of step) change = Math.max(change, Math.abs(s * scale));
    if (change < tolerance) break;
  }
  return model;
}

/** `model` moved by scale × step (step's first entry is the intercept's). */
function shifted(model: LinearModel, step: Float64Array, scale: number): LinearModel {
  return { intercept: model.intercept + scale * (step[0] as number), weights: model.weights.map((w, j) => w + scale * (step[j + 1] as number)) };
}

/** Ridge regression of a continuous outcome (closed form). */
export function fitRidge(design: DesignMatrix, outcome: ArrayLike<number>, options: FitOptions = {}): LinearModel {
  const l2 = options.l2 ?? 1;
  const rows = options.rows ?? allRows(design);
  if (rows.length === 0) return { intercept: 0, weights: new Array<number>(design.width).fill(0) };
  const { hessian, gradient } = normalEquations(
    design,
    rows,
    () => 1,
    (row) => (outcome[row] as number) - (options.offset ? (options.offset[row] as number) : 0),
    l2,
    options.penalty,
    freeProjection(options.freeDirections),
  );
  const solution = solveSpd(hessian, gradient);
  return { intercept: solution[0] as number, weights: Array.from(solution.subarray(1)) };
}
