import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { listAuditPeople } from "~/models/audit.server";
import { auditActionLabel } from "~/utils/audit-actions";
import { AUDIT_ROLES, auditQueryString, getAuditPage, parseAuditQuery } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";

export const meta = pageTitle((t) => t.auditLog);

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, [...AUDIT_ROLES]);
  const query = parseAuditQuery(new URL(request.url));
  const lang = await getLang(request);
  const [{ total, rows, actions, unknownClient }, people] = await Promise.all([getAuditPage(query, lang, PAGE_SIZE), listAuditPeople()]);
  const { page: _, ...filters } = query;
  return {
    filters: {
      person: filters.person ?? "",
      client: filters.client ?? "",
      action: filters.action ?? "",
      result: filters.result ?? "",
      from: filters.from ?? "",
      to: filters.to ?? "",
    },
    exportHref: `/audit/export.csv${auditQueryString(query)}`,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    unknownClient,
    people: people.map((p) => ({ id: p.id, name: p.displayName, role: p.role })),
    actions: actions.map((code) => ({ code, label: auditActionLabel(code, lang) })).sort((a, b) => a.label.localeCompare(b.label, lang)),
    rows,
  };
}

export default function AuditLog() {
  const { filters, rows, actions, people, page, pages, total, exportHref, unknownClient } = useLoaderData<typeof loader>();
  const t = useT();
  const roleLabel = (r: string) => (t.roleLabels as Record<string, string>)[r] ?? r;
  return (
    <div className="page">
      <h1>{t.auditLog}</h1>
      <p className="muted">
        {t.auditIntro} {t.auditTimeZone}
      </p>
      <Form method="get" className="audit-filters">
        <div>
          <label htmlFor="person">{t.auditPerson}</label>
          <select id="person" name="person" defaultValue={filters.person}>
            <option value="">{t.auditAllPeople}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({roleLabel(p.role)})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="client">{t.auditClientCode}</label>
          <input id="client" name="client" defaultValue={filters.client} aria-describedby="client-help" aria-invalid={unknownClient || undefined} />
          <span id="client-help" className="muted">
            {unknownClient ? t.auditUnknownClient : t.auditClientCodeHelp}
          </span>
        </div>
        <div>
          <label htmlFor="action">{t.auditAction}</label>
          <select id="action" name="action" defaultValue={filters.action}>
            <option value="">{t.all}</option>
            {actions.map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="result">{t.auditResult}</label>
          <select id="result" name="result" defaultValue={filters.result}>
            <option value="">{t.all}</option>
            {(["ok", "denied", "failed"] as const).map((r) => (
              <option key={r} value={r}>
                {t.auditResults[r]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="from">{t.fromDate}</label>
          <input id="from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div>
          <label htmlFor="to">{t.toDate}</label>
          <input id="to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div>
          <button type="submit" className="primary">
            {t.filter}
          </button>
        </div>
      </Form>
      <p>
        <a href={exportHref} download="auditlog.csv">
          {t.auditExport}
        </a>
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1). */}
      <section className="table-scroll" aria-label={t.auditLog} tabIndex={0}>
        <table data-testid="audit">
          <caption className="muted">
            {total} {t.auditEntries}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t.auditTime}</th>
              <th scope="col">{t.auditActor}</th>
              <th scope="col">{t.auditRole}</th>
              <th scope="col">{t.auditClient}</th>
              <th scope="col">{t.auditAction}</th>
              <th scope="col">{t.auditPurpose}</th>
              <th scope="col">{t.auditReason}</th>
              <th scope="col">{t.auditResult}</th>
              <th scope="col">{t.auditObject}</th>
              <th scope="col">{t.auditOrigin}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td data-testid="audit-time">{e.at}</td>
                <td>{e.who}</td>
                <td>{e.role || "—"}</td>
                <td>{e.client || "—"}</td>
                <td title={e.code}>{e.action}</td>
                <td>{e.purpose || "—"}</td>
                <td data-testid="audit-reason">{e.reason || "—"}</td>
                <td>{e.result}</td>
                <td>{e.object || "—"}</td>
                <td>{e.origin || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Pagination page={page} pages={pages} filters={filters} />
    </div>
  );
}
