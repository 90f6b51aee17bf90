import { z } from "zod";

/**
 * What `recommend` returns for one client, and what the app shows and stores.
 * Plain values only (no tensors), validated when read back from the database.
 */
export const ReasonSchema = z.object({
  /** Human feature group (werkverleden, schulden, gezondheid, ...). */
  group: z.string(),
  /** Signed contribution to the arm's gain over the control arm, in probability points (0..1 scale). */
  effect: z.number(),
});
export type Reason = z.infer<typeof ReasonSchema>;

/** One secondary outcome under this arm (e.g. problem debts after 12 months), from the bundle's secondary heads. */
export const SecondaryEffectSchema = z.object({
  /** The outcome's column in the configuration (e.g. "schulden_12m"). */
  outcome: z.string(),
  /** Chance of the outcome under this arm and its 95% interval. */
  expected: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** Difference against the control arm and its 95% interval (0..1 scale). */
  gain: z.number(),
  gainLower: z.number(),
  gainUpper: z.number(),
});
export type SecondaryEffect = z.infer<typeof SecondaryEffectSchema>;

/** How a secondary outcome counts: which way is better and its weight in the ranking (0 = not ranked on). */
export const SecondaryOutcomeSchema = z.object({
  outcome: z.string(),
  better: z.enum(["higher", "lower"]),
  weight: z.number().min(0),
});
export type SecondaryOutcome = z.infer<typeof SecondaryOutcomeSchema>;

export const ArmAdviceSchema = z.object({
  arm: z.string(),
  /** Rank among eligible arms, 1 = recommended; null for ineligible arms. */
  rank: z.number().int().positive().nullable(),
  eligible: z.boolean(),
  /** The eligibility rule that excluded this arm, in plain words; null when eligible. */
  excludedBy: z.string().nullable(),
  /** Expected outcome under this arm (chance of work within 12 months for a binary outcome), ensemble mean. */
  expected: z.number(),
  /** 80% interval of the expected outcome. */
  lower: z.number(),
  upper: z.number(),
  /** Gain over the control arm and its 80% interval. */
  gain: z.number(),
  gainLower: z.number(),
  gainUpper: z.number(),
  /** Propensity: how usual this arm was historically for clients like this one. */
  propensity: z.number(),
  /** Comparable training clients that got this arm; null when fewer than 10 (never shown then). */
  comparableClients: z.number().int().min(10).nullable(),
  lowEvidence: z.boolean(),
  /** Top reasons for this arm's gain over the control arm, largest |effect| first. */
  reasons: z.array(ReasonSchema),
  /** Secondary outcomes under this arm; absent for a bundle without secondary heads (or advice stored before them). */
  secondary: z.array(SecondaryEffectSchema).optional(),
});
export type ArmAdvice = z.infer<typeof ArmAdviceSchema>;

export const WhatIfSchema = z.object({
  /** Key of the changeable fact, e.g. "schulden_opgelost", "taaleis_voldaan". */
  key: z.string(),
  /** Expected outcome per arm with the fact changed. */
  expected: z.record(z.string(), z.number()),
});
export type WhatIf = z.infer<typeof WhatIfSchema>;

export const RecommendationResultSchema = z.object({
  modelVersion: z.string(),
  outcomeType: z.enum(["binary", "continuous"]),
  control: z.string(),
  /** Eligible arms by rank, then ineligible arms. */
  arms: z.array(ArmAdviceSchema),
  /**
   * False when the model's own validation on its training data could not show that following its
   * first choice beats what case workers chose without it: the ranking is then information, not
   * advice (no recommended trajectory, none pre-selected). Absent (results stored before this
   * existed, or built without a bundle) means advice.
   */
  advise: z.boolean().optional(),
  whatIfs: z.array(WhatIfSchema),
  /**
   * The secondary outcomes the arms carry figures for, in order, with their weights: the ranking
   * score is expected work + Σ weight × gain (the gain's sign flipped where lower is better).
   */
  secondaryOutcomes: z.array(SecondaryOutcomeSchema).optional(),
  /**
   * How the advice was shown (model/recommend/explore.ts): the arm shown first, whether the order was
   * varied among tied first arms, and each such arm's probability of being shown first (summing to 1).
   * Absent in advice stored before it was recorded.
   */
  shown: z
    .object({
      /** The arm the model ranked first (the policy the dashboard evaluates). */
      ranked: z.string(),
      first: z.string(),
      varied: z.boolean(),
      probabilities: z.record(z.string(), z.number().min(0).max(1)),
    })
    .optional(),
});
export type RecommendationResult = z.infer<typeof RecommendationResultSchema>;
