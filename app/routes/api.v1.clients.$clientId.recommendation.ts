import { getClient } from "~/models/client.server";
import { recordShownRecommendation } from "~/models/recommendation.server";
import { apiJson, handleApiRequest, type HandlerArgs, problem, requireApiUser } from "~/utils/api/api.server";
import { CASELOAD_REASON } from "~/utils/audit-actions";
import { audit } from "~/utils/audit.server";
import { recommendForClient } from "~/utils/registry/predictor.server";

/** GET /api/v1/clients/:id/recommendation: the token's case worker's own client only; others get 404. */
export const loader = (args: HandlerArgs) => handleApiRequest(args, { GET });
export const action = (args: HandlerArgs) => handleApiRequest(args, { GET });

async function GET({ request, params }: HandlerArgs) {
  const user = await requireApiUser(request, ["caseworker"], "recommend");
  const client = await getClient({ id: params.clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${params.clientId ?? ""}`, result: "denied", request });
    return problem({ status: 404, detail: "Client not found." });
  }
  const result = await recommendForClient(client.profile);
  if (!result) return problem({ status: 503, detail: "No model is active yet." });
  const shown = await recordShownRecommendation({ clientId: client.id, result, variant: "api" });
  await audit({ actorId: user.id, action: "recommendation.shown", object: `recommendation:${shown.id}`, result: "ok", request, reason: CASELOAD_REASON });
  return apiJson({ clientCode: client.code, recommendationId: shown.id, ...shown.result });
}
