import { z } from "zod";
import { ModelError } from "../errors.js";
import { EncoderSchema, encodeRows, fitEncoder } from "../table/encoder.js";
import { type Row, toNumber } from "../table/read.js";
import { type TableSchema, TableSchemaSchema } from "../table-schema.js";
import { type DesignMatrix, fitAssignment, fitLogistic, fitRidge, type LinearModel, linearPredictor } from "./linear.js";

/**
 * The T-learner baseline: one L2-penalised regression per arm (logistic for a binary outcome,
 * linear for a continuous one) on the same encoded features as the network, fitted only on the
 * rows that received that arm, its penalty chosen per arm by cross-validation; plus one-vs-rest logistic propensity models, normalised to sum to 1.
 * Learned state is plain JSON (`serializeBaseline`), so `train` can save it in the bundle.
 */
export const BASELINE_FORMAT_VERSION = 1;

const LinearModelSchema = z.object({ intercept: z.number(), weights: z.array(z.number()) });

export const BaselineSchema = z.object({
  kind: z.literal("t-learner"),
  formatVersion: z.literal(BASELINE_FORMAT_VERSION),
  schema: TableSchemaSchema,
  encoder: EncoderSchema,
  /** L2 penalty of each arm's outcome regression (chosen by cross-validation unless fixed). */
  outcomeL2: z.array(z.number().min(0)),
  propensityL2: z.number().min(0),
  /** Per arm, in the schema's arm order. */
  outcomeModels: z.array(LinearModelSchema),
  propensityModels: z.array(LinearModelSchema),
});
export type Baseline = z.infer<typeof BaselineSchema>;

export type BaselineConfig = {
  /**
   * L2 penalty of the outcome regressions, on the summed-loss scale: a number, or "cv" (the default)
   * to choose it per arm from `l2Grid` by deterministic k-fold cross-validation on that arm's rows
   * (log-loss for a binary outcome, squared error for a continuous one).
   */
  l2?: number | "cv";
  l2Grid?: readonly number[];
  folds?: number;
  /** L2 penalty of the propensity regressions (default 1). */
  propensityL2?: number;
};

export const DEFAULT_L2_GRID = [0.3, 1, 3, 10, 30, 100, 300] as const;

/** Cross-validated loss of one penalty on the given rows: folds by position (row k goes to fold k mod folds). */
function crossValidatedLoss(
  design: DesignMatrix,
  outcome: readonly number[],
  rows: readonly number[],
  options: { l2: number; folds: number; binary: boolean },
): number {
  let loss = 0;
  for (let fold = 0; fold < options.folds; fold++) {
    const fitRows = rows.filter((_, k) => k % options.folds !== fold);
    const holdout = rows.filter((_, k) => k % options.folds === fold);
    const model = options.binary
      ? fitLogistic(design, outcome, { l2: options.l2, rows: fitRows })
      : fitRidge(design, outcome, { l2: options.l2, rows: fitRows });
    for (const row of holdout) {
      const z = linearPredictor(model, design, row);
      const y = outcome[row] as number;
      if (options.binary) {
        const p = Math.min(Math.max(1 / (1 + Math.exp(-z)), 1e-12), 1 - 1e-12);
        loss -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
      } else {
        loss += (y - z) ** 2;
      }
    }
  }
  return loss / Math.max(rows.length, 1);
}

function chooseL2(
  design: DesignMatrix,
  outcome: readonly number[],
  rows: readonly number[],
  options: { grid: readonly number[]; folds: number; binary: boolean },
): number {
  let best = options.grid[0] ?? 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  if (rows.length < options.folds * 2) return best;
  for (const l2 of options.grid) {
    const loss = crossValidatedLoss(design, outcome, rows, { l2, folds: options.folds, binary: options.binary });
    if (loss < bestLoss - 1e-12) {
      best = l2;
      bestLoss = loss;
    }
  }
  return best;
}

