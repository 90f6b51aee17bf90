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
  whatIfs: z.array(WhatIfSchema),
});
export type RecommendationResult = z.infer<typeof RecommendationResultSchema>;
