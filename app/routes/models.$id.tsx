import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { InformationOnlyWarning, LearnerValidation } from "~/components/learner-validation";
import { fill, fmt, label } from "~/components/model-ui";
import { getLatestComparison, getPassedComparison } from "~/models/model-comparison.server";
import { getActiveModelVersion, getModelVersion } from "~/models/model-version.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { MESSAGES, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { promoteRegisteredModel, readModelCard } from "~/utils/registry/model-registry.server";
import { promotionImpact } from "~/utils/registry/catalogue.server";
import type { Performance } from "../../model/bundle/model-card";
import { cardText } from "~/utils/registry/model-card-text";
import { readLearnerSummary } from "~/utils/registry/learner.server";
import { readForm } from "~/utils/forms/form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.version.id ?? "Model"} — Trajectwijzer` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["datascientist", "admin"]);
  const version = await getModelVersion({ id: params.id ?? "" });
  if (!version) throw new Response("Not found", { status: 404 });
  const [card, learner] = await Promise.all([readModelCard(version.dir), readLearnerSummary(version.dir)]);
  // A candidate with other trajectories or features changes what case workers are asked and shown.
  const impact = version.status === "candidate" ? await promotionImpact(version.dir) : null;
  const active = version.status === "candidate" ? await getActiveModelVersion() : null;
  const passed = active ? await getPassedComparison({ candidateId: version.id, activeId: active.id }) : null;
  const latest = version.status === "candidate" ? await getLatestComparison({ candidateId: version.id }) : null;
  return {
    impact,
    promotion: {
      active: active?.id ?? null,
      passed: passed ? { table: passed.tableName, verdict: passed.verdict ?? "indistinguishable" } : null,
      latest: latest && !passed ? { status: latest.status, verdict: latest.verdict, current: latest.activeId === active?.id } : null,
    },
    canEdit: user.role === "datascientist",
    learner,
    version: {
      id: version.id,
      status: version.status,
      dataHash: version.dataHash,
      disclosureStatus: version.disclosureStatus,
      createdAt: version.createdAt.toISOString().slice(0, 16).replace("T", " "),
      activatedAt: version.activatedAt?.toISOString().slice(0, 16).replace("T", " ") ?? null,
      activationReason: version.activationReason,
    },
    card: card?.card ?? null,
  };
}

const ActionSchema = z.object({
  intent: z.literal("promote"),
  reason: z.string().max(500).default(""),
  confirm: z.literal("1").optional(),
  confirmCatalogue: z.literal("1").optional(),
  confirmInformation: z.literal("1").optional(),
});

/**
 * Promotion: a passed head-to-head comparison with the current active model on a held-out table, a
 * confirmation and a reason (stored with the version, the promotion audited). Every refusal is a 400
 * with the reason in words, also for a request that did not come from the form.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["datascientist"]);
  const t = MESSAGES[await getLang(request)];
  const refuse = (message: string) => data({ ok: false as const, message }, { status: 400 });
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return refuse(label(t.trainErrors, "form"));
  const version = await getModelVersion({ id: params.id ?? "" });
  if (!version) throw new Response("Not found", { status: 404 });
  const log = (ok: boolean) => audit({ actorId: user.id, action: "model.promote", object: `model:${version.id}`, result: ok ? "ok" : "failed", request });
  if (parsed.data.confirm !== "1") {
    await log(false);
    return refuse(t.regConfirmRequired);
  }
  // Promoting another catalogue needs the data scientist to have seen (and confirmed) what changes.
  if ((await promotionImpact(version.dir)) !== null && parsed.data.confirmCatalogue !== "1") {
    await log(false);
    return refuse(t.confirmCatalogueRequired);
  }
  // A model whose validation could not show that its advice beats current practice informs case workers
  // instead of advising them: the data scientist confirms having read what that means.
  if ((await readLearnerSummary(version.dir))?.advise === false && parsed.data.confirmInformation !== "1") {
    await log(false);
    return refuse(t.informationOnlyConfirmRequired);
  }
  // The registry's promotion rule: reason, passed comparison, loadable bundle with a passing disclosure report.
  const result = await promoteRegisteredModel({ id: version.id, reason: parsed.data.reason, userId: user.id, comparison: "required" });
  await log(result.ok);
  return result.ok ? { ok: true as const, message: fill(t.promoted, { version: result.activated }) } : refuse(label(t.transitionErrors, result.reason));
}

/** A sentence of the model card in the page's language (marked as English where there is no translation). */
function CardSentence({ text }: { text: string }) {
  const t = useT();
  const shown = cardText(text, t.lang);
  return shown.lang ? <span lang={shown.lang}>{shown.text}</span> : shown.text;
}

/** The performance tables' metric columns: discrimination and calibration for a yes/no outcome, the error on its own scale for a number. */
function MetricHeads({ continuous }: { continuous: boolean }) {
  const t = useT();
  return (
    <>
      <th scope="col">{t.rowsLabel}</th>
      {continuous ? (
        <th scope="col">{t.rmseLabel}</th>
      ) : (
        <>
          <th scope="col">{t.metricLabels.auc}</th>
          <th scope="col">{t.metricLabels.brier}</th>
          <th scope="col">{t.metricLabels.ece}</th>
        </>
      )}
    </>
  );
}

