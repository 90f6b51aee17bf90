import { type DesignMatrix, fitLogistic, fitRidge, type LinearModel } from "../baseline/linear.js";
import type { Matrix } from "../metrics/policy.js";
import { stableSigmoid as sigmoid } from "../math.js";

/**
 * Cross-fitted nuisance models for the report's AIPW estimates: each row's propensity and outcome
 * predictions come from models fitted on the other folds, so a row's own outcome never shapes the
 * prediction that corrects it (the condition under which the AIPW interval is valid).
 * Plain L2-penalised linear models (model/baseline): deterministic and fast on a table of thousands.
 */


function predict(model: LinearModel, design: DesignMatrix, row: number): number {
  let z = model.intercept;
  const offset = row * design.width;
  for (let j = 0; j < design.width; j++) z += (model.weights[j] as number) * (design.x[offset + j] as number);
  return z;
}

/**
 * Propensity of every arm per row: one-vs-rest L2 logistic regressions fitted on the other folds,
 * normalised to sum to one.
 */
export function crossFitPropensity(options: {
  design: DesignMatrix;
  treatment: readonly number[];
  arms: number;
  folds: readonly number[];
  l2?: number;
}): number[][] {
  const { design, treatment, arms, folds } = options;
  const n = treatment.length;
  const out: number[][] = Array.from({ length: n }, () => new Array<number>(arms).fill(0));
  const foldCount = Math.max(...folds) + 1;
  for (let k = 0; k < foldCount; k++) {
    const fit = folds.flatMap((f, i) => (f === k ? [] : [i]));
    const held = folds.flatMap((f, i) => (f === k ? [i] : []));
    for (let a = 0; a < arms; a++) {
      const model = fitLogistic(
        design,
        treatment.map((t) => (t === a ? 1 : 0)),
        { l2: options.l2 ?? 1, rows: fit },
      );
      for (const i of held) (out[i] as number[])[a] = sigmoid(predict(model, design, i));
    }
  }
  return out.map((row) => {
    const total = row.reduce((s, p) => s + p, 0);
    return row.map((p) => (total > 0 ? p / total : 1 / arms));
  });
}

/**
 * Expected outcome of every row under every arm (a T-learner): per arm, an L2 logistic (binary) or
 * ridge (continuous) regression on that arm's rows of the other folds. An arm without rows in the
 * other folds predicts the mean outcome of those folds.
 */
export function crossFitOutcome(options: {
  design: DesignMatrix;
  treatment: readonly number[];
  outcome: readonly number[];
  binary: boolean;
  arms: number;
  folds: readonly number[];
  /** Rows to use (rows with a value for this outcome); default all. */
  rows?: readonly number[];
  l2?: number;
}): Matrix {
  const { design, treatment, outcome, binary, arms, folds } = options;
  const use = options.rows ?? treatment.map((_, i) => i);
  const out: number[][] = treatment.map(() => new Array<number>(arms).fill(Number.NaN));
  const foldCount = Math.max(...folds) + 1;
  for (let k = 0; k < foldCount; k++) {
    const fit = use.filter((i) => folds[i] !== k);
    const held = use.filter((i) => folds[i] === k);
    const fallback = fit.reduce((s, i) => s + (outcome[i] as number), 0) / Math.max(fit.length, 1);
    for (let a = 0; a < arms; a++) {
      const armRows = fit.filter((i) => treatment[i] === a);
      const fitOptions = { l2: options.l2 ?? 3, rows: armRows };
      const model = armRows.length === 0 ? null : binary ? fitLogistic(design, outcome, fitOptions) : fitRidge(design, outcome, fitOptions);
      for (const i of held) {
        const z = model ? predict(model, design, i) : Number.NaN;
        (out[i] as number[])[a] = model === null ? fallback : binary ? sigmoid(z) : z;
      }
    }
  }
  return out;
}
