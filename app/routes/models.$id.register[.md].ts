import type { LoaderFunctionArgs } from "@remix-run/node";
import { algorithmRegisterMarkdown } from "../../model/bundle/algorithm-register";
import { requireRole } from "~/utils/auth/auth.server";
import { requireRegisterEntry } from "~/utils/registry/register-entry.server";

/** The model card as an Algoritmeregister entry (markdown download). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["datascientist", "admin"]);
  const entry = await requireRegisterEntry(params.id ?? "");
  return new Response(algorithmRegisterMarkdown(entry), {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="algoritmeregister-${entry.source_id}.md"`,
    },
  });
}