function MetricCells({ p, continuous }: { p: Performance; continuous: boolean }) {
  const t = useT();
  return (
    <>
      <td>{p.rows ?? "<10"}</td>
      {continuous ? (
        <td>{fmt(p.rmse, t.lang)}</td>
      ) : (
        <>
          <td>{fmt(p.auc, t.lang)}</td>
          <td>{fmt(p.brier, t.lang)}</td>
          <td>{fmt(p.ece, t.lang)}</td>
        </>
      )}
    </>
  );
}

export default function ModelDetail() {
  const { version, card, canEdit, impact, promotion, learner } = useLoaderData<typeof loader>();
  const informationOnly = learner?.advise === false && learner.validation ? learner.validation : null;
  const continuous = card?.model.outcome.type === "continuous";
  const result = useActionData<typeof action>();
  const t = useT();
  const base = `/models/${encodeURIComponent(version.id)}`;
  return (
    <div className="page">
      <p>
        <Link to="/models">{t.backToModels}</Link>
      </p>
      <h1>
        {t.modelCard}: <span data-testid="model-version">{version.id}</span>
      </h1>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="model-result">
          {result.message}
        </p>
      ) : null}
      <dl className="profile-list">
        <dt>{t.status}</dt>
        <dd data-testid="model-status">{label(t.modelStatusLabels, version.status)}</dd>
        {informationOnly ? (
          <>
            <dt>{t.learnerAdviceLabel}</dt>
            <dd>
              <strong className="badge" data-testid="information-only-badge">
                {t.informationOnlyBadge}
              </strong>
            </dd>
          </>
        ) : null}
        <dt>{t.dataHashLabel}</dt>
        <dd>{version.dataHash ? <code className="hash">{version.dataHash}</code> : t.unknownValue}</dd>
        <dt>{t.disclosureCheck}</dt>
        <dd data-testid="disclosure-status">{label(t.disclosureLabels, version.disclosureStatus)}</dd>
        <dt>{t.dateLabel}</dt>
        <dd>{version.createdAt}</dd>
        {version.activatedAt ? (
          <>
            <dt>{t.activatedAtLabel}</dt>
            <dd>{version.activatedAt}</dd>
          </>
        ) : null}
        {version.activationReason ? (
          <>
            <dt>{t.regActivationReasonLabel}</dt>
            <dd data-testid="activation-reason">{version.activationReason}</dd>
          </>
        ) : null}
      </dl>
      {canEdit && version.status === "candidate" ? (
        <section aria-labelledby="promote-heading">
          <h2 id="promote-heading">{t.promote}</h2>
          <p>
            <Link to={`${base}/compare`}>{t.compareWithActive}</Link>
          </p>
          {promotion.active === null ? null : promotion.passed ? (
            <p className="notice" data-testid="comparison-passed">
              {fill(t.regComparisonPassed, {
                active: promotion.active,
                table: promotion.passed.table,
                verdict: label(t.regVerdictLabels, promotion.passed.verdict).toLowerCase(),
              })}
            </p>
          ) : (
            <p className="form-error" data-testid="comparison-needed">
              {promotion.latest?.status === "done" && promotion.latest.current && promotion.latest.verdict === "worse"
                ? t.regComparisonWorse
                : t.regComparisonNeeded}
            </p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="promote" />
            <p>{t.promoteIntro}</p>
            {informationOnly ? (
              <>
                <InformationOnlyWarning validation={informationOnly} />
                <div className="checkbox-field">
                  <input type="checkbox" id="confirm-information" name="confirmInformation" value="1" required />
                  <label htmlFor="confirm-information">{t.informationOnlyConfirm}</label>
                </div>
              </>
            ) : null}
            <div className="field">
              <label htmlFor="promote-reason">{t.regPromoteReasonLabel}</label>
              <textarea id="promote-reason" name="reason" required minLength={5} maxLength={500} rows={3} aria-describedby="promote-reason-help" />
              <p className="help" id="promote-reason-help">
                {t.regReasonHelp}
              </p>
            </div>
            <div className="checkbox-field">
              <input type="checkbox" id="promote-confirm" name="confirm" value="1" required />
              <label htmlFor="promote-confirm">{t.regPromoteConfirm}</label>
            </div>
            {impact ? (
              <div className="notice" data-testid="catalogue-change">
                <h3>{t.catalogueChangeTitle}</h3>
                <ul>
                  {(
                    [
                      [t.trajectoriesAdded, impact.change.trajectoriesAdded],
                      [t.trajectoriesRemoved, impact.change.trajectoriesRemoved],
                      [t.featuresAdded, impact.change.featuresAdded],
                      [t.featuresRemoved, impact.change.featuresRemoved],
                      [t.featuresChanged, impact.change.featuresChanged],
                    ] as const
                  )
                    .filter(([, names]) => names.length > 0)
                    .map(([title, names]) => (
                      <li key={title}>
                        {title}: {names.join(", ")}
                      </li>
                    ))}
                  {impact.change.controlChanged ? (
                    <li>
                      {t.controlChanged}: {impact.change.controlChanged.from} → {impact.change.controlChanged.to}
                    </li>
                  ) : null}
                  <li>{fill(t.clientsLackingFacts, { n: String(impact.clientsLackingFacts) })}</li>
                </ul>
                <div className="checkbox-field">
                  <input type="checkbox" id="confirmCatalogue" name="confirmCatalogue" value="1" required />
                  <label htmlFor="confirmCatalogue">{t.confirmCatalogue}</label>
                </div>
              </div>
            ) : null}
            <button type="submit" className="primary">
              {t.promote}
            </button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="register-heading">
        <h2 id="register-heading">{t.registerEntry}</h2>
        <p>{t.registerIntro}</p>
        <ul>
          <li>
            <a href={`${base}/register.json`} download>
              {t.downloadRegisterJson}
            </a>
          </li>
          <li>
            <a href={`${base}/register.md`} download>
              {t.downloadRegisterMd}
            </a>
          </li>
          <li>
            <a href={`${base}/card.md`} download>
              {t.downloadCardMd}
            </a>
          </li>
        </ul>
      </section>
      {card ? (
        <section aria-labelledby="card-heading" data-testid="model-card">
          <h2 id="card-heading">{t.modelCard}</h2>
          <h3>{t.purposeLabel}</h3>
          <p>
            <CardSentence text={card.purpose} />
          </p>
          <h3>{t.intendedUseLabel}</h3>
          <p>
            <CardSentence text={card.intendedUse} />
          </p>
          <h3>{t.notIntendedForLabel}</h3>
          <ul>
            {card.notIntendedFor.map((s) => (
              <li key={s}>
                <CardSentence text={s} />
              </li>
            ))}
          </ul>
          <dl className="profile-list">
            <dt>{t.architectureLabel}</dt>
            <dd>
              <CardSentence text={card.model.architecture} />
            </dd>
            <dt>{t.membersLabel}</dt>
            <dd>{card.model.members}</dd>
            <dt>{t.outcomeLabel}</dt>
            <dd>
              {card.model.outcome.column} (<CardSentence text={card.model.outcome.type} />)
            </dd>
            <dt>{t.armsLabel}</dt>
            <dd>{card.model.arms.join(", ")}</dd>
            <dt>{t.controlArmLabel}</dt>
            <dd>{card.model.control}</dd>
            {card.model.logLinearArms?.length ? (
              <>
                <dt>{t.logLinearArmsLabel}</dt>
                <dd>{card.model.logLinearArms.join(", ")}</dd>
              </>
            ) : null}
            <dt>{t.trainingTableLabel}</dt>
            <dd>
              {card.data.table} ({card.data.rows ?? "<10"} {t.rowsLabel.toLowerCase()})
            </dd>
          </dl>
          <h3>{card.performance.split === "cross-fitted" ? t.performanceCrossFitted : t.performanceValidation}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.armsLabel}</th>
                <MetricHeads continuous={continuous} />
              </tr>
            </thead>
            <tbody>
              {[[t.allRows, card.performance.overall] as const, ...Object.entries(card.performance.perArm)].map(([name, p]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <MetricCells p={p} continuous={continuous} />
                </tr>
              ))}
            </tbody>
          </table>
          {Object.entries(card.performance.perGroup).map(([column, groups]) => (
            <table key={column}>
              <caption>{column}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.groupLabel}</th>
                  <MetricHeads continuous={continuous} />
                </tr>
              </thead>
              <tbody>
                {Object.entries(groups).map(([group, p]) => (
                  <tr key={group}>
                    <th scope="row">{group}</th>
                    <MetricCells p={p} continuous={continuous} />
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          {learner ? <LearnerValidation learner={learner} /> : null}
          <h3>{t.featuresUsedLabel}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.featureLabel}</th>
                <th scope="col">{t.typeLabel}</th>
                <th scope="col">{t.groupLabel}</th>
              </tr>
            </thead>
            <tbody>
              {card.featuresUsed.map((f) => (
                <tr key={f.name}>
                  <td>{f.name}</td>
                  <td>
                    <CardSentence text={f.type} />
                  </td>
                  <td>{f.group}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t.featuresNotUsedLabel}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.featureLabel}</th>
                <th scope="col">{t.whyLabel}</th>
              </tr>
            </thead>
            <tbody>
              {card.featuresNotUsed.map((f) => (
                <tr key={f.name}>
                  <td>{f.name}</td>
                  <td>
                    <CardSentence text={f.reason} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t.limitsLabel}</h3>
          <ul>
            {card.limits.map((s) => (
              <li key={s}>
                <CardSentence text={s} />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="form-error" role="alert">
          {t.cardUnavailable}
        </p>
      )}
    </div>
  );
}
