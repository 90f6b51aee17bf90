import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import type { Catalogue } from "../../model/config/municipality";
import { IntakeFields } from "~/components/intake-fields";
import { AdviceVerdict, RankingTable } from "~/components/ranking-table";
import { SecondaryNote, secondaryColumns } from "~/components/secondary-effects";
import { completeClientProfile, getClient, getClientOwner } from "~/models/client.server";
import { getDecisionHistory, getOutcomeHistory, recordDecision, recordOutcome } from "~/models/decision.server";
import { getStatedAccessReason } from "~/models/audit.server";
import { recordShownRecommendation } from "~/models/recommendation.server";
import { AccessReasonSchema, auditReasonLabel, CASELOAD_REASON, STATED_REASONS, statedReasonLabel, storedReason } from "~/utils/audit-actions";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import {
  conflictError,
  decisionFormSchemaFor,
  DEVIATION_LABELS,
  DEVIATION_REASONS,
  formErrors,
  formMessage,
  isoDay,
  outcomeFormSchemaFor,
  reasonRequiredError,
} from "~/utils/forms/decision-form";
import { formatDate, formatPercent, formatPoints, type Lang, MESSAGES, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { intakeErrors, missingFacts, profileOf, readIntakeForm, answersSchemaFor } from "~/utils/forms/intake-form";
import { getServingCatalogue, recommendForClient } from "~/utils/registry/predictor.server";
import { armLabel, formatProfileValue } from "~/utils/forms/profile-labels";
import { applyWhatIfs, whatIfOptions } from "~/utils/forms/what-ifs";
import { unknownFactImpact, unknownFacts, unknownFactVariants } from "~/utils/forms/unknown-facts";
import { readForm } from "~/utils/forms/form.server";

/** The tab title names the client's code, in the page's language. */
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m.id === "root")?.data as { lang?: Lang } | undefined;
  const t = MESSAGES[root?.lang ?? "nl"];
  return [{ title: `${t.client} ${data && !data.reasonRequired ? data.client.code : ""} — Trajectwijzer` }];
};

const SAVED = ["decision", "outcome", "profile"] as const;

