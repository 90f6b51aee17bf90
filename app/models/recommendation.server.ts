import type { RecommendationResult } from "../../model/recommendation";
import { showAdvice } from "../../model/recommend/explore";
import { getKeepEffectsMeasurable } from "~/models/setting.server";
import { getDb } from "~/utils/db.server";

/** Variants that show the advice for the client's own profile: the page ("") and the API ("api"); any other is a what-if. */
export const OWN_PROFILE_VARIANTS: readonly string[] = ["", "api"];

export function isWhatIfVariant(variant: string): boolean {
  return !OWN_PROFILE_VARIANTS.includes(variant);
}

/**
 * Stores what was shown, with the model version, so advice quality can be judged later, and returns
 * the advice as it is to be shown. With the "keep effects measurable" setting on, the advice for the
 * client's own profile may show one of several tied first trajectories first, drawn at random
 * (model/recommend/explore.ts); a what-if never varies. The arm shown first and its probability are
 * stored (columns shownFirst, shownFirstProbability; every tied arm's probability in resultJson).
 */
export async function recordShownRecommendation({ clientId, result, variant }: { clientId: string; result: RecommendationResult; variant: string }) {
  const vary = !isWhatIfVariant(variant) && (await getKeepEffectsMeasurable()).on;
  const shown = showAdvice(result, { vary });
  const topArm = shown.arms.find((a) => a.rank === 1)?.arm ?? null;
  const first = shown.shown?.first ?? null;
  const row = await getDb().recommendation.create({
    data: {
      clientId,
      modelVersion: shown.modelVersion,
      resultJson: JSON.stringify(shown),
      topArm,
      variant,
      shownFirst: first,
      shownFirstProbability: first === null ? null : (shown.shown?.probabilities[first] ?? null),
    },
    select: { id: true },
  });
  return { id: row.id, result: shown };
}
