import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getClient } from "~/models/client.server";
import { getDecisionHistory, recordDecision } from "~/models/decision.server";
import { jsonError, readJsonBody, requireApiUser } from "~/utils/api.server";
import { DecisionRequestSchema } from "~/utils/api-schemas";
import { audit } from "~/utils/audit.server";

async function requireOwnClient(request: Request, clientId: string | undefined) {
  const user = await requireApiUser(request, ["caseworker"]);
  const client = await getClient({ id: clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${clientId ?? ""}`, result: "denied", request });
    throw jsonError(404, "client not found");
  }
  return { user, client };
}

/** GET /api/v1/clients/:id/decisions: every version, newest first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, client } = await requireOwnClient(request, params.clientId);
  const decisions = await getDecisionHistory({ clientId: client.id, caseworkerId: user.id });
  return Response.json({ clientVersion: client.version, decisions });
}

/** POST /api/v1/clients/:id/decisions: records a choice; 409 when the client changed since `version`. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "method not allowed: use GET or POST");
  const { user, client } = await requireOwnClient(request, params.clientId);
  const body = await readJsonBody(request, DecisionRequestSchema);
  const result = await recordDecision({ clientId: client.id, caseworkerId: user.id, expectedVersion: body.version, ...body });
  if (!result.ok) {
    await audit({ actorId: user.id, action: "decision.record", object: `client:${client.id}`, result: "failed", request });
    if (result.reason === "conflict") return jsonError(409, "conflict: the client was updated since this version; read it again");
    if (result.reason === "what_if") {
      return jsonError(400, "invalid body", [{ path: "recommendationId", message: "a what-if recommendation cannot be decided on: use the client's own recommendation" }]);
    }
    if (result.reason === "reason_required") return jsonError(400, "invalid body", [{ path: "reasonCode", message: "a reason code and text are required when the choice differs from the top recommendation" }]);
    return jsonError(404, "recommendation not found for this client", [{ path: "recommendationId", message: "unknown" }]);
  }
  await audit({ actorId: user.id, action: "decision.record", object: `decision:${result.id}`, result: "ok", request });
  return Response.json({ id: result.id }, { status: 201 });
}
