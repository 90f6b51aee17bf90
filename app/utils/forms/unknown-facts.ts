import type { Catalogue, FeatureConfig } from "../../../model/config/municipality";
import type { RecommendationResult } from "../../../model/recommendation";

type Profile = Record<string, string | number | null>;

/**
 * Facts recorded as unknown (null where the catalogue allows it). The model imputes them and flags
 * them as missing; the advice page says which they are and how much each could matter.
 */
export function unknownFacts(catalogue: Catalogue, profile: Profile): string[] {
  return catalogue.features.filter((f) => f.unknownAllowed && profile[f.name] === null).map((f) => f.name);
}

/** The answers tried for an unknown fact: yes and no, every category, or the ends of a number's range (none without a range). */
export function possibleAnswers(feature: FeatureConfig): (string | number)[] {
  if (feature.type === "binary") return [0, 1];
  if (feature.type === "categorical") return feature.values?.map((v) => v.value) ?? [];
  return feature.range ? [...new Set(feature.range)] : [];
}

export type FactVariant = { feature: string; value: string | number; profile: Profile };

/** One profile per unknown fact and possible answer, every other fact as recorded (at most `limit` in all). */
export function unknownFactVariants(catalogue: Catalogue, profile: Profile, limit = 24): FactVariant[] {
  const variants: FactVariant[] = [];
  for (const name of unknownFacts(catalogue, profile)) {
    const feature = catalogue.features.find((f) => f.name === name);
    if (!feature) continue;
    for (const value of possibleAnswers(feature)) variants.push({ feature: name, value, profile: { ...profile, [name]: value } });
  }
  return variants.slice(0, limit);
}

export type FactImpact = {
  feature: string;
  /** Lowest and highest chance under the advised (rank 1) trajectory over the possible answers. */
  low: number;
  high: number;
  /** Whether some answer puts another trajectory first. */
  adviceChanges: boolean;
};

/**
 * How much each unknown fact matters: the range of the advised trajectory's chance when the fact is
 * set to each of its possible answers (the model's own predictions), largest range first.
 */
export function unknownFactImpact(base: RecommendationResult, answered: readonly { feature: string; result: RecommendationResult }[]): FactImpact[] {
  const top = base.arms.find((a) => a.rank === 1);
  if (!top) return [];
  const byFeature = new Map<string, FactImpact>();
  for (const { feature, result } of answered) {
    const chance = result.arms.find((a) => a.arm === top.arm)?.expected ?? top.expected;
    const first = result.arms.find((a) => a.rank === 1)?.arm;
    const seen = byFeature.get(feature) ?? { feature, low: chance, high: chance, adviceChanges: false };
    byFeature.set(feature, {
      feature,
      low: Math.min(seen.low, chance),
      high: Math.max(seen.high, chance),
      adviceChanges: seen.adviceChanges || (first !== undefined && first !== top.arm),
    });
  }
  return [...byFeature.values()].sort((a, b) => b.high - b.low - (a.high - a.low));
}
