import type { RecommendationResult } from "../../model/recommendation";
import { getDb } from "~/utils/db.server";

/** Variants that show the advice for the client's own profile: the page ("") and the API ("api"); any other is a what-if. */
export const OWN_PROFILE_VARIANTS: readonly string[] = ["", "api"];

export function isWhatIfVariant(variant: string): boolean {
  return !OWN_PROFILE_VARIANTS.includes(variant);
}

/** Stores what was shown, with the model version, so advice quality can be judged later. */
export async function recordShownRecommendation({ clientId, result, variant }: { clientId: string; result: RecommendationResult; variant: string }) {
  const topArm = result.arms.find((a) => a.rank === 1)?.arm ?? null;
  return getDb().recommendation.create({
    data: { clientId, modelVersion: result.modelVersion, resultJson: JSON.stringify(result), topArm, variant },
    select: { id: true },
  });
}
