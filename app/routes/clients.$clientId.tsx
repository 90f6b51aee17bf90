import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import type { Catalogue } from "../../model/config/municipality";
import { IntakeFields } from "~/components/intake-fields";
import { RankingTable } from "~/components/ranking-table";
import { completeClientProfile, getClient } from "~/models/client.server";
import { getDecisionHistory, getOutcomeHistory, recordDecision, recordOutcome } from "~/models/decision.server";
import { recordShownRecommendation } from "~/models/recommendation.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { conflictError, decisionFormSchemaFor, DEVIATION_LABELS, DEVIATION_REASONS, formErrors, formMessage, OutcomeFormSchema, reasonRequiredError } from "~/utils/forms/decision-form";
import { pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { intakeErrors, missingFacts, profileOf, readIntakeForm, answersSchemaFor } from "~/utils/forms/intake-form";
import { getServingCatalogue, recommendForClient } from "~/utils/registry/predictor.server";
import { armLabel, formatProfileValue } from "~/utils/forms/profile-labels";
import { applyWhatIfs, whatIfOptions } from "~/utils/forms/what-ifs";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.client);

async function requireOwnClient(request: Request, clientId: string | undefined) {
  const user = await requireRole(request, ["caseworker"]);
  const client = await getClient({ id: clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.access", object: `client:${clientId ?? ""}`, result: "denied", request });
    throw new Response("Not found", { status: 404 });
  }
  return { user, client };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, client } = await requireOwnClient(request, params.clientId);
  const lang = await getLang(request);
  await audit({ actorId: user.id, action: "client.view", object: `client:${client.id}`, result: "ok", request });
  // The serving model's terms: a client registered under an earlier model may lack facts it needs;
  // then the page asks for them and no advice is computed from invented values.
  const catalogue = await getServingCatalogue();
  const missing = missingFacts(catalogue, client.profile);
  const profile = profileOf(catalogue, client.profile);
  const whatIf = applyWhatIfs(profile, new URL(request.url).searchParams.getAll("whatif"), catalogue);
  const recommendation = missing.length === 0 ? await recommendForClient(whatIf.profile) : null;
  let recommendationId: string | null = null;
  if (recommendation) {
    const shown = await recordShownRecommendation({ clientId: client.id, result: recommendation, variant: whatIf.active.join(",") });
    recommendationId = shown.id;
    await audit({ actorId: user.id, action: "recommendation.shown", object: `recommendation:${shown.id}`, result: "ok", request });
  }
  const [decisions, outcomes] = await Promise.all([
    getDecisionHistory({ clientId: client.id, caseworkerId: user.id }),
    getOutcomeHistory({ clientId: client.id, caseworkerId: user.id }),
  ]);
  return {
    client: { id: client.id, code: client.code, status: client.status, version: client.version, profile: client.profile },
    catalogue,
    missing,
    recommendation,
    recommendationId,
    whatIfs: missing.length === 0 ? whatIfOptions(profile, lang, catalogue) : [],
    activeWhatIfs: whatIf.active,
    decisions: decisions.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    outcomes: outcomes.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), workStart: o.workStart?.toISOString().slice(0, 10) ?? null })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, client } = await requireOwnClient(request, params.clientId);
  const lang = await getLang(request);
  const formData = await readForm(request);
  const form = Object.fromEntries(formData);
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
      await audit({ actorId: user.id, action: "decision.record", object: `client:${client.id}`, result: "failed", request });
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
    await audit({ actorId: user.id, action: "decision.record", object: `decision:${result.id}`, result: "ok", request });
    return redirect(`/clients/${client.id}?saved=decision`);
  }
  if (form.intent === "outcome") {
    const parsed = OutcomeFormSchema.safeParse(form);
    if (!parsed.success) return { intent: "outcome" as const, errors: formErrors(parsed.error.issues, lang) };
    const result = await recordOutcome({ clientId: client.id, caseworkerId: user.id, expectedVersion: parsed.data.version, ...parsed.data });
    if (!result.ok) {
      await audit({ actorId: user.id, action: "outcome.record", object: `client:${client.id}`, result: "failed", request });
      return { intent: "outcome" as const, errors: result.reason === "conflict" ? conflictError(lang) : formMessage("no_decision", lang) };
    }
    await audit({ actorId: user.id, action: "outcome.record", object: `outcome:${result.id}`, result: "ok", request });
    return redirect(`/clients/${client.id}?saved=outcome`);
  }
  if (form.intent === "profile") {
    // Completing the facts the serving model needs; only those are read, the rest of the profile stays.
    const catalogue = await getServingCatalogue();
    const missing = missingFacts(catalogue, client.profile);
    const raw = readIntakeForm(formData, catalogue);
    const parsed = answersSchemaFor(catalogue, missing).safeParse(raw);
    const version = Number(form.version);
    if (!parsed.success || !Number.isInteger(version)) {
      return data({ intent: "profile" as const, errors: parsed.success ? conflictError(lang) : intakeErrors(parsed.error.issues, lang, catalogue) }, { status: 400 });
    }
    const result = await completeClientProfile({ id: client.id, caseworkerId: user.id, version, answers: parsed.data });
    if (!result.ok) return data({ intent: "profile" as const, errors: conflictError(lang) }, { status: 409 });
    await audit({ actorId: user.id, action: "client.profile_complete", object: `client:${client.id}`, result: "ok", request });
    return redirect(`/clients/${client.id}?saved=profile`);
  }
  return { intent: "unknown" as const, errors: formMessage("unknown_intent", lang) };
}

