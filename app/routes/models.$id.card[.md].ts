import type { LoaderFunctionArgs } from "@remix-run/node";
import { getModelVersion } from "~/models/model-version.server";
import { requireRole } from "~/utils/auth/auth.server";
import { readModelCard } from "~/utils/registry/model-registry.server";

/** The bundle's own model-card.md (checked against the manifest), as a download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["datascientist", "admin"]);
  const version = await getModelVersion({ id: params.id ?? "" });
  if (!version) throw new Response("Not found", { status: 404 });
  const card = await readModelCard(version.dir);
  if (!card) throw new Response("De modelkaart kan niet worden gelezen.", { status: 503 });
  return new Response(card.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="model-card-${version.id}.md"`,
    },
  });
}
