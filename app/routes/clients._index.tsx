import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import type { Catalogue } from "../../model/config/municipality";
import { Pagination } from "~/components/pagination";
import { listCaseload } from "~/models/client.server";
import { requireRole } from "~/utils/auth/auth.server";
import { CLIENT_STATUSES } from "~/utils/forms/client-status";
import { getEnv } from "~/utils/env.server";
import { formatCount, formatDate, pageTitle, useT } from "~/utils/i18n";
import { armLabel } from "~/utils/forms/profile-labels";
import { getServingCatalogue } from "~/utils/registry/predictor.server";
import { pseudonymise } from "~/utils/pseudonym.server";

export const meta = pageTitle((t) => t.caseload);

const PAGE_SIZE = 20;
/** Last-contact filter: clients not seen for at least this many days (follow-up lists). */
export const CONTACT_FILTERS = ["30", "90", "180"] as const;

const QuerySchema = z.object({
  q: z.string().trim().max(40).optional().catch(undefined),
  status: z.enum(CLIENT_STATUSES).optional().catch(undefined),
  contact: z.enum(CONTACT_FILTERS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["caseworker"]);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { total, clients } = await listCaseload({
    caseworkerId: user.id,
    search: query.q ? { code: query.q, referenceHash: pseudonymise(query.q, getEnv().PSEUDONYM_KEY) } : undefined,
    status: query.status,
    lastContactBefore: query.contact ? new Date(Date.now() - Number(query.contact) * 24 * 3600 * 1000) : undefined,
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  // Trajectory names in the serving model's words.
  const catalogue = await getServingCatalogue();
  return {
    filters: { q: query.q ?? "", status: query.status ?? "", contact: query.contact ?? "" },
    page: query.page,
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    catalogue,
    clients: clients.map((c) => ({ ...c, lastContactAt: c.lastContactAt.toISOString() })),
  };
}

export default function Caseload() {
  const { clients, filters, page, total, pages, catalogue } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t.caseload}</h1>
      <p className="muted">{t.caseloadIntro}</p>
      <p>
        <Link to="/clients/new">{t.newClient}</Link>
      </p>
      <Form method="get" className="filters">
        <label htmlFor="q">{t.searchClient}</label>
        <input id="q" name="q" defaultValue={filters.q} aria-describedby="q-help" />
        <p id="q-help" className="help muted">
          {t.searchClientHelp}
        </p>
        <label htmlFor="status">{t.status}</label>
        <select id="status" name="status" defaultValue={filters.status}>
          <option value="">{t.all}</option>
          {CLIENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.statusLabels[s]}
            </option>
          ))}
        </select>
        <label htmlFor="contact">{t.lastContact}</label>
        <select id="contact" name="contact" defaultValue={filters.contact}>
          <option value="">{t.all}</option>
          {CONTACT_FILTERS.map((days) => (
            <option key={days} value={days}>
              {t.noContactFor.replace("{days}", days)}
            </option>
          ))}
        </select>
        <div>
          <button type="submit" className="primary">
            {t.search}
          </button>
        </div>
      </Form>
      {clients.length === 0 ? (
        <p role="status">{t.noClients}</p>
      ) : (
        <table data-testid="caseload" className="stack-table">
          <caption className="muted">{formatCount(total, t.lang, { one: t.clientCountOne, many: t.clientCount })}</caption>
          <thead>
            <tr>
              <th scope="col">{t.clientCode}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.currentAdvice}</th>
              <th scope="col">{t.decisionColumn}</th>
              <th scope="col">{t.lastContact}</th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id}>
                <td data-label={t.clientCode}>
                  <Link to={`/clients/${c.id}`}>{c.code}</Link>
                </td>
                <td data-label={t.status}>{t.statusLabels[c.status as keyof typeof t.statusLabels] ?? c.status}</td>
                <td data-label={t.currentAdvice}>{c.currentAdvice ? armLabel(c.currentAdvice, t.lang, catalogue as Catalogue) : <span className="muted">{t.noAdviceYet}</span>}</td>
                <td data-label={t.decisionColumn}>
                  {c.decidedArm ? armLabel(c.decidedArm, t.lang, catalogue as Catalogue) : <span className="badge">{t.decisionPending}</span>}
                </td>
                <td data-label={t.lastContact}>{formatDate(c.lastContactAt, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pages={pages} filters={filters} />
    </div>
  );
}
