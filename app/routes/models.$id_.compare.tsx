import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { trajectoryName } from "../../model/config/catalogue";
import type { SliceComparison } from "../../model/evaluate/compare";
import { fill, fmt, label } from "~/components/model-ui";
import { getComparison, getLatestComparison, parseComparisonProgress } from "~/models/model-comparison.server";
import { getActiveModelVersion, getModelVersion } from "~/models/model-version.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { readForm } from "~/utils/forms/form.server";
import { formatPercent, formatPoints, MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { readBundleCatalogue } from "~/utils/registry/catalogue.server";
import { heldOutTables, parseComparisonResult, recoverStaleComparisonsOnce, startComparison } from "~/utils/registry/comparison.server";

export const meta = pageTitle((t) => t.compareTitle);

const QuerySchema = z.object({ c: z.string().min(1).max(64).optional() });
const StartSchema = z.object({ intent: z.literal("compare"), table: z.string().trim().min(1).max(200) });

async function requireVersions(id: string) {
  const version = await getModelVersion({ id });
  if (!version) throw new Response("Not found", { status: 404 });
  const active = await getActiveModelVersion();
  const activeVersion = active ? await getModelVersion({ id: active.id }) : null;
  return { version, active: activeVersion };
}

/** Viewing: data scientists and admins; starting a comparison: data scientists (the action). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["datascientist", "admin"]);
  await recoverStaleComparisonsOnce();
  const lang = await getLang(request);
  const { version, active } = await requireVersions(params.id ?? "");
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const chosen = query.success && query.data.c ? await getComparison({ id: query.data.c, candidateId: version.id }) : null;
  const comparison = chosen ?? (await getLatestComparison({ candidateId: version.id }));
  const tables = active && active.id !== version.id ? await heldOutTables([version, active]) : [];
  const catalogue = await readBundleCatalogue(version.dir);
  const result = comparison?.status === "done" ? parseComparisonResult(comparison.resultJson) : null;
  return {
    id: version.id,
    status: version.status,
    active: active?.id ?? null,
    tables,
    comparison: comparison
      ? {
          id: comparison.id,
          status: comparison.status,
          activeId: comparison.activeId,
          tableName: comparison.tableName,
          current: comparison.activeId === active?.id,
          error: comparison.error,
          progress: parseComparisonProgress(comparison.progressJson),
          result,
        }
      : null,
    armNames: Object.fromEntries((result?.perArm ?? []).map((s) => [s.key, catalogue ? trajectoryName(catalogue, s.key, lang) : s.key])),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["datascientist"]);
  const t = MESSAGES[await getLang(request)];
  const parsed = StartSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ message: t.regCompareErrors.unknown_table }, { status: 400 });
  const { version, active } = await requireVersions(params.id ?? "");
  if (!active || active.id === version.id) return data({ message: t.noActiveModel }, { status: 400 });
  const started = await startComparison({ candidate: version, active, tableName: parsed.data.table, userId: user.id });
  await audit({ actorId: user.id, action: "model.compare", object: `model:${version.id}`, result: started.ok ? "ok" : "failed", request });
  if (!started.ok) return data({ message: t.regCompareErrors[started.code] }, { status: 400 });
  return redirect(`/models/${encodeURIComponent(version.id)}/compare?c=${encodeURIComponent(started.id)}`);
}

function SliceTable({ caption, slices, names, withAuc }: { caption: string; slices: SliceComparison[]; names?: Record<string, string>; withAuc: boolean }) {
  const t = useT();
  const shown = (v: number | null, f: (x: number) => string) => (v === null ? "–" : f(v));
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.groupLabel}</th>
          <th scope="col">{t.rowsLabel}</th>
          <th scope="col">{t.regPolicyDifferenceColumn}</th>
          <th scope="col">{t.regAdviceChangedColumn}</th>
          {withAuc ? (
            <>
              <th scope="col">
                {t.metricLabels.auc} {t.candidateLabel.toLowerCase()}
              </th>
              <th scope="col">
                {t.metricLabels.auc} {t.activeModelLabel.toLowerCase()}
              </th>
            </>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {slices.map((s) => (
          <tr key={s.key}>
            <th scope="row">{names?.[s.key] ?? s.key}</th>
            <td>{s.rows ?? t.regFewerThanTen}</td>
            <td>{shown(s.policyValueDifference, (v) => formatPoints(v, t.lang))}</td>
            <td>{shown(s.adviceChanged, (v) => formatPercent(v, t.lang))}</td>
            {withAuc ? (
              <>
                <td>{fmt(s.aucCandidate, t.lang)}</td>
                <td>{fmt(s.aucActive, t.lang)}</td>
              </>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function CompareModels() {
  const { id, active, tables, comparison, armNames } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const running = comparison?.status === "running";
  const revalidator = useRevalidator();
  // While the worker runs, the page asks for its progress once a second (the comparison lives in the database).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const result = comparison?.result ?? null;
  const policy = result?.metrics.find((m) => m.metric === "policyValueDr")?.difference ?? null;
  const progress = comparison?.progress;
  const step = progress?.phase === "bootstrap" ? 2 + (progress.step ?? 0) : progress?.phase === "predicting" ? 1 + (progress.step ?? 0) / 2 : 0;
  return (
    <div className="page">
      <p>
        <Link to={`/models/${encodeURIComponent(id)}`}>{t.backToModels}</Link>
      </p>
      <h1>{t.compareTitle}</h1>
      <p>{t.regCompareIntro}</p>
      {!active ? (
        <p className="form-error" role="alert">
          {t.noActiveModel}
        </p>
      ) : tables.length === 0 ? (
        <p className="muted" data-testid="no-held-out">
          {t.regNoHeldOutTables}
        </p>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="compare" />
          <div className="field">
            <label htmlFor="compare-table">{t.regHeldOutTableLabel}</label>
            <select id="compare-table" name="table" defaultValue={tables[0]} aria-describedby="compare-table-help">
              {tables.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <p className="help" id="compare-table-help">
              {t.regHeldOutTableHelp}
            </p>
          </div>
          <button type="submit" className="primary" disabled={busy || running}>
            {t.compareButton}
          </button>
        </Form>
      )}
      {failure ? (
        <p className="form-error" role="alert" data-testid="compare-error">
          {failure.message}
        </p>
      ) : null}
      {comparison && running ? (
        <div role="status" data-testid="compare-progress">
          <label htmlFor="compare-progress-bar">{label(t.regPhaseLabels, progress?.phase ?? "starting")}</label>{" "}
          <progress id="compare-progress-bar" max={7} value={step}>
            {Math.round((step / 7) * 100)}%
          </progress>
        </div>
      ) : null}
      {comparison?.status === "failed" ? (
        <p className="form-error" role="alert">
          {t.compareFailed}: {comparison.error}
        </p>
      ) : null}
      {comparison && result ? (
        <section aria-labelledby="verdict-heading">
          <h2 id="verdict-heading">{fill(t.regResultHeading, { table: comparison.tableName, active: comparison.activeId })}</h2>
          {!comparison.current ? <p className="form-error">{t.regComparedWithOtherActive}</p> : null}
          <p className={result.verdict === "worse" ? "form-error" : "notice"} data-testid="verdict" data-verdict={result.verdict}>
            <strong>{label(t.regVerdictLabels, result.verdict)}</strong>{" "}
            {policy
              ? fill(t.regVerdictDetail, {
                  value: formatPoints(policy.value, t.lang),
                  lower: formatPoints(policy.lower95, t.lang, { unit: false }),
                  upper: formatPoints(policy.upper95, t.lang, { unit: false }),
                })
              : null}
          </p>
          <p data-testid="advice-changed">{fill(t.regAdviceChangedSentence, { share: formatPercent(result.adviceChanged, t.lang) })}</p>
          <table data-testid="comparison">
            <caption>
              {t.candidateLabel} {id} · {t.activeModelLabel} {comparison.activeId}
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
              {result.metrics.map((m) => (
                <tr key={m.metric}>
                  <th scope="row">{label(t.metricLabels, m.metric)}</th>
                  <td>{fmt(m.candidate, t.lang)}</td>
                  <td>{fmt(m.active, t.lang)}</td>
                  <td>
                    {m.difference
                      ? `${m.difference.value >= 0 ? "+" : ""}${fmt(m.difference.value, t.lang)} (${fmt(m.difference.lower95, t.lang)} – ${fmt(m.difference.upper95, t.lang)})`
                      : "–"}
                  </td>
                  <td>{m.better === "higher" ? t.higherLabel : t.lowerLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{fill(t.compareRows, { rows: result.rows, replicates: result.replicates })}</p>
          <h3>{t.regPerArmHeading}</h3>
          <SliceTable caption={t.regPerArmCaption} slices={result.perArm} names={armNames} withAuc />
          <h3>{t.regPerGroupHeading}</h3>
          <p className="help">{t.regSuppressedNote}</p>
          {result.perGroup.map((group) => (
            <SliceTable key={group.column} caption={fill(t.regPerGroupCaption, { column: group.column })} slices={group.groups} withAuc={false} />
          ))}
          <p>
            <Link to={`/models/${encodeURIComponent(id)}#promote-heading`}>{t.regToPromotion}</Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
