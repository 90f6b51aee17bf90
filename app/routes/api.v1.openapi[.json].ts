import { openApiDocument } from "~/utils/openapi.server";

export async function loader() {
  return Response.json(openApiDocument());
}
