import type { RecommendationResult } from "../../model/recommendation";
import { getDb } from "~/utils/db.server";

/** Stores what was shown, with the model version, so advice quality can be judged later. */
export async function recordShownRecommendation({ clientId, result }: { clientId: string; result: RecommendationResult }) {
  return getDb().recommendation.create({
    data: { clientId, modelVersion: result.modelVersion, resultJson: JSON.stringify(result) },
    select: { id: true },
  });
}
