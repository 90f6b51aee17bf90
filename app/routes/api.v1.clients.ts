import { createClient, listCaseload } from "~/models/client.server";
import { apiJson, handleApiRequest, type HandlerArgs, invalidParams, problem, readJsonBody, requireApiUser } from "~/utils/api/api.server";
import { apiSchemasFor, explainApiIssue, ListQuerySchema, pageLinks } from "~/utils/api/api-schemas";
import { getServingCatalogue } from "~/utils/registry/predictor.server";
import { audit } from "~/utils/audit.server";
import { getEnv } from "~/utils/env.server";
import { pseudonymise } from "~/utils/pseudonym.server";

export const loader = (args: HandlerArgs) => handleApiRequest(args, { GET, POST });
export const action = (args: HandlerArgs) => handleApiRequest(args, { GET, POST });

/** GET /api/v1/clients?page=&pageSize=: the token's case worker's own clients, a page at a time. */
async function GET({ request }: HandlerArgs) {
  const user = await requireApiUser(request, ["caseworker"], "read");
  const url = new URL(request.url);
  const query = ListQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) return problem({ status: 400, detail: "The query is invalid; see invalidParams.", invalidParams: invalidParams(query.error.issues) });
  const { total, clients } = await listCaseload({ caseworkerId: user.id, page: query.data.page, pageSize: query.data.pageSize });
  return apiJson({
    total,
    page: query.data.page,
    pageSize: query.data.pageSize,
    clients: clients.map((c) => ({ id: c.id, code: c.code, status: c.status, lastContactAt: c.lastContactAt.toISOString() })),
    _links: pageLinks(url, query.data, total),
  });
}

/** POST /api/v1/clients {reference, profile}: registers a client in the token's caseload. */
async function POST({ request }: HandlerArgs) {
  const user = await requireApiUser(request, ["caseworker"], "recommend");
  const body = await readJsonBody(request, apiSchemasFor(await getServingCatalogue()).createClientRequest, explainApiIssue);
  const referenceHash = pseudonymise(body.reference, getEnv().PSEUDONYM_KEY);
  const created = await createClient({ caseworkerId: user.id, referenceHash, profile: body.profile });
  if (!created.ok && created.reason === "code_unavailable") return problem({ status: 409, detail: "No client code could be assigned; send the request again." });
  if (!created.ok) {
    return problem({ status: 409, detail: "A client with this reference already exists.", invalidParams: [{ name: "reference", reason: "duplicate" }] });
  }
  await audit({ actorId: user.id, action: "client.create", object: `client:${created.id}`, result: "ok", request });
  return apiJson({ id: created.id, code: created.code }, { status: 201 });
}
