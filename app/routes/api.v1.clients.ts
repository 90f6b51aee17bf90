import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createClient, listCaseload } from "~/models/client.server";
import { jsonError, readJsonBody, requireApiUser } from "~/utils/api.server";
import { CreateClientRequestSchema, ListQuerySchema } from "~/utils/api-schemas";
import { audit } from "~/utils/audit.server";
import { getEnv } from "~/utils/env.server";
import { pseudonymise } from "~/utils/pseudonym.server";

const PAGE_SIZE = 50;

/** GET /api/v1/clients: the token's case worker's own clients. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, ["caseworker"]);
  const query = ListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return jsonError(400, "invalid query", query.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  const { total, clients } = await listCaseload({ caseworkerId: user.id, page: query.data.page, pageSize: PAGE_SIZE });
  return Response.json({
    total,
    page: query.data.page,
    clients: clients.map((c) => ({ id: c.id, code: c.code, status: c.status, lastContactAt: c.lastContactAt.toISOString() })),
  });
}

/** POST /api/v1/clients {reference, profile}: registers a client in the token's caseload. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "method not allowed: use GET or POST");
  const user = await requireApiUser(request, ["caseworker"]);
  const body = await readJsonBody(request, CreateClientRequestSchema);
  const referenceHash = pseudonymise(body.reference, getEnv().PSEUDONYM_KEY);
  const created = await createClient({ caseworkerId: user.id, referenceHash, profile: body.profile });
  if (!created.ok && created.reason === "code_unavailable") return jsonError(409, "no client code could be assigned; send the request again");
  if (!created.ok) return jsonError(409, "a client with this reference already exists", [{ path: "reference", message: "duplicate" }]);
  await audit({ actorId: user.id, action: "client.create", object: `client:${created.id}`, result: "ok", request });
  return Response.json({ id: created.id, code: created.code }, { status: 201 });
}
