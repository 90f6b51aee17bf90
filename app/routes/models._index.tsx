import { type ActionFunctionArgs, data as responseData, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { fill, label, shortHash } from "~/components/model-ui";
import { listModelVersions, listRollbackTargets } from "~/models/model-version.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { importBundle, listLinkedTables, rollbackRegisteredModel } from "~/utils/registry/model-registry.server";
import { readLearnerSummary } from "~/utils/registry/learner.server";
import { recoverStaleRunsOnce } from "~/utils/registry/training.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.models);

/** Viewing: data scientists and admins. Changing anything: data scientists only (checked in the action). */
const VIEW_ROLES = ["datascientist", "admin"] as const;

const ImportFormSchema = z.object({
  intent: z.literal("import"),
  path: z.string().trim().min(1).max(500),
  tableName: z.string().max(200).optional().transform((v) => (v ? v : null)),
});
const RollbackFormSchema = z.object({
  intent: z.literal("rollback"),
  target: z.string().max(200).default(""),
  reason: z.string().max(500).default(""),
});
const ActionSchema = z.discriminatedUnion("intent", [ImportFormSchema, RollbackFormSchema]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, VIEW_ROLES);
  await recoverStaleRunsOnce();
  const [versions, rollbackTargets, tables] = await Promise.all([listModelVersions(), listRollbackTargets(), listLinkedTables()]);
  const passed = new Set(versions.filter((v) => v.disclosureStatus === "passed").map((v) => v.id));
  // Models whose validation could not show that their advice beats current practice are marked.
  const learners = await Promise.all(versions.map((v) => readLearnerSummary(v.dir)));
  return {
    canEdit: user.role === "datascientist",
    tables,
    rollbackTargets: rollbackTargets.filter((v) => passed.has(v.id)).map((v) => v.id),
    versions: versions.map((v, i) => ({
      id: v.id,
      informationOnly: learners[i]?.advise === false,
      status: v.status,
      dataHash: shortHash(v.dataHash),
      disclosureStatus: v.disclosureStatus,
      activationReason: v.activationReason,
      createdAt: v.createdAt.toISOString().slice(0, 16).replace("T", " "),
      activatedAt: v.activatedAt?.toISOString().slice(0, 16).replace("T", " ") ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["datascientist"]);
  const t = MESSAGES[await getLang(request)];
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return { ok: false, message: label(t.importErrors, "path") };
  const data = parsed.data;
  if (data.intent === "rollback") {
    const result = await rollbackRegisteredModel({ targetId: data.target, reason: data.reason, userId: user.id });
    await audit({
      actorId: user.id,
      action: "model.rollback",
      object: `model:${result.ok ? result.activated : data.target.slice(0, 120) || "?"}`,
      result: result.ok ? "ok" : "failed",
      request,
    });
    return result.ok
      ? { ok: true, message: fill(t.rolledBack, { version: result.activated }) }
      : responseData({ ok: false, message: label(t.transitionErrors, result.reason) }, { status: 400 });
  }
  const result = await importBundle({ source: data.path, createdById: user.id, tableName: data.tableName });
  await audit({
    actorId: user.id,
    action: "model.import",
    object: result.ok ? `model:${result.version}` : null,
    result: result.ok ? "ok" : "failed",
    request,
  });
  if (result.ok) return { ok: true, message: fill(t.importOk, { version: result.version }) };
  const reason = label(t.importErrors, result.code);
  return { ok: false, message: `${t.importRefused}: ${reason}${result.detail ? ` (${result.detail})` : ""}.` };
}

export default function Models() {
  const { versions, canEdit, tables, rollbackTargets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t.models}</h1>
      <p>{t.modelsIntro}</p>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="models-result">
          {result.message}
        </p>
      ) : null}
      <table data-testid="models">
        <thead>
          <tr>
            <th scope="col">{t.modelVersion}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.dataHashLabel}</th>
            <th scope="col">{t.disclosureCheck}</th>
            <th scope="col">{t.dateLabel}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-status={v.status} className={v.status === "active" ? "row-active" : undefined} aria-current={v.status === "active" ? "true" : undefined}>
              <td>
                <Link to={`/models/${encodeURIComponent(v.id)}`}>{v.id}</Link>
              </td>
              <td>
                {v.status === "active" ? <strong className="badge">{label(t.modelStatusLabels, v.status)}</strong> : label(t.modelStatusLabels, v.status)}
                {v.informationOnly ? (
                  <>
                    {" "}
                    <span className="badge" data-testid="information-only-badge">
                      {t.informationOnlyBadge}
                    </span>
                  </>
                ) : null}
              </td>
              <td>{v.dataHash ? <code title={t.dataHashLabel}>{v.dataHash}</code> : t.unknownValue}</td>
              <td>{label(t.disclosureLabels, v.disclosureStatus)}</td>
              <td>{v.activatedAt ?? v.createdAt}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="help">{t.regNoOwnMetrics}</p>
      {canEdit ? (
        <>
          <p>
            <Link to="/models/train">{t.retrain}</Link>
          </p>
          <h2>{t.regRollbackHeading}</h2>
          {rollbackTargets.length > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="rollback" />
              <p>{t.regRollbackIntro}</p>
              <div className="field">
                <label htmlFor="rollback-target">{t.regRollbackTargetLabel}</label>
                <select id="rollback-target" name="target" defaultValue={rollbackTargets[0]}>
                  {rollbackTargets.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="rollback-reason">{t.regRollbackReasonLabel}</label>
                <textarea id="rollback-reason" name="reason" required minLength={5} maxLength={500} rows={2} aria-describedby="rollback-reason-help" />
                <p className="help" id="rollback-reason-help">
                  {t.regReasonHelp}
                </p>
              </div>
              <button type="submit">{t.regRollbackButton}</button>
            </Form>
          ) : (
            <p className="muted">{t.noRollback}</p>
          )}
          <h2>{t.importBundle}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="import" />
            <p className="help" id="import-help">
              {t.importIntro}
            </p>
            <div className="field">
              <label htmlFor="import-path">{t.importPath}</label>
              <input id="import-path" name="path" required maxLength={500} aria-describedby="import-help" autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor="import-table">{t.trainingTableOptional}</label>
              <select id="import-table" name="tableName" defaultValue="">
                <option value="">{t.noneOption}</option>
                {tables.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="primary">
              {t.importButton}
            </button>
          </Form>
        </>
      ) : null}
    </div>
  );
}
