import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { ClientProfileSchema } from "../../model/reintegration";
import { jsonError, readJsonBody, requireApiUser } from "~/utils/api.server";
import { audit } from "~/utils/audit.server";
import { recommendForClient } from "~/utils/predictor.server";

/**
 * POST /api/v1/recommendations {"profile": {...}}: ranked, explained trajectories for a profile
 * from a case management system. Nothing about the client is stored; the call is audited.
 */
const BodySchema = z.object({ profile: ClientProfileSchema }).strict();

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "method not allowed: use POST");
  const user = await requireApiUser(request, ["caseworker"]);
  const body = await readJsonBody(request, BodySchema);
  const result = await recommendForClient(body.profile);
  if (!result) return jsonError(503, "no active model");
  await audit({ actorId: user.id, action: "api.recommendation", object: `model:${result.modelVersion}`, result: "ok", request });
  return Response.json(result);
}

export async function loader() {
  return jsonError(405, "method not allowed: use POST");
}
