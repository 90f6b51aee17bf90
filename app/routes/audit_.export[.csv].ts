import type { LoaderFunctionArgs } from "@remix-run/node";
import { AUDIT_ROLES, audit, auditCsv, auditQueryString, parseAuditQuery } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { getLang } from "~/utils/lang.server";

/**
 * /audit/export.csv: the audit log with the page's filters, for a privacy officer (NEN 7513). The
 * export is itself an entry of the log, with the filters it used.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, [...AUDIT_ROLES]);
  const query = parseAuditQuery(new URL(request.url));
  const body = await auditCsv(query, await getLang(request));
  await audit({ actorId: user.id, action: "audit.export", object: `audit${auditQueryString(query)}`.slice(0, 500), result: "ok", request });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": 'attachment; filename="auditlog.csv"',
      "Cache-Control": "no-store",
    },
  });
}
