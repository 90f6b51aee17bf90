import { apiJson, handleApiRequest, type HandlerArgs } from "~/utils/api.server";
import { openApiDocument } from "~/utils/openapi.server";

/** GET /api/v1/openapi.json: the OpenAPI document, public (no token). */
export const loader = (args: HandlerArgs) => handleApiRequest(args, { GET });
export const action = (args: HandlerArgs) => handleApiRequest(args, { GET });

async function GET() {
  return apiJson(openApiDocument());
}
