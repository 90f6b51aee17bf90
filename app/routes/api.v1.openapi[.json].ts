import { apiJson, handleApiRequest, type HandlerArgs } from "~/utils/api/api.server";
import { openApiDocument } from "~/utils/api/openapi.server";
import { getServingCatalogue } from "~/utils/registry/predictor.server";

/** GET /api/v1/openapi.json: the OpenAPI document, public (no token). */
export const loader = (args: HandlerArgs) => handleApiRequest(args, { GET });
export const action = (args: HandlerArgs) => handleApiRequest(args, { GET });

async function GET() {
  // Generated from the schemas the routes validate with: the active model's features and trajectories.
  return apiJson(openApiDocument(await getServingCatalogue()));
}
