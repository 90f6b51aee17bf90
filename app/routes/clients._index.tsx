import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listCaseload } from "~/models/client.server";
import { CLIENT_STATUSES } from "~/utils/client-status";
import { requireRole } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { useT } from "~/utils/i18n";
import { pseudonymise } from "~/utils/pseudonym.server";

export const meta: MetaFunction = () => [{ title: "Mijn cliënten — Trajectwijzer" }];

const PAGE_SIZE = 20;
const QuerySchema = z.object({
  q: z.string().trim().max(32).optional().catch(undefined),
  status: z.enum(CLIENT_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["caseworker"]);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { total, clients } = await listCaseload({
    caseworkerId: user.id,
    search: query.q ? { code: query.q, referenceHash: pseudonymise(query.q, getEnv().PSEUDONYM_KEY) } : undefined,
    status: query.status,
    page: query.page,
    pageSize: PAGE_SIZE,
  });
  return {
    query,
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    clients: clients.map((c) => ({ ...c, lastContactAt: c.lastContactAt.toISOString().slice(0, 10) })),
  };
}

export default function Caseload() {
  const { clients, query, total, pages } = useLoaderData<typeof loader>();
  const t = useT();
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    if (query.q) params.set("q", query.q);
    if (query.status) params.set("status", query.status);
    params.set("page", String(page));
    return `?${params.toString()}`;
  };
  return (
    <div className="page">
      <h1>{t.caseload}</h1>
      <p className="muted">{t.caseloadIntro}</p>
      <p>
        <Link to="/clients/new">{t.newClient}</Link>
      </p>
      <Form method="get" className="filters">
        <label htmlFor="q">{t.reference}</label>
        <input id="q" name="q" defaultValue={query.q ?? ""} />
        <label htmlFor="status">{t.status}</label>
        <select id="status" name="status" defaultValue={query.status ?? ""}>
          <option value="">—</option>
          {CLIENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t.statusLabels[s]}
            </option>
          ))}
        </select>
        <div>
          <button type="submit" className="primary">
            {t.lang === "nl" ? "Zoeken" : "Search"}
          </button>
        </div>
      </Form>
      {clients.length === 0 ? (
        <p>{t.noClients}</p>
      ) : (
        <table>
          <caption className="muted">
            {total} {t.lang === "nl" ? "cliënten" : "clients"}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t.reference}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.lastContact}</th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/clients/${c.id}`}>{c.code}</Link>
                </td>
                <td>{t.statusLabels[c.status as keyof typeof t.statusLabels] ?? c.status}</td>
                <td>{c.lastContactAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 ? (
        <nav aria-label={t.lang === "nl" ? "Paginering" : "Pagination"}>
          {query.page > 1 ? <Link to={pageLink(query.page - 1)}>{t.lang === "nl" ? "Vorige" : "Previous"}</Link> : null}{" "}
          <span>
            {query.page} / {pages}
          </span>{" "}
          {query.page < pages ? <Link to={pageLink(query.page + 1)}>{t.lang === "nl" ? "Volgende" : "Next"}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
