import { ModelError } from "../errors.js";
import {
  argmaxRows,
  ateErrors,
  auc,
  brierScore,
  type CalibrationBin,
  calibrationTable,
  expectedCalibrationError,
  type Matrix,
  offPolicyValue,
  type PolicyDifference,
  type PolicyValue,
  policyDifference,
  sampleCurve,
  sqrtPehe,
  type TruePolicyValues,
  truePolicyValues,
  type UpliftPoint,
  upliftCurve,
} from "../metrics/index.js";
import { type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * Evaluation of one or more models' predictions on a labelled table (DESIGN.md, "Metrics"):
 * factual metrics per arm, uplift of the predicted gain per arm, off-policy value of the
 * recommendation, and — when the schema names truth columns — error against the ground truth.
 * Plain arrays in, a JSON-ready report out; models are compared side by side.
 */
export type ArmPredictions = {
  /** Rows × arms (schema arm order): expected outcome under each arm. */
  expected: Matrix;
  /** Rows × arms: estimated probability of receiving each arm. */
  propensity: Matrix;
  /** Recommended arm index per row; the arm with the highest expected outcome when left out. */
  rec?: readonly number[];
  /** Rows × arms: 80% interval of the expected outcome, when the model gives one. */
  lower?: Matrix;
  upper?: Matrix;
  /** Rows × arms: 80% interval of the gain over the control arm, when the model gives one. */
  gainLower?: Matrix;
  gainUpper?: Matrix;
};

export type EvaluationOptions = {
  /** Interval method of the off-policy values (default influence function). */
  interval?: "influence" | "bootstrap";
  replicates?: number;
  seed?: number;
  /** Propensity floor of the inverse propensity weights (default 0.01). */
  clip?: number;
};

export type ArmFactual = {
  arm: string;
  /** Rows that received this arm. */
  n: number;
  meanPredicted: number | null;
  observedMean: number | null;
  /** Binary outcomes only (null otherwise). */
  auc: number | null;
  brier: number | null;
  /** Expected calibration error, 10 equal-width bins on [0, 1]. */
  ece: number | null;
  /** Expected calibration error over deciles of the prediction (10 equal-mass bins). */
  eceDeciles: number | null;
  /**
   * With ground truth: the same ECE of the true chances against the observed outcomes of these rows,
   * i.e. the noise floor of `ece` on this many rows (a perfect model scores about this). Else null.
   */
  eceOfTruth: number | null;
  /** Continuous outcomes: root mean squared error (null for binary outcomes). */
  rmse: number | null;
  calibration: CalibrationBin[];
};

export type ArmUplift = {
  arm: string;
  /** Rows that received this arm or the control arm. */
  n: number;
  auuc: number;
  qini: number;
  /** Same curve, with rows weighted by 1 / propensity of their observed arm. */
  auucWeighted: number;
  qiniWeighted: number;
  curve: UpliftPoint[];
};

export type TruthReport = {
  sqrtPehe: number;
  sqrtPehePerArm: Record<string, number>;
  ate: Record<string, { predicted: number; true: number; error: number }>;
  /** Mean |ATE error| over the non-control arms. */
  meanAbsAteError: number;
  values: TruePolicyValues;
  /**
   * Per arm, expected calibration error of the prediction against the true expected outcome on every
   * row (10 equal-width bins): calibration without the sampling noise of observed 0/1 outcomes.
   */
  eceAgainstTruth: Record<string, number>;
  /** Share of rows where the model's 80% interval holds the true expected outcome, per arm. */
  intervalCoverage: Record<string, number> | null;
  /** Share of rows where the 80% interval of the gain holds the true gain over control, per non-control arm. */
  gainIntervalCoverage: Record<string, number> | null;
};

export type ModelReport = {
  name: string;
  /** Name of an earlier model in the report with the very same predictions (only the policy differs). */
  samePredictionsAs: string | null;
  rows: number;
  factual: ArmFactual[];
  uplift: ArmUplift[];
  /** Share of rows recommended each arm. */
  recommendationShares: Record<string, number>;
  /** Off-policy value of the recommendation (IPW, self-normalised IPW, doubly robust) with intervals. */
  policyValue: PolicyValue;
  /** Mean observed outcome: the value of the logged assignment. */
  observedValue: number;
  /** Paired off-policy estimate of V(rec) − V(observed assignment), with the model's own nuisance. */
  gainOverObserved: PolicyDifference;
  truth: TruthReport | null;
};

/** Paired off-policy difference of two models' recommendations on one common nuisance. */
export type PolicyComparison = {
  model: string;
  against: string;
  /** The model whose propensities and predictions serve as the nuisance of both estimates. */
  nuisance: string;
  difference: PolicyDifference;
  /** With ground truth: the true V(model's rec) − V(against's rec). */
  trueDifference: number | null;
};

export type EvaluationReport = {
  table: { rows: number; arms: string[]; control: string; outcome: string; outcomeType: "binary" | "continuous"; hasTruth: boolean };
  options: Required<Pick<EvaluationOptions, "interval" | "seed" | "clip">>;
  models: ModelReport[];
  /** The first model against every other model, paired, on the first model's nuisance. */
  comparisons: PolicyComparison[];
};

type LoggedData = { treatment: number[]; outcome: number[]; truth: number[][] | null };

/** Reads the observed arm, outcome and (when every truth column is present) the truth matrix. */
export function readLogged(schema: TableSchema, rows: readonly Row[]): LoggedData {
  const arms = schema.treatment.arms;
  const treatment = rows.map((row, i) => {
    const arm = String(row[schema.treatment.column] ?? "").trim();
    const index = arms.indexOf(arm);
    if (index < 0) throw new ModelError(`table line ${i + 2}: ${schema.treatment.column} = "${arm}" is not an arm of the schema`);
    return index;
  });
  const outcome = rows.map((row, i) => {
    const y = toNumber(row[schema.outcome.column]);
    if (y === null || Number.isNaN(y)) {
      throw new ModelError(`table line ${i + 2}: ${schema.outcome.column} = "${String(row[schema.outcome.column] ?? "")}" is not a number`);
    }
    if (schema.outcome.type === "binary" && y !== 0 && y !== 1) {
      throw new ModelError(`table line ${i + 2}: ${schema.outcome.column} = ${y} is not 0 or 1 (binary outcome)`);
    }
    return y;
  });
  const columns = schema.truth;
  let truth: number[][] | null = null;
  if (columns && arms.every((arm) => columns[arm] !== undefined) && rows.length > 0) {
    const names = arms.map((arm) => columns[arm] as string);
    if (names.every((name) => name in (rows[0] as Row))) {
      truth = rows.map((row, i) =>
        names.map((name) => {
          const v = toNumber(row[name]);
          if (v === null || Number.isNaN(v)) throw new ModelError(`table line ${i + 2}: truth column ${name} is not a number`);
          return v;
        }),
      );
    }
  }
  return { treatment, outcome, truth };
}

function checkMatrix(name: string, m: Matrix | undefined, rows: number, arms: number): void {
  if (!m) return;
  if (m.length !== rows || m.some((r) => r.length !== arms)) {
    throw new ModelError(`${name}: expected ${rows} rows × ${arms} arms`);
  }
}

const meanOf = (values: readonly number[]): number | null =>
  values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;

/** Evaluates one model's predictions on the logged table. */
export function evaluatePredictions(input: {
  name: string;
  schema: TableSchema;
  logged: LoggedData;
  predictions: ArmPredictions;
  options?: EvaluationOptions;
}): ModelReport {
  const { name, schema, logged, predictions } = input;
  const options = input.options ?? {};
  const arms = schema.treatment.arms;
  const K = arms.length;
  const n = logged.treatment.length;
  const control = arms.indexOf(schema.treatment.control);
  checkMatrix(`${name} expected`, predictions.expected, n, K);
  checkMatrix(`${name} propensity`, predictions.propensity, n, K);
  checkMatrix(`${name} lower`, predictions.lower, n, K);
  checkMatrix(`${name} upper`, predictions.upper, n, K);
  const rec = predictions.rec ? [...predictions.rec] : argmaxRows(predictions.expected);
  if (rec.length !== n) throw new ModelError(`${name} rec: expected ${n} rows`);
  const binary = schema.outcome.type === "binary";
  const clip = options.clip ?? 0.01;

  const factual: ArmFactual[] = arms.map((arm, a) => {
    const predicted: number[] = [];
    const observed: number[] = [];
    const trueChance: number[] = [];
    logged.treatment.forEach((t, i) => {
      if (t !== a) return;
      predicted.push(predictions.expected[i]?.[a] as number);
      observed.push(logged.outcome[i] as number);
      if (logged.truth) trueChance.push(logged.truth[i]?.[a] as number);
    });
    const rmse =
      !binary && predicted.length
        ? Math.sqrt(predicted.reduce((s, p, i) => s + (p - (observed[i] as number)) ** 2, 0) / predicted.length)
        : null;
    return {
      arm,
      n: predicted.length,
      meanPredicted: meanOf(predicted),
      observedMean: meanOf(observed),
      auc: binary ? auc(predicted, observed) : null,
      brier: binary ? brierScore(predicted, observed) : null,
      ece: binary ? expectedCalibrationError(predicted, observed) : null,
      eceDeciles: binary ? expectedCalibrationError(predicted, observed, { strategy: "equal-mass" }) : null,
      eceOfTruth: binary && logged.truth ? expectedCalibrationError(trueChance, observed) : null,
      rmse,
      calibration: binary && predicted.length ? calibrationTable(predicted, observed) : [],
    };
  });

  const weightOf = (i: number): number => {
    const t = logged.treatment[i] as number;
    return 1 / Math.max(predictions.propensity[i]?.[t] ?? 0, clip);
  };
  const uplift: ArmUplift[] = [];
  arms.forEach((arm, a) => {
    if (a === control) return;
    const gain: number[] = [];
    const outcome: number[] = [];
    const treated: boolean[] = [];
    const weights: number[] = [];
    logged.treatment.forEach((t, i) => {
      if (t !== a && t !== control) return;
      const row = predictions.expected[i] as readonly number[];
      gain.push((row[a] as number) - (row[control] as number));
      outcome.push(logged.outcome[i] as number);
      treated.push(t === a);
      weights.push(weightOf(i));
    });
    if (gain.length === 0) return;
    const plain = upliftCurve({ gain, outcome, treated });
    const weighted = upliftCurve({ gain, outcome, treated, weights });
    uplift.push({
      arm,
      n: plain.n,
      auuc: plain.auuc,
      qini: plain.qini,
      auucWeighted: weighted.auuc,
      qiniWeighted: weighted.qini,
      curve: sampleCurve(plain.points, 10),
    });
  });

  const recommendationShares = Object.fromEntries(
    arms.map((arm, a) => [arm, rec.filter((r) => r === a).length / Math.max(n, 1)]),
  );
  const offPolicy = {
    treatment: logged.treatment,
    outcome: logged.outcome,
    propensity: predictions.propensity,
    policy: rec,
    predicted: predictions.expected,
    clip,
  };
  const intervalOptions = { interval: options.interval ?? "influence", replicates: options.replicates, seed: options.seed ?? 1 };
  const policyValue = offPolicyValue(offPolicy, intervalOptions);
  const gainOverObserved = policyDifference(offPolicy, "observed", intervalOptions);

  let truth: TruthReport | null = null;
  if (logged.truth) {
    const t = logged.truth;
    const pehe = sqrtPehe({ predicted: predictions.expected, truth: logged.truth, control });
    const ate = ateErrors({ predicted: predictions.expected, truth: logged.truth, control });
    const ateByArm: TruthReport["ate"] = {};
    const peheByArm: Record<string, number> = {};
    let absSum = 0;
    arms.forEach((arm, a) => {
      const e = ate[a];
      const p = pehe.perArm[a];
      if (e) {
        ateByArm[arm] = e;
        absSum += Math.abs(e.error);
      }
      if (p !== null && p !== undefined) peheByArm[arm] = p;
    });
    const coverage = (lower: Matrix | undefined, upper: Matrix | undefined, value: (i: number, a: number) => number, which: string[]) =>
      lower && upper
        ? Object.fromEntries(
            which.map((arm) => {
              const a = arms.indexOf(arm);
              let inside = 0;
              for (let i = 0; i < n; i++) {
                const v = value(i, a);
                if (v >= (lower[i]?.[a] as number) && v <= (upper[i]?.[a] as number)) inside++;
              }
              return [arm, inside / Math.max(n, 1)];
            }),
          )
        : null;
    const trueValue = (i: number, a: number) => t[i]?.[a] as number;
    const intervalCoverage = coverage(predictions.lower, predictions.upper, trueValue, arms);
    const gainIntervalCoverage = coverage(
      predictions.gainLower,
      predictions.gainUpper,
      (i, a) => trueValue(i, a) - trueValue(i, control),
      arms.filter((_, a) => a !== control),
    );
    const eceAgainstTruth = Object.fromEntries(
      arms.map((arm, a) => [
        arm,
        expectedCalibrationError(
          predictions.expected.map((r) => r[a] as number),
          t.map((r) => r[a] as number),
        ) ?? 0,
      ]),
    );
    truth = {
      sqrtPehe: pehe.overall,
      eceAgainstTruth,
      sqrtPehePerArm: peheByArm,
      ate: ateByArm,
      meanAbsAteError: absSum / Math.max(K - 1, 1),
      values: truePolicyValues({ truth: logged.truth, policy: rec, treatment: logged.treatment }),
      intervalCoverage,
      gainIntervalCoverage,
    };
  }

  return {
    name,
    samePredictionsAs: null,
    rows: n,
    factual,
    uplift,
    recommendationShares,
    policyValue,
    observedValue: meanOf(logged.outcome) ?? 0,
    gainOverObserved,
    truth,
  };
}

/** Evaluates several models on the same table, side by side (e.g. the network and the T-learner). */
export function evaluateModels(input: {
  schema: TableSchema;
  rows: readonly Row[];
  models: readonly { name: string; predictions: ArmPredictions }[];
  options?: EvaluationOptions;
}): EvaluationReport {
  const { schema, rows } = input;
  if (rows.length === 0) throw new ModelError("the evaluation table is empty");
  const options = input.options ?? {};
  const logged = readLogged(schema, rows);
  const models = input.models.map((m, index) => {
    const earlier = input.models.slice(0, index).find((o) => o.predictions.expected === m.predictions.expected);
    const report = evaluatePredictions({ name: m.name, schema, logged, predictions: m.predictions, options });
    return { ...report, samePredictionsAs: earlier?.name ?? null };
  });
  const first = input.models[0];
  const comparisons: PolicyComparison[] = [];
  if (first) {
    const recOf = (p: ArmPredictions): number[] => (p.rec ? [...p.rec] : argmaxRows(p.expected));
    const base = {
      treatment: logged.treatment,
      outcome: logged.outcome,
      propensity: first.predictions.propensity,
      predicted: first.predictions.expected,
      policy: recOf(first.predictions),
      clip: options.clip ?? 0.01,
    };
    input.models.slice(1).forEach((other, k) => {
      const difference = policyDifference(base, recOf(other.predictions), {
        interval: options.interval ?? "influence",
        replicates: options.replicates,
        seed: options.seed ?? 1,
      });
      const a = models[0]?.truth?.values.policy;
      const b = models[k + 1]?.truth?.values.policy;
      comparisons.push({
        model: first.name,
        against: other.name,
        nuisance: first.name,
        difference,
        trueDifference: a !== undefined && b !== undefined ? a - b : null,
      });
    });
  }
  return {
    table: {
      rows: rows.length,
      arms: [...schema.treatment.arms],
      control: schema.treatment.control,
      outcome: schema.outcome.column,
      outcomeType: schema.outcome.type,
      hasTruth: logged.truth !== null,
    },
    options: { interval: options.interval ?? "influence", seed: options.seed ?? 1, clip: options.clip ?? 0.01 },
    models,
    comparisons,
  };
}

/** Row-major n × K array (as the network's predictions come) to a rows × arms matrix. */
export function toMatrix(values: ArrayLike<number>, arms: number): number[][] {
  const n = Math.floor(values.length / arms);
  const out: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(arms);
    for (let k = 0; k < arms; k++) row[k] = values[i * arms + k] as number;
    out[i] = row;
  }
  return out;
}
