import { problem, withApiHeaders } from "~/utils/api/api.server";

/** Any other /api/v1 path: a 404 problem (never the app's HTML page), for every method. */
async function notFound({ request }: { request: Request }) {
  if (request.method === "OPTIONS") return new Response(null, { status: 404, headers: withApiHeaders() });
  return problem({ status: 404, detail: "There is no such path in this API; see /api/v1/openapi.json." });
}

export const loader = notFound;
export const action = notFound;