async function requireOwnClient(request: Request, clientId: string | undefined) {
  const user = await requireRole(request, ["caseworker"]);
  const client = await getClient({ id: clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${clientId ?? ""}`, result: "denied", request });
    throw new Response("Not found", { status: 404 });
  }
  return { user, client };
}

/** A reason stated to open another case worker's client holds for this long (a working day). */
const STATED_REASON_HOURS = 8;

/**
 * Who may read this file, and why (recorded with every entry about it): a client in the case
 * worker's own caseload ("caseload"); another case worker's client, read only, once the case worker
 * stated a reason in the last STATED_REASON_HOURS ("break the glass"). `reasonRequired` when a reason
 * is needed first; a client that does not exist is a 404.
 */
async function requireClientAccess(request: Request, clientId: string | undefined) {
  const user = await requireRole(request, ["caseworker"]);
  const id = clientId ?? "";
  const own = await getClient({ id, caseworkerId: user.id });
  if (own) return { user, client: own, ownerId: user.id, reason: CASELOAD_REASON, own: true as const };
  const owner = await getClientOwner({ id });
  const since = new Date(Date.now() - STATED_REASON_HOURS * 3600 * 1000);
  const reason = owner ? await getStatedAccessReason({ actorId: user.id, clientId: id, since }) : null;
  const client = owner && reason ? await getClient({ id, caseworkerId: owner.caseworkerId }) : null;
  if (owner && reason && client) return { user, client, ownerId: owner.caseworkerId, reason, own: false as const };
  await audit({ actorId: user.id, action: "client.access", object: `client:${id}`, result: "denied", request });
  if (!owner) throw new Response("Not found", { status: 404 });
  return { user, reasonRequired: true as const };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const access = await requireClientAccess(request, params.clientId);
  if ("reasonRequired" in access) return data({ reasonRequired: true as const, hours: STATED_REASON_HOURS }, { status: 403 });
  const { user, client, ownerId, reason } = access;
  const lang = await getLang(request);
  const url = new URL(request.url);
  await audit({ actorId: user.id, action: "client.view", object: `client:${client.id}`, result: "ok", request, reason });
  // The serving model's terms: a client registered under an earlier model may lack facts it needs;
  // then the page asks for them and no advice is computed from invented values.
  const catalogue = await getServingCatalogue();
  const missing = missingFacts(catalogue, client.profile);
  const profile = profileOf(catalogue, client.profile);
  const whatIf = applyWhatIfs(profile, url.searchParams.getAll("whatif"), catalogue);
  const hypothetical = whatIf.active.length > 0;
  const unknown = missing.length === 0 ? unknownFacts(catalogue, profile) : [];
  // With a what-if on, the advice for the client as recorded is computed beside it (before and after).
  const [recommendation, before] =
    missing.length === 0 ? await Promise.all([recommendForClient(whatIf.profile), hypothetical ? recommendForClient(profile) : null]) : [null, null];
  // How much each unknown fact matters: the advice recomputed with the fact set to each possible answer.
  const variants = recommendation && !hypothetical ? unknownFactVariants(catalogue, profile) : [];
  const answered = await Promise.all(variants.map(async (v) => ({ feature: v.feature, result: await recommendForClient(v.profile) })));
  const impacts = recommendation
    ? unknownFactImpact(recommendation, answered.flatMap((a) => (a.result ? [{ feature: a.feature, result: a.result }] : [])))
    : [];
  let recommendationId: string | null = null;
  // As shown: with "keep effects measurable" on, tied first trajectories may swap places (recorded).
  let shownRecommendation = recommendation;
  if (recommendation) {
    const shown = await recordShownRecommendation({ clientId: client.id, result: recommendation, variant: whatIf.active.join(",") });
    recommendationId = shown.id;
    shownRecommendation = shown.result;
    await audit({ actorId: user.id, action: "recommendation.shown", object: `recommendation:${shown.id}`, result: "ok", request, reason });
  }
  const [decisions, outcomes] = await Promise.all([
    getDecisionHistory({ clientId: client.id, caseworkerId: ownerId }),
    getOutcomeHistory({ clientId: client.id, caseworkerId: ownerId }),
  ]);
  const saved = SAVED.find((s) => s === url.searchParams.get("saved")) ?? null;
  return {
    reasonRequired: false as const,
    // Read by someone outside the caseload: shown in words, no changes possible.
    statedReason: access.own ? null : auditReasonLabel(reason, lang),
    client: {
      id: client.id,
      code: client.code,
      status: client.status,
      version: client.version,
      profile: client.profile,
      lastContactAt: client.lastContactAt.toISOString(),
      closed: client.status === "closed",
      readOnly: client.status === "closed" || !access.own,
    },
    catalogue,
    missing,
    unknown,
    impacts,
    recommendation: shownRecommendation,
    before,
    recommendationId,
    whatIfs: missing.length === 0 ? whatIfOptions(profile, lang, catalogue) : [],
    activeWhatIfs: whatIf.active,
    saved,
    decisions: decisions.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    outcomes: outcomes.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), workStart: o.workStart?.toISOString().slice(0, 10) ?? null })),
  };
}

/** The reason a case worker states before another case worker's client opens (audited; then the file opens read only). */
async function stateAccessReason(options: { request: Request; userId: string; clientId: string; form: Record<string, FormDataEntryValue>; lang: Lang }) {
  const { request, userId, clientId } = options;
  const owner = await getClientOwner({ id: clientId });
  if (!owner) throw new Response("Not found", { status: 404 });
  if (owner.caseworkerId === userId) return redirect(`/clients/${clientId}`);
  const parsed = AccessReasonSchema.safeParse(options.form);
  if (!parsed.success) {
    const t = MESSAGES[options.lang];
    const noteMissing = parsed.error.issues.every((i) => i.path[0] === "note");
    return data({ intent: "access" as const, errors: noteMissing ? { note: t.accessReasonNoteRequired } : { reason: t.accessReasonRequired } }, { status: 400 });
  }
  await audit({ actorId: userId, action: "client.break_glass", object: `client:${clientId}`, result: "ok", request, reason: storedReason(parsed.data) });
  return redirect(`/clients/${clientId}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const caller = await requireRole(request, ["caseworker"]);
  const lang = await getLang(request);
  const formData = await readForm(request);
  const form = Object.fromEntries(formData);
  if (form.intent === "access") return stateAccessReason({ request, userId: caller.id, clientId: params.clientId ?? "", form, lang });
  // Changes only by the client's own case worker.
  const { user, client } = await requireOwnClient(request, params.clientId);
  const reason = CASELOAD_REASON;
  if (client.status === "closed") {
    const intent = form.intent === "decision" || form.intent === "outcome" || form.intent === "profile" ? form.intent : ("unknown" as const);
    return data({ intent, errors: formMessage("closed", lang) }, { status: 409 });
  }
  if (form.intent === "decision") {
    const arms = (await getServingCatalogue()).trajectories.map((c) => c.key);
    const parsed = decisionFormSchemaFor(arms).safeParse(form);
    if (!parsed.success) return { intent: "decision" as const, errors: formErrors(parsed.error.issues, lang) };
    const result = await recordDecision({
      clientId: client.id,
      caseworkerId: user.id,
      expectedVersion: parsed.data.version,
      recommendationId: parsed.data.recommendationId,
      chosenArm: parsed.data.chosenArm,
      reasonCode: parsed.data.reasonCode,
      reasonText: parsed.data.reasonText,
    });
    if (!result.ok) {
      await audit({ actorId: user.id, action: "decision.record", object: `client:${client.id}`, result: "failed", request, reason });
      if (result.reason === "what_if") return data({ intent: "decision" as const, errors: formMessage("what_if_recommendation", lang) }, { status: 400 });
      return {
        intent: "decision" as const,
        errors:
          result.reason === "conflict"
            ? conflictError(lang)
            : result.reason === "reason_required"
              ? reasonRequiredError(lang)
              : formMessage("foreign_recommendation", lang),
      };
    }
    await audit({ actorId: user.id, action: "decision.record", object: `decision:${result.id}`, result: "ok", request, reason });
    return redirect(`/clients/${client.id}?saved=decision`);
  }
  if (form.intent === "outcome") {
    // A work start lies between the decision it follows and today.
    const [latest] = await getDecisionHistory({ clientId: client.id, caseworkerId: user.id });
    const parsed = outcomeFormSchemaFor({ decidedOn: latest ? isoDay(latest.createdAt) : null, today: isoDay(new Date()) }).safeParse(form);
    if (!parsed.success) return { intent: "outcome" as const, errors: formErrors(parsed.error.issues, lang) };
    const result = await recordOutcome({ clientId: client.id, caseworkerId: user.id, expectedVersion: parsed.data.version, ...parsed.data });
    if (!result.ok) {
      await audit({ actorId: user.id, action: "outcome.record", object: `client:${client.id}`, result: "failed", request, reason });
      return { intent: "outcome" as const, errors: result.reason === "conflict" ? conflictError(lang) : formMessage("no_decision", lang) };
    }
    await audit({ actorId: user.id, action: "outcome.record", object: `outcome:${result.id}`, result: "ok", request, reason });
    return redirect(`/clients/${client.id}?saved=outcome`);
  }
  if (form.intent === "profile") {
    // Completing the facts the serving model needs, or filling in facts recorded as unknown; only those
    // are read, the rest of the profile stays.
    const catalogue = await getServingCatalogue();
    const missing = missingFacts(catalogue, client.profile);
    const asked = missing.length > 0 ? missing : unknownFacts(catalogue, profileOf(catalogue, client.profile));
    const raw = readIntakeForm(formData, catalogue);
    const parsed = answersSchemaFor(catalogue, asked).safeParse(raw);
    const version = Number(form.version);
    if (!parsed.success || !Number.isInteger(version)) {
      return data({ intent: "profile" as const, errors: parsed.success ? conflictError(lang) : intakeErrors(parsed.error.issues, lang, catalogue) }, { status: 400 });
    }
    const result = await completeClientProfile({ id: client.id, caseworkerId: user.id, version, answers: parsed.data });
    if (!result.ok) return data({ intent: "profile" as const, errors: conflictError(lang) }, { status: 409 });
    await audit({ actorId: user.id, action: "client.profile_complete", object: `client:${client.id}`, result: "ok", request, reason });
    return redirect(`/clients/${client.id}?saved=profile`);
  }
  return { intent: "unknown" as const, errors: formMessage("unknown_intent", lang) };
}

/** The facts the serving model needs that this client's profile does not hold yet. */
function MissingFactsForm() {
  const { client, catalogue, missing } = useFile();
  const result = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string> = result?.intent === "profile" ? result.errors : {};
  return (
    <Form method="post" noValidate aria-labelledby="missing-heading" data-testid="missing-facts" key={client.version}>
      <h3 id="missing-heading">{t.missingFactsTitle}</h3>
      <p role="status">{t.missingFactsIntro.replace("{n}", String(missing.length))}</p>
      <FormAlert message={errors.form} />
      <input type="hidden" name="intent" value="profile" />
      <input type="hidden" name="version" value={client.version} />
      <IntakeFields catalogue={catalogue as Catalogue} lang={t.lang} values={{}} errors={errors} only={missing} />
      <button type="submit" className="primary">
        {t.saveMissingFacts}
      </button>
    </Form>
  );
}

/**
 * Facts recorded as unknown: which they are, how far the advised trajectory's chance moves over their
 * possible answers (largest first), and a form to fill them in once they are known.
 */
function UnknownFacts() {
  const { client, catalogue, unknown, impacts, recommendation } = useFile();
  const result = useActionData<typeof action>();
  const t = useT();
  if (unknown.length === 0) return null;
  const errors: Record<string, string> = result?.intent === "profile" ? result.errors : {};
  const top = recommendation?.arms.find((a) => a.rank === 1);
  const label = (name: string) => catalogue.features.find((f) => f.name === name)?.label[t.lang] ?? name;
  const impactOf = new Map(impacts.map((i) => [i.feature, i]));
  const ordered = [...impacts.map((i) => i.feature), ...unknown.filter((u) => !impactOf.has(u))];
  return (
    <section aria-labelledby="unknown-heading" data-testid="unknown-facts" className="unknown-facts">
      <h3 id="unknown-heading">{t.unknownFactsTitle}</h3>
      <p>{t.unknownFactsIntro.replace("{arm}", top ? armLabel(top.arm, t.lang, catalogue as Catalogue) : "—")}</p>
      <ul>
        {ordered.map((name) => {
          const impact = impactOf.get(name);
          return (
            <li key={name} data-feature={name}>
              <strong>{label(name)}</strong>
              {impact ? (
                <>
                  {": "}
                  {t.unknownFactRange
                    .replace("{low}", formatPercent(impact.low, t.lang))
                    .replace("{high}", formatPercent(impact.high, t.lang))
                    .replace("{points}", formatPoints(impact.high - impact.low, t.lang))}
                  {impact.adviceChanges ? <strong className="advice-may-change"> {t.unknownFactAdviceChanges}</strong> : null}
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
      {client.readOnly ? null : (
        <details className="no-print" open={errors.form !== undefined || Object.keys(errors).length > 0}>
          <summary>{t.fillUnknownFacts}</summary>
          <Form method="post" noValidate aria-label={t.fillUnknownFacts} key={client.version}>
            <p className="help muted">{t.fillUnknownFactsHelp}</p>
            <FormAlert message={errors.form} />
            <input type="hidden" name="intent" value="profile" />
            <input type="hidden" name="version" value={client.version} />
            <IntakeFields catalogue={catalogue as Catalogue} lang={t.lang} values={client.profile} errors={errors} only={unknown} />
            <button type="submit" className="primary">
              {t.saveMissingFacts}
            </button>
          </Form>
        </details>
      )}
    </section>
  );
}

/** A form-level error, announced to screen readers. */
function FormAlert({ message }: { message: string | undefined }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="field-error">
      {message}
    </p>
  ) : null;
}

/**
 * The confirmation after a save, in a live region that is always on the page so the message is
 * announced when it appears (the save redirects back here).
 */
function SavedNotice() {
  const { saved, decisions, outcomes } = useFile();
  const t = useT();
  const text =
    saved === "decision" && decisions[0]
      ? t.savedDecision.replace("{version}", String(decisions[0].version))
      : saved === "outcome" && outcomes[0]
        ? t.savedOutcome.replace("{version}", String(outcomes[0].version))
        : saved === "profile"
          ? t.savedProfile
          : null;
  return (
    <div role="status" aria-live="polite" className="no-print">
      {text ? (
        <p className="notice" data-testid="saved-notice">
          {text}
        </p>
      ) : null}
    </div>
  );
}

/** Code, status, last contact, decision state and model version, at the top of the file (and of the print). */
function ClientSummary() {
  const { client, catalogue, decisions, recommendation, statedReason } = useFile();
  const t = useT();
  const latest = decisions[0];
  const modelVersion = recommendation?.modelVersion ?? latest?.recommendation?.modelVersion ?? "—";
  return (
    <section aria-labelledby="summary-heading" className="client-summary" data-testid="client-summary">
      <h2 id="summary-heading" className="visually-hidden">
        {t.summaryTitle}
      </h2>
      <dl>
        <div>
          <dt>{t.clientCode}</dt>
          <dd>{client.code}</dd>
        </div>
        <div>
          <dt>{t.status}</dt>
          <dd>{t.statusLabels[client.status as keyof typeof t.statusLabels] ?? client.status}</dd>
        </div>
        <div>
          <dt>{t.lastContact}</dt>
          <dd>{formatDate(client.lastContactAt, t.lang)}</dd>
        </div>
        <div>
          <dt>{t.decisionState}</dt>
          <dd data-testid="decision-state">
            {latest
              ? t.decisionRecorded
                  .replace("{arm}", armLabel(latest.chosenArm, t.lang, catalogue as Catalogue))
                  .replace("{version}", String(latest.version))
                  .replace("{date}", formatDate(latest.createdAt, t.lang))
              : t.decisionPending}
          </dd>
        </div>
        <div>
          <dt>{t.modelVersion}</dt>
          <dd data-testid="model-version">{modelVersion}</dd>
        </div>
      </dl>
      {client.closed ? (
        <p className="notice" data-testid="closed-notice">
          {t.closedReadOnly}
        </p>
      ) : null}
      {statedReason ? (
        <p className="notice" data-testid="stated-reason">
          {t.accessReasonNotice.replace("{reason}", statedReason)}
        </p>
      ) : null}
    </section>
  );
}

function WhatIfForm() {
  const { whatIfs, activeWhatIfs, client } = useFile();
  const t = useT();
  const submit = useSubmit();
  if (whatIfs.length === 0 || client.readOnly) return null;
  return (
    <Form
      method="get"
      replace
      preventScrollReset
      className="what-if no-print"
      onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}
    >
      <fieldset>
        <legend>{t.whatIfLegend}</legend>
        {whatIfs.map((w) => (
          <div key={w.key} className="checkbox-field">
            <input type="checkbox" id={`whatif-${w.key}`} name="whatif" value={w.key} defaultChecked={activeWhatIfs.includes(w.key)} />
            <label htmlFor={`whatif-${w.key}`}>{w.label}</label>
          </div>
        ))}
        <noscript>
          <button type="submit">{t.recompute}</button>
        </noscript>
      </fieldset>
    </Form>
  );
}

function DecisionForm() {
  const { client, catalogue, recommendation, recommendationId, activeWhatIfs, decisions } = useFile();
  const data = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string> = data?.intent === "decision" ? data.errors : {};
  const top = recommendation?.arms.find((a) => a.rank === 1)?.arm;
  const advised = recommendation?.advise === false ? undefined : top;
  if (client.readOnly) return null;
  if (!recommendation || !recommendationId || activeWhatIfs.length > 0) {
    return activeWhatIfs.length > 0 ? <p className="muted no-print">{t.decisionNeedsOwnProfile}</p> : null;
  }
  const form = (
    // A new version of the client remounts the form: after a save it is empty again, not a duplicate in waiting.
    <Form method="post" noValidate aria-labelledby="decision-heading" key={client.version} className="no-print">
      <h3 id="decision-heading">{t.recordDecision}</h3>
      <FormAlert message={errors.form} />
      <input type="hidden" name="intent" value="decision" />
      <input type="hidden" name="version" value={client.version} />
      <input type="hidden" name="recommendationId" value={recommendationId} />
      <input type="hidden" name="topArm" value={top ?? ""} />
      <label htmlFor="chosenArm">{t.chosenTrajectory}</label>
      {/* A ranking shown as information only pre-selects nothing and marks no trajectory as advised. */}
      <select id="chosenArm" name="chosenArm" defaultValue={advised ?? ""} aria-describedby="chosenArm-help">
        {advised ? null : <option value="">{t.chooseTrajectoryPrompt}</option>}
        {catalogue.trajectories.map(({ key: arm }) => (
          <option key={arm} value={arm}>
            {armLabel(arm, t.lang, catalogue as Catalogue)}
            {arm === advised ? ` (${t.advised})` : ""}
          </option>
        ))}
      </select>
      <p id="chosenArm-help" className="help muted">
        {t.deviationHelp}
      </p>
      <label htmlFor="reasonCode">{t.deviationReason}</label>
      <select id="reasonCode" name="reasonCode" defaultValue="" aria-invalid={errors.reasonCode ? true : undefined} aria-describedby="reasonCode-error">
        <option value="">—</option>
        {DEVIATION_REASONS.map((r) => (
          <option key={r} value={r}>
            {DEVIATION_LABELS[r][t.lang]}
          </option>
        ))}
      </select>
      <FieldError id="reasonCode-error" message={errors.reasonCode} />
      <label htmlFor="reasonText">{t.deviationExplanation}</label>
      <textarea id="reasonText" name="reasonText" maxLength={1000} aria-invalid={errors.reasonText ? true : undefined} aria-describedby="reasonText-error" />
      <FieldError id="reasonText-error" message={errors.reasonText} />
      <div>
        <button type="submit" className="primary">
          {t.saveDecision}
        </button>
      </div>
    </Form>
  );
  // Once a decision is recorded, changing it (a new version) is a deliberate step, not a form left open.
  return decisions.length > 0 && !data ? (
    <details className="no-print change-decision">
      <summary>{t.changeDecision}</summary>
      {form}
    </details>
  ) : (
    form
  );
}

/** A yes/no question without a pre-selected answer. */
function YesNo({ name, legend, error }: { name: string; legend: string; error?: string }) {
  const t = useT();
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <div className="radio-row">
        {(["yes", "no"] as const).map((v) => (
          <span key={v}>
            <input type="radio" id={`${name}-${v}`} name={name} value={v} />
            <label htmlFor={`${name}-${v}`}>{v === "yes" ? t.yes : t.no}</label>
          </span>
        ))}
      </div>
      <FieldError id={`${name}-error`} message={error} />
    </fieldset>
  );
}

function OutcomeForm() {
  const { client, decisions } = useFile();
  const data = useActionData<typeof action>();
  const t = useT();
  if (decisions.length === 0 || client.readOnly) return null;
  const errors: Record<string, string> = data?.intent === "outcome" ? data.errors : {};
  return (
    <Form method="post" noValidate aria-labelledby="outcome-heading" key={client.version} className="no-print">
      <h3 id="outcome-heading">{t.recordOutcome}</h3>
      <FormAlert message={errors.form} />
      <input type="hidden" name="intent" value="outcome" />
      <input type="hidden" name="version" value={client.version} />
      <YesNo name="work" legend={t.outcomeWork} error={errors.work} />
      <label htmlFor="workStart">{t.workStart}</label>
      <input id="workStart" name="workStart" type="date" aria-invalid={errors.workStart ? true : undefined} aria-describedby="workStart-error" />
      <FieldError id="workStart-error" message={errors.workStart} />
      <label htmlFor="hoursPerWeek">{t.hoursPerWeek}</label>
      <input id="hoursPerWeek" name="hoursPerWeek" type="number" min={1} max={60} inputMode="numeric" aria-invalid={errors.hoursPerWeek ? true : undefined} aria-describedby="hoursPerWeek-error" />
      <FieldError id="hoursPerWeek-error" message={errors.hoursPerWeek} />
      <YesNo name="leftBenefits" legend={t.outcomeLeftBenefits} error={errors.leftBenefits} />
      <YesNo name="wmoAfter" legend={t.outcomeWmo} error={errors.wmoAfter} />
      <YesNo name="debtsAfter" legend={t.outcomeDebts} error={errors.debtsAfter} />
      <button type="submit" className="primary">
        {t.saveOutcome}
      </button>
    </Form>
  );
}

function History() {
  const { catalogue, decisions, outcomes } = useFile();
  const t = useT();
  if (decisions.length === 0) return <p className="muted">{t.noDecisionYet}</p>;
  return (
    <>
      <div>
        <table data-testid="decisions" className="stack-table">
          <caption>{t.decisionHistory}</caption>
          <thead>
            <tr>
              <th scope="col">{t.versionLabel}</th>
              <th scope="col">{t.chosenTrajectory}</th>
              <th scope="col">{t.followedAdvice}</th>
              <th scope="col">{t.deviationReason}</th>
              <th scope="col">{t.modelVersion}</th>
              <th scope="col">{t.dateLabel}</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((d) => (
              <tr key={d.id}>
                <td data-label={t.versionLabel}>{d.version}</td>
                <td data-label={t.chosenTrajectory}>{armLabel(d.chosenArm, t.lang, catalogue as Catalogue)}</td>
                <td data-label={t.followedAdvice}>{d.followedAdvice ? t.yes : t.no}</td>
                <td data-label={t.deviationReason}>
                  {d.reasonCode ? DEVIATION_LABELS[d.reasonCode as keyof typeof DEVIATION_LABELS]?.[t.lang] : "—"}
                  {d.reasonText ? <div className="muted">{d.reasonText}</div> : null}
                </td>
                <td data-label={t.modelVersion} className="model-version-cell">
                  {d.recommendation?.modelVersion ?? "—"}
                </td>
                <td data-label={t.dateLabel}>{formatDate(d.createdAt, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {outcomes.length > 0 ? (
        <div>
          <table data-testid="outcomes" className="stack-table">
            <caption>{t.outcomeHistory}</caption>
            <thead>
              <tr>
                <th scope="col">{t.versionLabel}</th>
                <th scope="col">{t.outcomeWork}</th>
                <th scope="col">{t.workStart}</th>
                <th scope="col">{t.hoursPerWeek}</th>
                <th scope="col">{t.outcomeLeftBenefits}</th>
                <th scope="col">{t.dateLabel}</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => (
                <tr key={o.id}>
                  <td data-label={t.versionLabel}>{o.version}</td>
                  <td data-label={t.outcomeWork}>{o.work ? t.yes : t.no}</td>
                  <td data-label={t.workStart}>{o.workStart ? formatDate(o.workStart, t.lang) : "—"}</td>
                  <td data-label={t.hoursPerWeek}>{o.hoursPerWeek ?? "—"}</td>
                  <td data-label={t.outcomeLeftBenefits}>{o.leftBenefits ? t.yes : t.no}</td>
                  <td data-label={t.dateLabel}>{formatDate(o.createdAt, t.lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** Opens the browser's print dialog; the print stylesheet leaves the file: summary, advice, reasons, decisions. */
function PrintButton() {
  const t = useT();
  return (
    <button type="button" className="print-button no-print" onClick={() => window.print()}>
      {t.printAdvice}
    </button>
  );
}

/** The open file's data (the page renders the reason form instead while a reason is needed). */
function useFile() {
  const loaded = useLoaderData<typeof loader>();
  if (loaded.reasonRequired) throw new Error("the client's file is not open");
  return loaded;
}

/** Before another case worker's client opens: why (audited with every view of it), then read only. */
function AccessReasonForm({ hours }: { hours: number }) {
  const result = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string | undefined> = result?.intent === "access" ? result.errors : {};
  return (
    <div className="page">
      <p>
        <Link to="/clients">{t.backToCaseload}</Link>
      </p>
      <h1>{t.accessReasonTitle}</h1>
      <p>{t.accessReasonIntro.replace("{hours}", String(hours))}</p>
      <Form method="post" noValidate data-testid="access-reason">
        <input type="hidden" name="intent" value="access" />
        <fieldset aria-describedby={errors.reason ? "reason-error" : undefined}>
          <legend>{t.accessReasonLabel}</legend>
          {STATED_REASONS.map((reason) => (
            <div className="checkbox-field" key={reason}>
              <input type="radio" id={`reason-${reason}`} name="reason" value={reason} required />
              <label htmlFor={`reason-${reason}`}>{statedReasonLabel(reason, t.lang)}</label>
            </div>
          ))}
          <FieldError id="reason-error" message={errors.reason} />
        </fieldset>
        <div className="field">
          <label htmlFor="reason-note">{t.accessReasonNoteLabel}</label>
          <input
            id="reason-note"
            name="note"
            maxLength={200}
            autoComplete="off"
            aria-invalid={errors.note ? true : undefined}
            aria-describedby={errors.note ? "note-help note-error" : "note-help"}
          />
          <p className="help" id="note-help">
            {t.accessReasonNoteHelp}
          </p>
          <FieldError id="note-error" message={errors.note} />
        </div>
        <button type="submit" className="primary">
          {t.accessReasonSubmit}
        </button>
      </Form>
    </div>
  );
}

export default function ClientPage() {
  const loaded = useLoaderData<typeof loader>();
  return loaded.reasonRequired ? <AccessReasonForm hours={loaded.hours} /> : <ClientFile />;
}

function ClientFile() {
  const { client, catalogue, missing, recommendation, before, activeWhatIfs } = useFile();
  const navigation = useNavigation();
  const t = useT();
  const hypothetical = activeWhatIfs.length > 0;
  return (
    <div className="page client-page">
      <p className="no-print">
        <Link to="/clients">{t.backToCaseload}</Link>
      </p>
      <div className="page-heading">
        <h1>
          {t.client} {client.code}
        </h1>
        {recommendation ? <PrintButton /> : null}
      </div>
      <SavedNotice />
      <ClientSummary />
      <section aria-labelledby="ranking-heading">
        <h2 id="ranking-heading">{t.rankedTrajectories}</h2>
        {missing.length > 0 ? (
          client.readOnly ? null : <MissingFactsForm />
        ) : recommendation ? (
          <>
            <p className="muted no-print">{t.rankingIntro}</p>
            <p className="muted">{t.adviceOrderNote}</p>
            <WhatIfForm />
            <div aria-live="polite" aria-busy={navigation.state === "loading"}>
              {hypothetical ? (
                <p className="hypothetical" data-testid="hypothetical">
                  <span className="badge">{t.hypotheticalBadge}</span> {t.hypothetical}
                </p>
              ) : null}
              <AdviceVerdict recommendation={recommendation} catalogue={catalogue as Catalogue} />
              <SecondaryNote recommendation={recommendation} catalogue={catalogue as Catalogue} />
              <div className="ranking-wrap">
                <RankingTable
                  recommendation={recommendation}
                  catalogue={catalogue as Catalogue}
                  before={hypothetical ? before : null}
                  columns={secondaryColumns(recommendation, catalogue as Catalogue, t)}
                />
              </div>
            </div>
            <UnknownFacts />
          </>
        ) : (
          <p role="status">{t.noModel}</p>
        )}
      </section>
      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">{t.decisionsAndOutcomes}</h2>
        <History />
        <DecisionForm />
        <OutcomeForm />
      </section>
      <section aria-labelledby="profile-heading" className="no-print">
        <h2 id="profile-heading">{t.profile}</h2>
        <dl className="profile-list">
          {catalogue.features.map((feature) => (
            <div key={feature.name} className="contents">
              <dt>{feature.label[t.lang]}</dt>
              <dd>
                {client.profile[feature.name] === undefined
                  ? t.missingFactValue
                  : formatProfileValue(client.profile[feature.name] ?? null, t.lang, feature.name, catalogue as Catalogue)}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
