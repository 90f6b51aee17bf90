import type { Bundle } from "../bundle/bundle.js";
import { comparableClients } from "../bundle/reference.js";
import { SchemaError } from "../errors.js";
import { type Attribution, topReasons } from "../explain/integrated-gradients.js";
import { whatIfsFor } from "../config/catalogue.js";
import { type WhatIfRule, whatIfRows } from "../explain/what-if.js";
import type { EnsemblePrediction } from "../network/ensemble.js";
import type { ArmAdvice, RecommendationResult } from "../recommendation.js";
import { secondaryAdvice } from "../secondary/advice.js";
import { encodeRows, validateClient } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import { applicableRules, eligibility, eligibilityRules } from "./eligibility.js";
import { type Policy, type PolicyOptions, PolicyOptionsSchema, rankArms } from "./policy.js";

export type RecommendOptions = PolicyOptions & {
  /** Integrated-gradients explanations (reasons); default true. */
  explain?: boolean;
  /** Integrated-gradients path points per ensemble member (staggered across members); default 6. */
  steps?: number;
  /** Reasons per arm; default 5. */
  topReasons?: number;
  /** What-ifs to compute; default: the bundle catalogue's (e.g. debts resolved, language requirement met). */
  whatIfs?: readonly WhatIfRule[];
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

/** One client's result in a batch: the advice, or the error that client's input gave. */
export type RecommendOutcome = { ok: true; result: RecommendationResult } | { ok: false; error: Error };

/**
 * Ranked, explained advice for one client. Synchronous: all tensor work is inside tf.tidy
 * and only plain values come out. Throws SchemaError when the client does not match the
 * schema's features (the message names the field).
 */
export function recommend(bundle: Bundle, client: Record<string, unknown>, options: RecommendOptions = {}): RecommendationResult {
  const [outcome] = recommendMany(bundle, [client], options);
  if (!outcome) throw new Error("recommend: no result");
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/**
 * The same for several clients at once: one prediction and one explanation pass for all of them
 * (a server thread answers the requests that queued while it worked in one batch). A client whose
 * input does not match the schema gets its own error; the others are unaffected.
 */
export function recommendMany(bundle: Bundle, clients: readonly Record<string, unknown>[], options: RecommendOptions = {}): RecommendOutcome[] {
  const policy = resolvePolicy(options);
  const { schema, encoder, learner } = bundle;
  const whatIfRules = options.whatIfs ?? whatIfsFor(bundle.catalogue);
  // Every valid client's own row and its what-if rows, one after another; `first` is where they start.
  const rows: Row[] = [];
  const prepared = clients.map((client) => {
    try {
      const row = validateClient(schema, client);
      const whatIfs = whatIfRows(schema, whatIfRules, row);
      const first = rows.length;
      rows.push(row, ...whatIfs.map((w) => w.row));
      return { ok: true as const, client, row, whatIfs, first };
    } catch (error) {
      return { ok: false as const, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  const D = encoder.width;
  const x = encodeRows(encoder, rows);
  const pred = learner.predict(x, rows.length);
  const valid = prepared.filter((p) => p.ok);
  const firstX = new Float32Array(valid.length * D);
  valid.forEach((p, i) => {
    firstX.set(x.subarray(p.first * D, (p.first + 1) * D), i * D);
  });
  const attributions =
    (options.explain ?? true) && valid.length > 0
      ? learner.attribute(firstX, valid.length, options.steps ? { steps: options.steps } : {})
      : [];
  const attributionOf = new Map(valid.map((p, i) => [p, attributions[i] ?? null]));
  return prepared.map((p): RecommendOutcome => {
    if (!p.ok) return { ok: false, error: p.error };
    return { ok: true, result: advise(bundle, policy, options, p.client, p.row, p.whatIfs, pred, p.first, attributionOf.get(p) ?? null) };
  });
}

/** One client's ranked advice from the batch's predictions (its rows start at `r`). */
function advise(
  bundle: Bundle,
  policy: Policy,
  options: RecommendOptions,
  client: Record<string, unknown>,
  row: Row,
  whatIfs: ReturnType<typeof whatIfRows>,
  pred: EnsemblePrediction,
  r: number,
  attribution: Attribution | null,
): RecommendationResult {
  const { schema, encoder } = bundle;
  const arms = schema.treatment.arms;
  const K = arms.length;
  const at = (values: Float32Array, k: number, offset = 0) => values[(r + offset) * K + k] ?? 0;
  const excluded = eligibility(schema, applicableRules(schema, policy.rules ?? eligibilityRules(bundle.catalogue)), row);
  const comparable = comparableClients(bundle.reference, encoder, row);
  const secondaryFigures = secondaryAdvice(bundle, row);
  let secondary: Float32Array | null = null;
  if (options.secondary) {
    const s = options.secondary.bundle;
    const sx = encodeRows(s.encoder, [validateClient(s.schema, client)]);
    const sp = s.learner.predict(sx, 1);
    secondary = Float32Array.from(arms, (arm) => {
      const j = sp.arms.indexOf(arm);
      return j < 0 ? 0 : (sp.mean[j] ?? 0);
    });
  }
  const advice: ArmAdvice[] = arms.map((arm, k) => {
    const propensity = at(pred.propensity, k);
    const count = comparable[arm] ?? null;
    const comparableClientsShown = count !== null && count >= Math.max(10, policy.minComparable) ? count : null;
    return {
      arm,
      rank: null,
      eligible: excluded[arm] === null,
      excludedBy: excluded[arm] ?? null,
      expected: at(pred.mean, k),
      lower: at(pred.lower, k),
      upper: at(pred.upper, k),
      gain: at(pred.gain, k),
      gainLower: at(pred.gainLower, k),
      gainUpper: at(pred.gainUpper, k),
      propensity,
      comparableClients: comparableClientsShown,
      lowEvidence: propensity < policy.minPropensity || comparableClientsShown === null,
      reasons: attribution ? topReasons(attribution.gain[arm] ?? {}, options.topReasons ?? 5) : [],
      ...(secondaryFigures ? { secondary: secondaryFigures.effects[k] ?? [] } : {}),
    };
  });
  const scores = advice.map((a, k) => ({
    arm: a.arm,
    eligible: a.eligible,
    lowEvidence: a.lowEvidence,
    score:
      a.expected -
      policy.costWeight * (policy.costs?.[a.arm] ?? 0) -
      (options.secondary ? options.secondary.weight * (secondary?.[k] ?? 0) : 0) +
      (secondaryFigures?.score[k] ?? 0),
  }));
  const ranks = rankArms(scores);
  for (const a of advice) a.rank = ranks.get(a.arm) ?? null;
  advice.sort((a, b) => (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY));
  return {
    modelVersion: bundle.version,
    outcomeType: schema.outcome.type,
    control: schema.treatment.control,
    arms: advice,
    advise: bundle.learnerFile?.validation?.advise ?? true,
    whatIfs: whatIfs.map((w, i) => ({
      key: w.key,
      expected: Object.fromEntries(arms.map((arm, k) => [arm, at(pred.mean, k, i + 1)])),
    })),
    ...(secondaryFigures ? { secondaryOutcomes: secondaryFigures.outcomes } : {}),
  };
}

/** Grouped integrated-gradients attributions of every arm's expected outcome and gain, for one client. */
export function explainClient(
  bundle: Bundle,
  client: Record<string, unknown>,
  options: { steps?: number } = {},
): Attribution {
  const row = validateClient(bundle.schema, client);
  const x = encodeRows(bundle.encoder, [row]);
  const [attribution] = bundle.learner.attribute(x, 1, options.steps ? { steps: options.steps } : {});
  if (!attribution) throw new Error("explainClient: no attribution");
  return attribution;
}
