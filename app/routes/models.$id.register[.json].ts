import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/utils/auth/auth.server";
import { requireRegisterEntry } from "~/utils/registry/register-entry.server";

/** The model card as an Algoritmeregister entry (JSON download). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["datascientist", "admin"]);
  const entry = await requireRegisterEntry(params.id ?? "");
  return new Response(`${JSON.stringify(entry, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="algoritmeregister-${entry.source_id}.json"`,
    },
  });
}
