import { z } from "zod";
import { EligibilityRuleSchema } from "./eligibility.js";

/** How arms are ranked: settings with defaults, shared by `recommend` and `predictTable`'s `rec`. */
export const PolicyOptionsSchema = z.object({
  /** Eligibility rules; default: the bundle catalogue's. */
  rules: z.array(EligibilityRuleSchema).optional(),
  /** An arm whose propensity is below this is low-evidence. */
  minPropensity: z.number().min(0).max(1).default(0.05),
  /** An arm with fewer comparable training clients than this (in the client's cell) is low-evidence. */
  minComparable: z.number().int().min(10).default(10),
  /** Optional cost per arm (any unit) and its weight: score = expected − costWeight · cost. */
  costs: z.record(z.string(), z.number()).optional(),
  costWeight: z.number().min(0).default(0),
});
export type PolicyOptions = z.input<typeof PolicyOptionsSchema>;
export type Policy = z.output<typeof PolicyOptionsSchema>;

export type ArmScore = { arm: string; score: number; eligible: boolean; lowEvidence: boolean };

/**
 * Orders the eligible arms: arms with enough evidence by score, then low-evidence arms by
 * score, so a low-evidence arm is only first when every eligible arm is low-evidence.
 * Ties are broken by the arms' order in the schema. Returns arm → rank (null = ineligible).
 */
export function rankArms(scores: readonly ArmScore[]): Map<string, number | null> {
  const order = scores
    .map((s, i) => ({ ...s, i }))
    .filter((s) => s.eligible)
    .sort((a, b) => Number(a.lowEvidence) - Number(b.lowEvidence) || b.score - a.score || a.i - b.i);
  const ranks = new Map<string, number | null>(scores.map((s) => [s.arm, null]));
  order.forEach((s, r) => {
    ranks.set(s.arm, r + 1);
  });
  return ranks;
}

/** The first-ranked arm (see `rankArms`), or null when no arm is eligible. */
export function topArm(scores: readonly ArmScore[]): string | null {
  for (const [arm, rank] of rankArms(scores)) if (rank === 1) return arm;
  return null;
}
