import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { LineChart } from "~/components/charts";
import { LearnerValidation } from "~/components/learner-validation";
import { fill, label } from "~/components/model-ui";
import { getModelVersion } from "~/models/model-version.server";
import { getTrainingRun, type RunView, toRunView } from "~/models/training-run.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { formatNumber, MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { readLearnerSummary } from "~/utils/registry/learner.server";
import { cancelTraining, recoverStaleRunsOnce } from "~/utils/registry/training.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.runTitle);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["datascientist", "admin"]);
  await recoverStaleRunsOnce();
  const run = await getTrainingRun({ id: params.runId ?? "" });
  if (!run) throw new Response("Not found", { status: 404 });
  // Once the run made a candidate: which learner it predicts with, and why (its learner.json).
  const candidate = run.modelVersionId ? await getModelVersion({ id: run.modelVersionId }) : null;
  const learner = candidate ? await readLearnerSummary(candidate.dir) : null;
  return { run: toRunView(run), canEdit: user.role === "datascientist", learner };
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

/** Seconds left, from the time so far and the share done; null while too little is done to tell. */
function secondsLeft(run: RunView, share: number, now: number): number | null {
  if (run.finished || share < 0.02 || share >= 1) return null;
  const elapsed = (now - new Date(run.startedAt).getTime()) / 1000;
  return elapsed > 0 ? Math.round((elapsed * (1 - share)) / share) : null;
}

/** The validation loss per epoch of each ensemble member, as a line chart with its values in words. */
function LossCurve({ losses }: { losses: number[][] }) {
  const t = useT();
  const epochs = Math.max(0, ...losses.map((l) => l.length));
  if (epochs === 0) return null;
  const last = losses.flatMap((l) => l.slice(-1));
  const all = losses.flat();
  const digits = (v: number) => formatNumber(v, t.lang, 3);
  return (
    <figure data-testid="loss-curve">
      <LineChart
        title={t.runLossTitle}
        desc={fill(t.runLossDesc, { members: losses.length, epochs, low: digits(Math.min(...all)), last: last.map(digits).join(", ") })}
        categories={Array.from({ length: epochs }, (_, i) => String(i + 1))}
        series={losses.map((values, m) => ({ name: fill(t.runLossMember, { n: m + 1 }), values }))}
        max={Math.max(...all)}
        tickFormat={digits}
      />
      <figcaption className="help">{t.runLossCaption}</figcaption>
    </figure>
  );
}

export default function TrainingRunPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const [run, setRun] = useState<RunView>(data.run);
  // A finished run reloads the page's data once: the candidate's learner and its validation appear.
  const { revalidate } = useRevalidator();
  useEffect(() => setRun(data.run), [data.run]);
  useEffect(() => {
    if (data.run.finished || typeof EventSource === "undefined") return;
    const source = new EventSource(`/models/runs/${data.run.id}/events`);
    source.addEventListener("run", (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as RunView;
      setRun(next);
      if (next.finished) {
        source.close();
        revalidate();
      }
    });
    return () => source.close();
  }, [data.run.id, data.run.finished, revalidate]);
  const p = run.progress;
  const share = fraction(run);
  // The clock is read in the browser only (the server's render has no estimate, so nothing to mismatch).
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (run.finished) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [run.finished]);
  const left = now === null ? null : secondsLeft(run, share, now);
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
          {run.settings.learner ? (
            <>
              {" "}
              · {t.learnerLabel} <span data-testid="run-learner">{label(t.learnerOptions, run.settings.learner)}</span>
            </>
          ) : null}
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
        <p className="inline-form">
          <progress max={100} value={Math.round(share * 100)} aria-label={t.progressLabel}>
            {Math.round(share * 100)}%
          </progress>{" "}
          {!run.finished ? (
            <span data-testid="run-estimate">
              {left === null
                ? t.runEstimateUnknown
                : fill(t.runEstimate, { time: left >= 60 ? fill(t.runMinutes, { n: Math.ceil(left / 60) }) : fill(t.runSeconds, { n: Math.max(1, left) }) })}
            </span>
          ) : null}
        </p>
        <LossCurve losses={p.losses ?? []} />
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
        {data.learner && run.modelVersionId ? <LearnerValidation learner={data.learner} /> : null}
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
