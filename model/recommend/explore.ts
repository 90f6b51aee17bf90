import { randomInt } from "node:crypto";
import type { ArmAdvice, RecommendationResult } from "../recommendation.js";

/**
 * Keeping effects measurable: when the first-ranked trajectories are statistically
 * indistinguishable for a client, which of them is shown first can be varied at random, with the
 * probability of each recorded, so that later off-policy estimates rest on known probabilities
 * instead of estimated ones.
 *
 * The tie rule is the advice page's "not clearly better", applied between the first arm and each
 * other: the first is clearly better than another arm only when the lower end of its gain's 80%
 * interval lies above the upper end of the other's. Arms with low evidence, ineligible arms and
 * arms the first is clearly better than are never shown first by chance.
 */
export function tiedFirstArms(result: RecommendationResult): string[] {
  const ranked = result.arms.filter((a) => a.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const top = ranked[0];
  if (!top || top.lowEvidence) return top ? [top.arm] : [];
  return ranked.filter((a) => a === top || (!a.lowEvidence && !clearlyBetter(top, a))).map((a) => a.arm);
}

/** Whether `a`'s gain is clearly above `b`'s: their 80% intervals do not overlap. */
function clearlyBetter(a: ArmAdvice, b: ArmAdvice): boolean {
  return a.gainLower > b.gainUpper;
}

/**
 * The advice as it is shown: with `vary` off (the default setting) exactly as ranked, the first arm
 * with probability 1. With it on, one of the tied first arms is drawn uniformly (`pick(n)` returns
 * 0..n−1; crypto random by default) and moved to rank 1, the others keeping their order; `shown`
 * records every tied arm's probability of being shown first (they sum to 1).
 */
export function showAdvice(result: RecommendationResult, options: { vary: boolean; pick?: (n: number) => number }): RecommendationResult {
  const tied = options.vary ? tiedFirstArms(result) : (result.arms.filter((a) => a.rank === 1).map((a) => a.arm) as string[]);
  if (tied.length === 0) return result;
  const pick = options.pick ?? ((n: number) => randomInt(n));
  const chosen = tied.length === 1 ? (tied[0] as string) : (tied[Math.min(Math.max(Math.floor(pick(tied.length)), 0), tied.length - 1)] as string);
  const probabilities = Object.fromEntries(tied.map((arm) => [arm, 1 / tied.length]));
  const ranked = result.arms.filter((a) => a.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const order = [ranked.find((a) => a.arm === chosen), ...ranked.filter((a) => a.arm !== chosen)].filter((a): a is ArmAdvice => a !== undefined);
  const arms = [...order.map((a, i) => ({ ...a, rank: i + 1 })), ...result.arms.filter((a) => a.rank === null)];
  return { ...result, arms, shown: { ranked: ranked[0]?.arm ?? chosen, first: chosen, varied: tied.length > 1, probabilities } };
}
