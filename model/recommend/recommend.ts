import type { Bundle } from "../bundle/bundle.js";
import { comparableClients } from "../bundle/reference.js";
import { SchemaError } from "../errors.js";
import { integratedGradients, topReasons } from "../explain/integrated-gradients.js";
import { DEFAULT_WHAT_IFS, type WhatIfRule, whatIfRows } from "../explain/what-if.js";
import { predictEnsemble } from "../network/ensemble.js";
import type { ArmAdvice, RecommendationResult } from "../recommendation.js";
import { encodeRows, validateClient } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import { applicableRules, eligibility } from "./eligibility.js";
import { type Policy, type PolicyOptions, PolicyOptionsSchema, rankArms } from "./policy.js";

export type RecommendOptions = PolicyOptions & {
  /** Integrated-gradients explanations (reasons); default true. */
  explain?: boolean;
  /** Integrated-gradients path points per ensemble member (staggered across members); default 6. */
  steps?: number;
  /** Reasons per arm; default 5. */
  topReasons?: number;
  /** What-ifs to compute; default: debts resolved, language requirement met, a completed training. */
  whatIfs?: WhatIfRule[];
  /**
   * A secondary objective from another bundle trained on the same features (e.g. care need
   * after 12 months, `wmo_12m`): score = expected − weight · secondary expected.
   * Use a negative weight for an outcome that should be high.
   */
  secondary?: { bundle: Bundle; weight: number };
};

export function resolvePolicy(options: PolicyOptions | undefined): Policy {
  const parsed = PolicyOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SchemaError(`recommend options: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Ranked, explained advice for one client. Synchronous: all tensor work is inside tf.tidy
 * and only plain values come out. Throws SchemaError when the client does not match the
 * schema's features (the message names the field).
 */
export function recommend(bundle: Bundle, client: Record<string, unknown>, options: RecommendOptions = {}): RecommendationResult {
  const policy = resolvePolicy(options);
  const { schema, encoder, ensemble } = bundle;
  const row = validateClient(schema, client);
  const arms = schema.treatment.arms;
  const K = arms.length;
  const whatIfs = whatIfRows(schema, options.whatIfs ?? DEFAULT_WHAT_IFS, row);
  const rows: Row[] = [row, ...whatIfs.map((w) => w.row)];
  const x = encodeRows(encoder, rows);
  const pred = predictEnsemble(ensemble, x, rows.length);
  const explain = options.explain ?? true;
  const attribution = explain
    ? integratedGradients({ ensemble, encoder, x: x.subarray(0, encoder.width), ...(options.steps ? { steps: options.steps } : {}) })
    : null;
  const excluded = eligibility(schema, applicableRules(schema, policy.rules), row);
  const comparable = comparableClients(bundle.reference, encoder, row);
  let secondary: Float32Array | null = null;
  if (options.secondary) {
    const s = options.secondary.bundle;
    const sx = encodeRows(s.encoder, [validateClient(s.schema, client)]);
    const sp = predictEnsemble(s.ensemble, sx, 1);
    secondary = Float32Array.from(arms, (arm) => {
      const j = sp.arms.indexOf(arm);
      return j < 0 ? 0 : (sp.mean[j] ?? 0);
    });
  }
  const advice: ArmAdvice[] = arms.map((arm, k) => {
    const propensity = pred.propensity[k] ?? 0;
    const count = comparable[arm] ?? null;
    const comparableClientsShown = count !== null && count >= Math.max(10, policy.minComparable) ? count : null;
    return {
      arm,
      rank: null,
      eligible: excluded[arm] === null,
      excludedBy: excluded[arm] ?? null,
      expected: pred.mean[k] ?? 0,
      lower: pred.lower[k] ?? 0,
      upper: pred.upper[k] ?? 0,
      gain: pred.gain[k] ?? 0,
      gainLower: pred.gainLower[k] ?? 0,
      gainUpper: pred.gainUpper[k] ?? 0,
      propensity,
      comparableClients: comparableClientsShown,
      lowEvidence: propensity < policy.minPropensity || comparableClientsShown === null,
      reasons: attribution ? topReasons(attribution.gain[arm] ?? {}, options.topReasons ?? 5) : [],
    };
  });
  const scores = advice.map((a, k) => ({
    arm: a.arm,
    eligible: a.eligible,
    lowEvidence: a.lowEvidence,
    score:
      a.expected -
      policy.costWeight * (policy.costs?.[a.arm] ?? 0) -
      (options.secondary ? options.secondary.weight * (secondary?.[k] ?? 0) : 0),
  }));
  const ranks = rankArms(scores);
  for (const a of advice) a.rank = ranks.get(a.arm) ?? null;
  advice.sort((a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY));
  return {
    modelVersion: bundle.version,
    outcomeType: schema.outcome.type,
    control: schema.treatment.control,
    arms: advice,
    whatIfs: whatIfs.map((w, i) => ({
      key: w.key,
      expected: Object.fromEntries(arms.map((arm, k) => [arm, pred.mean[(i + 1) * K + k] ?? 0])),
    })),
  };
}

/** Grouped integrated-gradients attributions of every arm's expected outcome and gain, for one client. */
export function explainClient(
  bundle: Bundle,
  client: Record<string, unknown>,
  options: { steps?: number } = {},
): ReturnType<typeof integratedGradients> {
  const row = validateClient(bundle.schema, client);
  const x = encodeRows(bundle.encoder, [row]);
  return integratedGradients({ ensemble: bundle.ensemble, encoder: bundle.encoder, x, ...(options.steps ? { steps: options.steps } : {}) });
}