/** The facts the serving model needs that this client's profile does not hold yet. */
function MissingFactsForm() {
  const { client, catalogue, missing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string> = result?.intent === "profile" ? result.errors : {};
  return (
    <Form method="post" noValidate aria-labelledby="missing-heading" data-testid="missing-facts">
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

function WhatIfForm() {
  const { whatIfs, activeWhatIfs } = useLoaderData<typeof loader>();
  const t = useT();
  const submit = useSubmit();
  if (whatIfs.length === 0) return null;
  return (
    <Form method="get" replace preventScrollReset onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}>
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
  const { client, catalogue, recommendation, recommendationId, activeWhatIfs } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const t = useT();
  const errors: Record<string, string> = data?.intent === "decision" ? data.errors : {};
  const top = recommendation?.arms.find((a) => a.rank === 1)?.arm;
  if (!recommendation || !recommendationId || activeWhatIfs.length > 0) {
    return activeWhatIfs.length > 0 ? <p className="muted">{t.decisionNeedsOwnProfile}</p> : null;
  }
  return (
    <Form method="post" noValidate aria-labelledby="decision-heading">
      <h3 id="decision-heading">{t.recordDecision}</h3>
      <FormAlert message={errors.form} />
      <input type="hidden" name="intent" value="decision" />
      <input type="hidden" name="version" value={client.version} />
      <input type="hidden" name="recommendationId" value={recommendationId} />
      <input type="hidden" name="topArm" value={top ?? ""} />
      <label htmlFor="chosenArm">{t.chosenTrajectory}</label>
      <select id="chosenArm" name="chosenArm" defaultValue={top} aria-describedby="chosenArm-help">
        {catalogue.trajectories.map(({ key: arm }) => (
          <option key={arm} value={arm}>
            {armLabel(arm, t.lang, catalogue as Catalogue)}
            {arm === top ? ` (${t.advised})` : ""}
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
}

function YesNo({ name, legend, error }: { name: string; legend: string; error?: string }) {
  const t = useT();
  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="radio-row">
        {(["yes", "no"] as const).map((v) => (
          <span key={v}>
            <input type="radio" id={`${name}-${v}`} name={name} value={v} defaultChecked={v === "no"} />
            <label htmlFor={`${name}-${v}`}>{v === "yes" ? t.yes : t.no}</label>
          </span>
        ))}
      </div>
      <FieldError id={`${name}-error`} message={error} />
    </fieldset>
  );
}

function OutcomeForm() {
  const { client, decisions } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const t = useT();
  if (decisions.length === 0) return null;
  const errors: Record<string, string> = data?.intent === "outcome" ? data.errors : {};
  return (
    <Form method="post" noValidate aria-labelledby="outcome-heading">
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
  const { catalogue, decisions, outcomes } = useLoaderData<typeof loader>();
  const t = useT();
  if (decisions.length === 0) return <p className="muted">{t.noDecisionYet}</p>;
  return (
    <>
      <table data-testid="decisions">
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
              <td>{d.version}</td>
              <td>{armLabel(d.chosenArm, t.lang, catalogue as Catalogue)}</td>
              <td>{d.followedAdvice ? t.yes : t.no}</td>
              <td>
                {d.reasonCode ? DEVIATION_LABELS[d.reasonCode as keyof typeof DEVIATION_LABELS]?.[t.lang] : "—"}
                {d.reasonText ? <div className="muted">{d.reasonText}</div> : null}
              </td>
              <td>{d.recommendation?.modelVersion ?? "—"}</td>
              <td>{d.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {outcomes.length > 0 ? (
        <table data-testid="outcomes">
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
                <td>{o.version}</td>
                <td>{o.work ? t.yes : t.no}</td>
                <td>{o.workStart ?? "—"}</td>
                <td>{o.hoursPerWeek ?? "—"}</td>
                <td>{o.leftBenefits ? t.yes : t.no}</td>
                <td>{o.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export default function ClientPage() {
  const { client, catalogue, missing, recommendation } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const t = useT();
  return (
    <div className="page">
      <p>
        <Link to="/clients">{t.backToCaseload}</Link>
      </p>
      <h1>
        {t.client} {client.code}
      </h1>
      <section aria-labelledby="ranking-heading">
        <h2 id="ranking-heading">{t.rankedTrajectories}</h2>
        {missing.length > 0 ? (
          <MissingFactsForm />
        ) : recommendation ? (
          <>
            <p className="muted">{t.rankingIntro}</p>
            <WhatIfForm />
            <div aria-live="polite" aria-busy={navigation.state === "loading"}>
              <RankingTable recommendation={recommendation} catalogue={catalogue as Catalogue} />
            </div>
            <p className="muted">
              {t.modelVersion}: <span data-testid="model-version">{recommendation.modelVersion}</span>
            </p>
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
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t.profile}</h2>
        <dl className="profile-list">
          {catalogue.features.map((feature) => (
            <div key={feature.name} className="contents">
              <dt>{feature.label[t.lang]}</dt>
              <dd>
                {client.profile[feature.name] === undefined ? t.missingFactValue : formatProfileValue(client.profile[feature.name] ?? null, t.lang, feature.name, catalogue as Catalogue)}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