export type BaselinePredictions = {
  /** Rows × arms: expected outcome under each arm. */
  expected: number[][];
  /** Rows × arms: estimated probability of receiving each arm. */
  propensity: number[][];
};

function designOf(baseline: Pick<Baseline, "encoder">, rows: readonly Row[]): DesignMatrix {
  return { x: encodeRows(baseline.encoder, rows), width: baseline.encoder.width };
}

/**
 * Fits the baseline on a training table. The table must already be validated (every arm known,
 * outcome 0/1 or numeric); the schema's truth and audit columns are never read.
 */
export function fitBaseline(rows: readonly Row[], schema: TableSchema, config: BaselineConfig = {}): Baseline {
  const propensityL2 = config.propensityL2 ?? 1;
  const binary = schema.outcome.type === "binary";
  const encoder = fitEncoder(schema, rows);
  const design = designOf({ encoder }, rows);
  const arms = schema.treatment.arms;
  const treatment = rows.map((row) => arms.indexOf(String(row[schema.treatment.column] ?? "").trim()));
  const bad = treatment.indexOf(-1);
  if (bad >= 0) throw new ModelError(`baseline: row ${bad + 1} has an arm the schema does not list`);
  const outcome = rows.map((row, i) => {
    const y = toNumber(row[schema.outcome.column]);
    if (y === null || Number.isNaN(y)) throw new ModelError(`baseline: row ${i + 1} has no numeric outcome`);
    return y;
  });
  const outcomeL2: number[] = [];
  const outcomeModels: LinearModel[] = arms.map((_, a) => {
    const armRows = treatment.flatMap((t, i) => (t === a ? [i] : []));
    const l2 =
      typeof config.l2 === "number"
        ? config.l2
        : chooseL2(design, outcome, armRows, { grid: config.l2Grid ?? DEFAULT_L2_GRID, folds: config.folds ?? 5, binary });
    outcomeL2.push(l2);
    return binary ? fitLogistic(design, outcome, { l2, rows: armRows }) : fitRidge(design, outcome, { l2, rows: armRows });
  });
  const propensityModels = fitAssignment(design, treatment, arms.length, { l2: propensityL2 });
  return {
    kind: "t-learner",
    formatVersion: BASELINE_FORMAT_VERSION,
    schema,
    encoder,
    outcomeL2,
    propensityL2,
    outcomeModels,
    propensityModels,
  };
}

/** Expected outcome and propensity per row and arm (arms in the schema's order). */
export function predictBaseline(baseline: Baseline, rows: readonly Row[]): BaselinePredictions {
  const design = designOf(baseline, rows);
  const binary = baseline.schema.outcome.type === "binary";
  const expected: number[][] = [];
  const propensity: number[][] = [];
  for (let i = 0; i < rows.length; i++) {
    expected.push(
      baseline.outcomeModels.map((m) => {
        const z = linearPredictor(m, design, i);
        return binary ? 1 / (1 + Math.exp(-z)) : z;
      }),
    );
    const raw = baseline.propensityModels.map((m) => 1 / (1 + Math.exp(-linearPredictor(m, design, i))));
    const total = raw.reduce((s, p) => s + p, 0);
    propensity.push(raw.map((p) => (total > 0 ? p / total : 1 / raw.length)));
  }
  return { expected, propensity };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline)}\n`;
}

/** Parses and validates a saved baseline; the error says what is wrong. */
export function deserializeBaseline(text: string, where = "baseline.json"): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${where}: not valid JSON`, { cause: error });
  }
  const parsed = BaselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError(`${where}: invalid baseline at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const baseline = parsed.data;
  const arms = baseline.schema.treatment.arms.length;
  const width = baseline.encoder.width;
  for (const models of [baseline.outcomeModels, baseline.propensityModels]) {
    if (models.length !== arms || models.some((m) => m.weights.length !== width)) {
      throw new ModelError(`${where}: model sizes do not match the schema's ${arms} arms and ${width} encoded columns`);
    }
  }
  return baseline;
}
