import { apiJson, handleApiRequest, type HandlerArgs, problem, readJsonBody, requireApiUser } from "~/utils/api.server";
import { explainApiIssue, RecommendationRequestSchema } from "~/utils/api-schemas";
import { audit } from "~/utils/audit.server";
import { recommendForClient } from "~/utils/predictor.server";

/**
 * POST /api/v1/recommendations {"profile": {...}}: ranked, explained trajectories for a profile
 * from a case management system. Nothing about the client is stored; the call is audited.
 */
export const loader = (args: HandlerArgs) => handleApiRequest(args, { POST });
export const action = (args: HandlerArgs) => handleApiRequest(args, { POST });

async function POST({ request }: HandlerArgs) {
  const user = await requireApiUser(request, ["caseworker"]);
  const body = await readJsonBody(request, RecommendationRequestSchema, explainApiIssue);
  const result = await recommendForClient(body.profile);
  if (!result) return problem({ status: 503, detail: "No model is active yet." });
  await audit({ actorId: user.id, action: "api.recommendation", object: `model:${result.modelVersion}`, result: "ok", request });
  return apiJson(result);
}
