import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/utils/auth/auth.server";
import { getLatestReportHtml, REPORT_ROLES } from "~/utils/reports/latest.server";

/**
 * The latest "what works for whom" report as its own self-contained page (inline CSS and SVG): no
 * scripts, nothing loaded from elsewhere, and a policy that forbids both.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, REPORT_ROLES);
  const html = await getLatestReportHtml();
  if (html === null) throw new Response("Er is (nog) geen rapport voor het model dat in gebruik is. / No report for the model in use yet.", { status: 404 });
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "Cache-Control": "no-store",
    },
  });
}
