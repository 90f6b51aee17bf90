import { apiJson, apiRoute } from "~/utils/api.server";
import { openApiDocument } from "~/utils/openapi.server";

/** GET /api/v1/openapi.json: the OpenAPI document, public (no token). */
export const { loader, action } = apiRoute({
  async GET() {
    return apiJson(openApiDocument());
  },
});
