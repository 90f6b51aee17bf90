import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Pagination } from "~/components/pagination";
import { listAuditEvents } from "~/models/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { pageTitle, useT } from "~/utils/i18n";

export const meta = pageTitle((t) => t.auditLog);

const PAGE_SIZE = 50;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .transform((v) => new Date(`${v}T00:00:00Z`))
  // Years the database can store with a day to spare ("to" is inclusive: one day is added).
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 2999);
const QuerySchema = z.object({
  action: z.string().regex(/^[a-z._]{1,64}$/).optional().catch(undefined),
  result: z.enum(["ok", "denied", "failed"]).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["manager", "admin"]);
  const params = new URL(request.url).searchParams;
  const query = QuerySchema.parse(Object.fromEntries(params));
  // "to" is inclusive for the person choosing the date.
  const to = query.to ? new Date(query.to.getTime() + 24 * 3600 * 1000) : undefined;
  const { total, events, actions } = await listAuditEvents({ ...query, to, pageSize: PAGE_SIZE });
  return {
    filters: { action: query.action ?? "", result: query.result ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "" },
    page: query.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    actions,
    events: events.map((e) => ({ ...e, at: e.at.toISOString().replace("T", " ").slice(0, 19) })),
  };
}

export default function AuditLog() {
  const { filters, events, actions, page, pages, total } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t.auditLog}</h1>
      <p className="muted">{t.auditIntro}</p>
      <Form method="get">
        <label htmlFor="action">{t.auditAction}</label>
        <select id="action" name="action" defaultValue={filters.action}>
          <option value="">{t.all}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <label htmlFor="result">{t.auditResult}</label>
        <select id="result" name="result" defaultValue={filters.result}>
          <option value="">{t.all}</option>
          <option value="ok">ok</option>
          <option value="denied">denied</option>
          <option value="failed">failed</option>
        </select>
        <label htmlFor="from">{t.fromDate}</label>
        <input id="from" name="from" type="date" defaultValue={filters.from} />
        <label htmlFor="to">{t.toDate}</label>
        <input id="to" name="to" type="date" defaultValue={filters.to} />
        <div>
          <button type="submit" className="primary">
            {t.filter}
          </button>
        </div>
      </Form>
      <table data-testid="audit">
        <caption className="muted">
          {total} {t.auditEntries}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t.auditTime}</th>
            <th scope="col">{t.auditActor}</th>
            <th scope="col">{t.auditAction}</th>
            <th scope="col">{t.auditObject}</th>
            <th scope="col">{t.auditResult}</th>
            <th scope="col">{t.auditOrigin}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{e.at}</td>
              <td>{e.actorId ?? "—"}</td>
              <td>{e.action}</td>
              <td>{e.object ?? "—"}</td>
              <td>{e.result}</td>
              <td>{e.origin ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pages={pages} filters={filters} />
    </div>
  );
}
