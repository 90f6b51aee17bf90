import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { getLang } from "~/utils/lang.server";
import { CSV_FORMATS, TABLE_IDS, tableToCsv } from "~/utils/quality/quality-report";
import { getQualityReport, parseQualityFilter } from "~/utils/quality/quality.server";

/**
 * CSV export of one dashboard table, e.g. /dashboard/csv/adoption-team.csv: the same suppressed figures
 * as the page. By default for Dutch Excel (byte order mark, `;`, decimal commas); `?format=rfc4180`
 * gives plain RFC 4180 (commas, "." decimals) for scripts.
 */
const TableParamSchema = z
  .string()
  .regex(/^[a-z-]+\.csv$/)
  .transform((v) => v.slice(0, -".csv".length))
  .pipe(z.enum(TABLE_IDS));
const FormatSchema = z.enum(CSV_FORMATS).default("excel-nl");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["manager", "admin"]);
  const table = TableParamSchema.safeParse(params.table);
  if (!table.success) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const format = FormatSchema.safeParse(url.searchParams.get("format") ?? undefined);
  if (!format.success) throw new Response(`Onbekend formaat: kies ${CSV_FORMATS.join(" of ")}.`, { status: 400 });
  const filter = parseQualityFilter(url);
  const [report, lang] = await Promise.all([getQualityReport(filter), getLang(request)]);
  await audit({ actorId: user.id, action: "dashboard.export", object: `table:${table.data}`, result: "ok", request });
  // A view below 10 people yields only the header: nothing of it leaves the app.
  const body = report.suppressed
    ? tableToCsv({ id: table.data, columns: [{ key: "viewSuppressed", kind: "label" }], rows: [] }, lang, format.data)
    : tableToCsv(report.tables[table.data], lang, format.data, report.catalogue);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${table.data}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
