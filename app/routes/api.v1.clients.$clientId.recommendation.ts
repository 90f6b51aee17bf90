import type { LoaderFunctionArgs } from "@remix-run/node";
import { getClient } from "~/models/client.server";
import { recordShownRecommendation } from "~/models/recommendation.server";
import { jsonError, requireApiUser } from "~/utils/api.server";
import { audit } from "~/utils/audit.server";
import { recommendForClient } from "~/utils/predictor.server";

/** GET /api/v1/clients/:id/recommendation: the token's case worker's own client only; others get 404. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, ["caseworker"]);
  const client = await getClient({ id: params.clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${params.clientId ?? ""}`, result: "denied", request });
    return jsonError(404, "client not found");
  }
  const result = await recommendForClient(client.profile);
  if (!result) return jsonError(503, "no active model");
  const shown = await recordShownRecommendation({ clientId: client.id, result, variant: "api" });
  await audit({ actorId: user.id, action: "recommendation.shown", object: `recommendation:${shown.id}`, result: "ok", request });
  return Response.json({ clientCode: client.code, recommendationId: shown.id, ...result });
}
