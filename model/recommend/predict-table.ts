import type { Bundle } from "../bundle/bundle.js";
import { cellKey } from "../bundle/reference.js";
import { encodeRows } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import { secondaryAdvice, secondaryOutcomesOf } from "../secondary/advice.js";
import { applicableRules, eligibility, eligibilityRules } from "./eligibility.js";
import { type PolicyOptions, topArm } from "./policy.js";
import { resolvePolicy } from "./recommend.js";

/**
 * Predictions for a whole table. Matrices are per row, then per arm in `arms` order
 * (`mean[i][k]` = expected outcome of row i under arm k).
 */
export type TablePrediction = {
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  /** Row ids: the schema's id column, else the row number from 0. */
  ids: string[];
  /** Ensemble mean of the calibrated expected outcome. */
  mean: number[][];
  /** 80% interval (10th / 90th percentile over ensemble members). */
  lower: number[][];
  upper: number[][];
  /** Gain over the control arm (mean and 80% interval over members). */
  gain: number[][];
  gainLower: number[][];
  gainUpper: number[][];
  /** Propensity: the ensemble's probability that such a client got each arm. */
  propensity: number[][];
  /** The arm `recommend` would rank first (eligibility rules, low-evidence arms never first). */
  rec: string[];
  /** The arm with the highest expected outcome, ignoring eligibility and evidence. */
  recArgmax: string[];
};

/**
 * Predicts every arm for every row. Rows are plain records (CSV strings or numbers); only the
 * schema's features are read (never truth, audit, treatment or outcome columns). Unknown
 * categories map to "unknown", missing numbers are imputed and flagged: it never throws on values.
 */
export function predictTable(bundle: Bundle, rows: readonly Row[], options: PolicyOptions = {}): TablePrediction {
  const policy = resolvePolicy(options);
  const { schema, encoder } = bundle;
  const arms = schema.treatment.arms;
  const K = arms.length;
  const n = rows.length;
  const pred = bundle.learner.predict(encodeRows(encoder, rows), n);
  const rules = applicableRules(schema, policy.rules ?? eligibilityRules(bundle.catalogue));
  const matrix = (values: Float32Array): number[][] => {
    const out: number[][] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = Array.from(values.subarray(i * K, (i + 1) * K));
    return out;
  };
  const costs = Float64Array.from(arms, (arm) => policy.costWeight * (policy.costs?.[arm] ?? 0));
  // The catalogue's weights for outcomes beyond work enter `rec` as they enter the advice (recommend).
  const weighsSecondary = bundle.secondary !== null && secondaryOutcomesOf(bundle.secondary, bundle.catalogue).some((o) => o.weight !== 0);
  const rec: string[] = new Array(n);
  const recArgmax: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] ?? {};
    const excluded = rules.length > 0 ? eligibility(schema, rules, row) : null;
    const cell = bundle.reference.cells[cellKey(encoder, bundle.reference.cellFeatures, row)];
    // The one ranking rule (rankArms): the best well-supported eligible arm, else the best eligible arm.
    let best = 0;
    const secondaryScore = weighsSecondary ? secondaryAdvice(bundle, row)?.score : undefined;
    const scores = arms.map((arm, k) => {
      const expected = pred.mean[i * K + k] ?? 0;
      if (expected > (pred.mean[i * K + best] ?? 0)) best = k;
      const count = cell?.[arm] ?? null;
      return {
        arm,
        eligible: !excluded || excluded[arm] === null,
        lowEvidence: (pred.propensity[i * K + k] ?? 0) < policy.minPropensity || count === null || count < policy.minComparable,
        score: expected - (costs[k] ?? 0) + (secondaryScore?.[k] ?? 0),
      };
    });
    rec[i] = topArm(scores) ?? schema.treatment.control;
    recArgmax[i] = arms[best] ?? schema.treatment.control;
  }
  const idColumn = schema.id;
  return {
    arms,
    control: schema.treatment.control,
    outcomeType: schema.outcome.type,
    ids: rows.map((row, i) => (idColumn ? String(row[idColumn] ?? i) : String(i))),
    mean: matrix(pred.mean),
    lower: matrix(pred.lower),
    upper: matrix(pred.upper),
    gain: matrix(pred.gain),
    gainLower: matrix(pred.gainLower),
    gainUpper: matrix(pred.gainUpper),
    propensity: matrix(pred.propensity),
    rec,
    recArgmax,
  };
}
