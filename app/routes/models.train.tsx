import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { label } from "~/components/model-ui";
import { countActiveRuns, listTrainingRuns, parseProgress, TrainSettingsSchema } from "~/models/training-run.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { LEARNER_CHOICES } from "~/utils/registry/learner-choices";
import { listLinkedTables } from "~/utils/registry/model-registry.server";
import { recoverStaleRunsOnce, startTraining } from "~/utils/registry/training.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.trainTitle);

/** The form: the learner chosen by validation unless the data scientist fixes one. */
const TrainFormSchema = TrainSettingsSchema.extend({ tableName: z.string().min(1).max(200), learner: z.enum(LEARNER_CHOICES).default("auto") });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["datascientist", "admin"]);
  await recoverStaleRunsOnce();
  const [tables, runs] = await Promise.all([listLinkedTables(), listTrainingRuns()]);
  return {
    canEdit: user.role === "datascientist",
    tables,
    runs: runs.map((r) => ({
      id: r.id,
      status: r.status,
      tableName: r.tableName,
      phase: parseProgress(r.progressJson).phase ?? null,
      modelVersionId: r.modelVersionId,
      createdAt: r.createdAt.toISOString().slice(0, 16).replace("T", " "),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["datascientist"]);
  const t = MESSAGES[await getLang(request)];
  const parsed = TrainFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "form");
    return { field, message: label(t.trainErrors, field) };
  }
  const { tableName, ...settings } = parsed.data;
  if (!(await listLinkedTables()).includes(tableName)) return { field: "tableName", message: label(t.trainErrors, "tableName") };
  if ((await countActiveRuns()) > 0) return { field: "form", message: label(t.trainErrors, "busy") };
  const { runId } = await startTraining({ tableName, settings, userId: user.id });
  await audit({ actorId: user.id, action: "model.train.start", object: `training_run:${runId}`, result: "ok", request });
  return redirect(`/models/runs/${runId}`);
}

export default function Train() {
  const { tables, runs, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errorFor = (field: string) => (result?.field === field ? result.message : null);
  const fieldError = (field: string) => {
    const message = errorFor(field);
    return message ? (
      <p className="form-error" id={`${field}-error`}>
        {message}
      </p>
    ) : null;
  };
  return (
    <div className="page">
      <p>
        <Link to="/models">{t.backToModels}</Link>
      </p>
      <h1>{t.trainTitle}</h1>
      <p>{t.trainIntro}</p>
      {result?.field === "form" ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      {canEdit ? (
        tables.length === 0 ? (
          <p className="muted">{t.noTables}</p>
        ) : (
          <Form method="post" noValidate>
            <div className="field">
              <label htmlFor="train-table">{t.tableLabel}</label>
              <select id="train-table" name="tableName" defaultValue={tables[0]} aria-describedby={errorFor("tableName") ? "tableName-error" : undefined}>
                {tables.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
              {fieldError("tableName")}
            </div>
            <div className="field">
              <label htmlFor="train-seed">{t.seedLabel}</label>
              <input id="train-seed" name="seed" type="number" min={0} step={1} defaultValue={42} required aria-invalid={errorFor("seed") ? true : undefined} aria-describedby={errorFor("seed") ? "seed-error" : undefined} />
              {fieldError("seed")}
            </div>
            <div className="field">
              <label htmlFor="train-members">{t.membersRangeLabel}</label>
              <input id="train-members" name="members" type="number" min={1} max={10} step={1} defaultValue={5} required aria-invalid={errorFor("members") ? true : undefined} aria-describedby={errorFor("members") ? "members-error" : undefined} />
              {fieldError("members")}
            </div>
            <div className="field">
              <label htmlFor="train-epochs">{t.maxEpochsLabel}</label>
              <input id="train-epochs" name="maxEpochs" type="number" min={1} max={500} step={1} defaultValue={60} required aria-invalid={errorFor("maxEpochs") ? true : undefined} aria-describedby={errorFor("maxEpochs") ? "maxEpochs-error" : undefined} />
              {fieldError("maxEpochs")}
            </div>
            <div className="field">
              <label htmlFor="train-learner">{t.learnerLabel}</label>
              <select
                id="train-learner"
                name="learner"
                defaultValue="auto"
                aria-invalid={errorFor("learner") ? true : undefined}
                aria-describedby={errorFor("learner") ? "learner-help learner-error" : "learner-help"}
              >
                {LEARNER_CHOICES.map((kind) => (
                  <option key={kind} value={kind}>
                    {label(t.learnerOptions, kind)}
                  </option>
                ))}
              </select>
              <p className="help" id="learner-help">
                {t.learnerHelp}
              </p>
              {fieldError("learner")}
            </div>
            <button type="submit" className="primary">
              {t.startTraining}
            </button>
          </Form>
        )
      ) : null}
      <h2>{t.recentRuns}</h2>
      {runs.length === 0 ? (
        <p className="muted">{t.noRuns}</p>
      ) : (
        <table data-testid="runs">
          <thead>
            <tr>
              <th scope="col">{t.dateLabel}</th>
              <th scope="col">{t.tableLabel}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.newCandidate}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/models/runs/${r.id}`}>{r.createdAt}</Link>
                </td>
                <td>{r.tableName}</td>
                <td>{label(t.runStatusLabels, r.status)}</td>
                <td>{r.modelVersionId ? <Link to={`/models/${encodeURIComponent(r.modelVersionId)}`}>{r.modelVersionId}</Link> : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
