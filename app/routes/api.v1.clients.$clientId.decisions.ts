import { getClient } from "~/models/client.server";
import { getDecisionHistory, recordDecision } from "~/models/decision.server";
import { apiJson, handleApiRequest, type HandlerArgs, invalidParams, problem, readJsonBody, requireApiUser } from "~/utils/api/api.server";
import { apiSchemasFor, ListQuerySchema, pageLinks } from "~/utils/api/api-schemas";
import { getServingCatalogue } from "~/utils/registry/predictor.server";
import { CASELOAD_REASON } from "~/utils/audit-actions";
import { audit } from "~/utils/audit.server";

async function requireOwnClient(request: Request, clientId: string | undefined) {
  const user = await requireApiUser(request, ["caseworker"], "decide");
  const client = await getClient({ id: clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${clientId ?? ""}`, result: "denied", request });
    throw problem({ status: 404, detail: "Client not found." });
  }
  return { user, client };
}

export const loader = (args: HandlerArgs) => handleApiRequest(args, { GET, POST });
export const action = (args: HandlerArgs) => handleApiRequest(args, { GET, POST });

/** GET /api/v1/clients/:id/decisions?page=&pageSize=: every version, newest first. */
async function GET({ request, params }: HandlerArgs) {
  const { user, client } = await requireOwnClient(request, params.clientId);
  const url = new URL(request.url);
  const query = ListQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return problem({ status: 400, detail: "The query is invalid; see invalidParams.", invalidParams: invalidParams(query.error.issues) });
  // A client has a handful of decision versions: read them all, hand out one page.
  const all = await getDecisionHistory({ clientId: client.id, caseworkerId: user.id });
  const start = (query.data.page - 1) * query.data.pageSize;
  return apiJson({
    clientVersion: client.version,
    total: all.length,
    page: query.data.page,
    pageSize: query.data.pageSize,
    decisions: all.slice(start, start + query.data.pageSize),
    _links: pageLinks(url, query.data, all.length),
  });
}

/** POST /api/v1/clients/:id/decisions: records a choice; 409 when the client changed since `version`. */
async function POST({ request, params }: HandlerArgs) {
  const { user, client } = await requireOwnClient(request, params.clientId);
  const body = await readJsonBody(request, apiSchemasFor(await getServingCatalogue()).decisionRequest);
  const result = await recordDecision({ clientId: client.id, caseworkerId: user.id, expectedVersion: body.version, ...body });
  if (!result.ok) {
    await audit({ actorId: user.id, action: "decision.record", object: `client:${client.id}`, result: "failed", request, reason: CASELOAD_REASON });
    if (result.reason === "conflict") return problem({ status: 409, detail: "The client was updated since this version; read it again." });
    if (result.reason === "what_if") {
      return problem({
        status: 400,
        detail: "The body is invalid; see invalidParams.",
        invalidParams: [{ name: "recommendationId", reason: "A what-if recommendation cannot be decided on: use the client's own recommendation." }],
      });
    }
    if (result.reason === "reason_required") {
      return problem({
        status: 400,
        detail: "The body is invalid; see invalidParams.",
        invalidParams: [{ name: "reasonCode", reason: "A reason code and text are required when the choice differs from the top recommendation." }],
      });
    }
    return problem({ status: 404, detail: "Recommendation not found for this client.", invalidParams: [{ name: "recommendationId", reason: "unknown" }] });
  }
  await audit({ actorId: user.id, action: "decision.record", object: `decision:${result.id}`, result: "ok", request, reason: CASELOAD_REASON });
  return apiJson({ id: result.id }, { status: 201 });
}
