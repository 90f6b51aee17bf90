import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { fill, fmt, label } from "~/components/model-ui";
import { getActiveModelVersion, getModelVersion } from "~/models/model-version.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { pageTitle, useT } from "~/utils/i18n";
import { compareBundles, listLinkedTables } from "~/utils/registry/model-registry.server";

export const meta = pageTitle((t) => t.compareTitle);

const QuerySchema = z.object({ table: z.string().min(1).max(200) });

/** GET with ?table=…: reading, not changing anything, so a plain form; the comparison is audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["datascientist", "admin"]);
  const version = await getModelVersion({ id: params.id ?? "" });
  if (!version) throw new Response("Not found", { status: 404 });
  const [active, tables] = await Promise.all([getActiveModelVersion(), listLinkedTables()]);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const base = { id: version.id, active: active?.id ?? null, tables, table: query.success ? query.data.table : (tables[0] ?? null) };
  if (!query.success || !active) return { ...base, comparison: null, error: null };
  const result = await compareBundles({ candidateDir: version.dir, activeDir: active.dir, tableName: query.data.table });
  await audit({
    actorId: user.id,
    action: "model.compare",
    object: `model:${version.id}`,
    result: result.ok ? "ok" : "failed",
    request,
  });
  return result.ok ? { ...base, comparison: result.comparison, error: null } : { ...base, comparison: null, error: result.detail };
}

export default function CompareModels() {
  const { id, active, tables, table, comparison, error } = useLoaderData<typeof loader>();
  const t = useT();
  const busy = useNavigation().state === "loading";
  return (
    <div className="page">
      <p>
        <Link to={`/models/${encodeURIComponent(id)}`}>{t.backToModels}</Link>
      </p>
      <h1>{t.compareTitle}</h1>
      <p>{t.compareIntro}</p>
      {!active ? (
        <p className="form-error" role="alert">
          {t.noActiveModel}
        </p>
      ) : tables.length === 0 ? (
        <p className="muted">{t.noTables}</p>
      ) : (
        <Form method="get">
          <div className="field">
            <label htmlFor="compare-table">{t.tableLabel}</label>
            <select id="compare-table" name="table" defaultValue={table ?? undefined}>
              {tables.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={busy}>
            {t.compareButton}
          </button>
        </Form>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {t.compareFailed}: {error}
        </p>
      ) : null}
      {comparison ? (
        <>
          <table data-testid="comparison">
            <caption>
              {t.candidateLabel} {id} · {t.activeModelLabel} {active}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t.metricLabel}</th>
                <th scope="col">{t.candidateLabel}</th>
                <th scope="col">{t.activeModelLabel}</th>
                <th scope="col">{t.differenceLabel}</th>
                <th scope="col">{t.betterLabel}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.metrics.map((m) => (
                <tr key={m.metric}>
                  <th scope="row">{label(t.metricLabels, m.metric)}</th>
                  <td>{fmt(m.candidate)}</td>
                  <td>{fmt(m.active)}</td>
                  <td>
                    {m.difference
                      ? `${m.difference.value >= 0 ? "+" : ""}${fmt(m.difference.value)} (${fmt(m.difference.lower95)} – ${fmt(m.difference.upper95)})`
                      : "–"}
                  </td>
                  <td>{m.better === "higher" ? t.higherLabel : t.lowerLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{fill(t.compareRows, { rows: comparison.rows, replicates: comparison.replicates })}</p>
        </>
      ) : null}
    </div>
  );
}
