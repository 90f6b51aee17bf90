import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { fill, label } from "~/components/model-ui";
import { getTrainingRun, type RunView, toRunView } from "~/models/training-run.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { cancelTraining, recoverStaleRunsOnce } from "~/utils/registry/training.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.runTitle);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["datascientist", "admin"]);
  await recoverStaleRunsOnce();
  const run = await getTrainingRun({ id: params.runId ?? "" });
  if (!run) throw new Response("Not found", { status: 404 });
  return { run: toRunView(run), canEdit: user.role === "datascientist" };
}

const ActionSchema = z.object({ intent: z.literal("cancel") });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["datascientist"]);
  const t = MESSAGES[await getLang(request)];
  if (!ActionSchema.safeParse(Object.fromEntries(await readForm(request))).success) {
    return { ok: false as const, message: label(t.trainErrors, "form") };
  }
  const runId = params.runId ?? "";
  const ok = await cancelTraining({ runId });
  await audit({ actorId: user.id, action: "model.train.cancel", object: `training_run:${runId}`, result: ok ? "ok" : "failed", request });
  return ok ? { ok: true as const, message: t.runCancelled } : { ok: false as const, message: label(t.trainErrors, "form") };
}

/** Share of the work done, from member and epoch (epochs may stop early, so this is a floor). */
function fraction(run: RunView): number {
  const p = run.progress;
  if (run.status === "succeeded" || p.phase === "done") return 1;
  if (!p.members || !p.member || !p.maxEpochs || p.epoch === undefined) return 0;
  return Math.min(1, ((p.member - 1) * p.maxEpochs + p.epoch) / (p.members * p.maxEpochs));
}

export default function TrainingRunPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const [run, setRun] = useState<RunView>(data.run);
  useEffect(() => setRun(data.run), [data.run]);
  useEffect(() => {
    if (data.run.finished || typeof EventSource === "undefined") return;
    const source = new EventSource(`/models/runs/${data.run.id}/events`);
    source.addEventListener("run", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as RunView;
      setRun(next);
      if (next.finished) source.close();
    });
    return () => source.close();
  }, [data.run.id, data.run.finished]);
  const p = run.progress;
  const share = fraction(run);
  return (
    <div className="page">
      <p>
        <Link to="/models/train">{t.backToModels}</Link>
      </p>
      <h1>{t.runTitle}</h1>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <dl className="profile-list">
        <dt>{t.tableLabel}</dt>
        <dd>{run.tableName}</dd>
        <dt>{t.settingsLabel}</dt>
        <dd>
          {t.seedLabel} {run.settings.seed ?? "–"} · {t.membersLabel} {run.settings.members ?? "–"} · {t.maxEpochsLabel} {run.settings.maxEpochs ?? "–"}
        </dd>
        <dt>{t.status}</dt>
        <dd data-testid="run-status">{label(t.runStatusLabels, run.status)}</dd>
        <dt>{t.lastUpdate}</dt>
        <dd>{run.updatedAt ?? "–"}</dd>
      </dl>
      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading">{t.progressLabel}</h2>
        <div aria-live="polite" data-testid="run-progress">
          <p>
            {p.phase ? label(t.phaseLabels, p.phase) : "–"}
            {p.phase === "training" && p.member && p.members && p.maxEpochs && p.epoch !== undefined
              ? ` — ${fill(t.memberProgress, { member: p.member, members: p.members, epoch: p.epoch, maxEpochs: p.maxEpochs })}`
              : null}
          </p>
        </div>
        <progress max={100} value={Math.round(share * 100)} aria-label={t.progressLabel}>
          {Math.round(share * 100)}%
        </progress>
        {run.error ? (
          <p className="form-error" role="alert" data-testid="run-error">
            {t.reasonLabel}: {run.error}
          </p>
        ) : null}
        {run.modelVersionId ? (
          <p className="notice" data-testid="run-candidate">
            {t.newCandidate}: <Link to={`/models/${encodeURIComponent(run.modelVersionId)}`}>{run.modelVersionId}</Link>
          </p>
        ) : null}
        {!run.finished ? (
          <p className="muted">
            {t.liveNote} <a href={`/models/runs/${run.id}`}>{t.refresh}</a>
          </p>
        ) : null}
      </section>
      {data.canEdit && !run.finished ? (
        <Form method="post">
          <input type="hidden" name="intent" value="cancel" />
          <button type="submit">{t.cancelRun}</button>
        </Form>
      ) : null}
    </div>
  );
}
