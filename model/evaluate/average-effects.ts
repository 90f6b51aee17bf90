import { aipwEffects } from "../causal/aipw.js";
import { crossFitNuisance } from "../learners/cross-fit.js";
import type { Estimate } from "../metrics/bootstrap.js";
import type { Matrix } from "../metrics/policy.js";
import type { Encoder } from "../table/encoder.js";
import { encodeRows } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * Average effects per arm against the control arm on the evaluated table: the doubly robust
 * (AIPW, model/causal/aipw.ts) estimate with its 95% interval, over everyone (ATE) and over those
 * who received the arm (ATT), next to the model's own average of its predicted gains over the same
 * rows. The AIPW nuisance is fitted on the evaluated table itself, cross-fitted (t-linear outcome
 * model and logistic propensities on the bundle's encoding), so it does not lean on the model
 * being evaluated: a model whose average gain lies outside the AIPW interval is biased there.
 */
export type AverageEffect = {
  arm: string;
  /** Rows that received the arm. */
  n: number;
  model: { ate: number; att: number | null };
  aipw: { ate: Estimate; att: Estimate | null };
  /** Share of rows with too little overlap (propensity under 0.05 for the arm or the control). */
  limitedOverlap: number;
};

export function averageEffects(options: {
  schema: TableSchema;
  encoder: Encoder;
  rows: readonly Row[];
  treatment: readonly number[];
  outcome: readonly number[];
  /** The model's expected outcomes, rows × arms. */
  expected: Matrix;
  folds?: number;
  seed?: number;
}): AverageEffect[] {
  const { schema, treatment } = options;
  const arms = schema.treatment.arms;
  const K = arms.length;
  const c = arms.indexOf(schema.treatment.control);
  const n = options.rows.length;
  const data = {
    x: encodeRows(options.encoder, options.rows),
    inputs: options.encoder.width,
    treatment: Int32Array.from(treatment),
    outcome: Float32Array.from(options.outcome),
  };
  const nuisance = crossFitNuisance(data, {
    rows: Int32Array.from({ length: n }, (_, i) => i),
    folds: options.folds ?? 3,
    seed: options.seed ?? 1,
    arms,
    control: schema.treatment.control,
    outcomeType: schema.outcome.type,
    encoder: options.encoder,
  });
  const matrix = (values: Float64Array): number[][] => Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * K, (i + 1) * K)));
  const result = aipwEffects({
    outcome: options.outcome,
    treatment,
    propensity: matrix(nuisance.propensity),
    predicted: matrix(nuisance.mu),
    control: c,
  });
  return result.effects.map((effect) => {
    const k = effect.arm;
    let ate = 0;
    let att = 0;
    let treated = 0;
    for (let i = 0; i < n; i++) {
      const gain = (options.expected[i]?.[k] ?? 0) - (options.expected[i]?.[c] ?? 0);
      ate += gain / n;
      if (treatment[i] === k) {
        att += gain;
        treated++;
      }
    }
    return {
      arm: arms[k] ?? String(k),
      n: effect.nArm,
      model: { ate, att: treated > 0 ? att / treated : null },
      aipw: { ate: effect.ate, att: effect.att },
      limitedOverlap: effect.limitedOverlap,
    };
  });
}

const signed = (v: number | null, digits = 3): string => (v === null ? "–" : `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`);

/** The table `evaluate` prints. */
export function formatAverageEffects(effects: readonly AverageEffect[], modelName: string): string {
  const lines = [
    "",
    `Average effect against the control arm: ${modelName}'s own average next to the AIPW estimate (95% interval) on this table`,
    "",
    "| arm | rows | model ATE | AIPW ATE (95%) | model ATT | AIPW ATT (95%) |",
    "|---|---|---|---|---|---|",
  ];
  for (const e of effects) {
    const ci = (x: Estimate | null) => (x === null ? "–" : `${signed(x.value)} (${signed(x.lower95)} to ${signed(x.upper95)})`);
    lines.push(`| ${e.arm} | ${e.n} | ${signed(e.model.ate)} | ${ci(e.aipw.ate)} | ${signed(e.model.att)} | ${ci(e.aipw.att)} |`);
  }
  return `${lines.join("\n")}\n`;
}
