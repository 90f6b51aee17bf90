import { apiJson, handleApiRequest, type HandlerArgs, problem, readJsonBody, requireApiUser } from "~/utils/api/api.server";
import { apiSchemasFor, explainApiIssue } from "~/utils/api/api-schemas";
import { audit } from "~/utils/audit.server";
import { getServingCatalogue, recommendForClient } from "~/utils/registry/predictor.server";

/**
 * POST /api/v1/recommendations {"profile": {...}}: ranked, explained trajectories for a profile
 * from a case management system. Nothing about the client is stored; the call is audited.
 */
export const loader = (args: HandlerArgs) => handleApiRequest(args, { POST });
export const action = (args: HandlerArgs) => handleApiRequest(args, { POST });

async function POST({ request }: HandlerArgs) {
  const user = await requireApiUser(request, ["caseworker"], "recommend");
  // The profile in the active model's terms (its catalogue's features, values and ranges).
  const schemas = apiSchemasFor(await getServingCatalogue());
  const body = await readJsonBody(request, schemas.recommendationRequest, explainApiIssue);
  const result = await recommendForClient(body.profile);
  if (!result) return problem({ status: 503, detail: "No model is active yet." });
  await audit({ actorId: user.id, action: "api.recommendation", object: `model:${result.modelVersion}`, result: "ok", request });
  return apiJson(result);
}
