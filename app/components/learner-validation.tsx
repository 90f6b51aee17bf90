import { adviceGain } from "../../model/learners/advice-gain";
import type { Validation } from "../../model/learners/select";
import { fill, label } from "~/components/model-ui";
import { formatNumber, formatPercent, type Lang, useT } from "~/utils/i18n";

/** The learner part of a bundle as the pages show it (app/utils/registry/learner.server.ts reads it). */
export type LearnerView = { kind: string; validation: Validation | null; advise: boolean };

const signed = (v: number, lang: Lang, digits = 3) => `${v >= 0 ? "+" : ""}${formatNumber(v, lang, digits)}`;

/** The gain over the observed assignment as the sentences fill it in. */
function gainWords(v: Validation, lang: Lang) {
  const g = adviceGain(v) ?? { estimate: 0, lower: 0, upper: 0 };
  return { estimate: signed(g.estimate, lang), lower: signed(g.lower, lang), upper: signed(g.upper, lang) };
}

/**
 * "Information, not advice": what a model whose validation could not show that its first choice beats
 * current practice means for case workers (shown before promotion and on the model card).
 */
export function InformationOnlyWarning({ validation, heading = "h3" }: { validation: Validation; heading?: "h3" | "h4" }) {
  const t = useT();
  const Heading = heading;
  return (
    <div className="notice notice-warning" data-testid="information-only">
      <Heading>{t.informationOnlyTitle}</Heading>
      <p>{fill(t.informationOnlyWarning, gainWords(validation, t.lang))}</p>
    </div>
  );
}

/** Which learner predicts, and why: the cross-fitted validation table (learner.json) in the page's language. */
export function LearnerValidation({ learner }: { learner: LearnerView }) {
  const t = useT();
  const name = (kind: string) => label(t.learnerNames, kind);
  const v = learner.validation;
  const auto = v !== null && v.candidates.length > 1;
  const ranked = v ? [...v.candidates].sort((a, b) => a.drLoss - b.drLoss) : [];
  const next = ranked.find((c) => c.kind !== v?.chosen);
  // The default learner for the table's size is kept unless another's loss is clearly lower (model/learners/select.ts).
  const lowest = ranked[0];
  const chosen = ranked.find((c) => c.kind === v?.chosen);
  // Bundles validated before the R-loss was reported have no such column.
  const rLoss = v?.candidates.some((c) => c.rLoss !== undefined) ?? false;
  // A weighted combination names its parts: "Gewogen combinatie (Neuraal netwerk 45%, …)".
  const described = (c: Validation["candidates"][number]) =>
    c.weights
      ? `${name(c.kind)} (${Object.entries(c.weights)
          .map(([kind, w]) => `${name(kind)} ${formatPercent(w, t.lang)}`)
          .join(", ")})`
      : name(c.kind);
  return (
    <section aria-labelledby="learner-heading" data-testid="learner" data-learner={learner.kind} data-advise={String(learner.advise)}>
      <h3 id="learner-heading">{t.learnerSectionTitle}</h3>
      <p>{fill(t.learnerChosen, { learner: name(learner.kind) })}</p>
      {v === null ? (
        <p>{t.learnerFixed}</p>
      ) : (
        <>
          <p>
            {fill(t.learnerValidatedBy, { folds: v.folds, rows: v.rows })}{" "}
            {auto && chosen
              ? lowest && lowest.kind !== chosen.kind
                ? fill(t.learnerWhyKept, { lowest: name(lowest.kind), lowestLoss: formatNumber(lowest.drLoss, t.lang, 4), loss: formatNumber(chosen.drLoss, t.lang, 4) })
                : fill(t.learnerWhyAuto, {
                    loss: formatNumber(chosen.drLoss, t.lang, 4),
                    next: next ? fill(t.learnerWhyNext, { learner: name(next.kind), loss: formatNumber(next.drLoss, t.lang, 4) }) : "",
                  })
              : t.learnerWhyFixed}
            {auto && v.lead ? (
              <>
                {" "}
                <span data-testid="learner-lead" data-clearly={String(v.lead.clearly)}>
                  {fill(v.lead.clearly ? t.learnerLeadClear : t.learnerLeadNoise, {
                    learner: name(v.lead.runnerUp),
                    difference: signed(v.lead.difference, t.lang, 4),
                    se: formatNumber(v.lead.standardError, t.lang, 4),
                  })}
                </span>
              </>
            ) : null}
          </p>
          <table>
            <caption>{t.learnerTableCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.learnerColumn}</th>
                <th scope="col">{t.learnerDrLoss}</th>
                {rLoss ? <th scope="col">{t.learnerRLoss}</th> : null}
                <th scope="col">{t.learnerPolicyValue}</th>
                <th scope="col">{t.learnerGain}</th>
              </tr>
            </thead>
            <tbody>
              {v.candidates.map((c) => (
                <tr key={c.kind} className={c.kind === v.chosen ? "row-active" : undefined}>
                  <th scope="row">
                    {described(c)}
                    {c.kind === v.chosen ? ` ${t.learnerChosenMark}` : ""}
                  </th>
                  <td>{formatNumber(c.drLoss, t.lang, 4)}</td>
                  {rLoss ? <td>{c.rLoss === undefined ? "–" : formatNumber(c.rLoss, t.lang, 4)}</td> : null}
                  <td>{formatNumber(c.policyValue, t.lang, 3)}</td>
                  <td>
                    {signed(c.gainOverObserved.estimate, t.lang)} ({signed(c.gainOverObserved.lower, t.lang)} – {signed(c.gainOverObserved.upper, t.lang)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{fill(t.learnerObserved, { value: formatNumber(v.observedValue, t.lang, 3) })}</p>
          {v.shrinkage ? <ArmShrinkageTable shrinkage={v.shrinkage} /> : null}
          {v.advise ? <p>{fill(t.learnerAdvise, gainWords(v, t.lang))}</p> : <InformationOnlyWarning validation={v} heading="h4" />}
        </>
      )}
    </section>
  );
}

/** The validation's shrinkage of the arms' average gains (model/learners/shrinkage.ts). */
function ArmShrinkageTable({ shrinkage }: { shrinkage: NonNullable<Validation["shrinkage"]> }) {
  const t = useT();
  return (
    <>
      <p>{fill(t.learnerShrinkage, { common: signed(shrinkage.commonGain, t.lang), spread: formatNumber(shrinkage.spread, t.lang, 3) })}</p>
      <table data-testid="arm-shrinkage">
        <caption>{t.learnerShrinkageCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.learnerShrinkageArm}</th>
            <th scope="col">{t.learnerShrinkageAverage}</th>
            <th scope="col">{t.learnerShrinkageShare}</th>
            <th scope="col">{t.learnerShrinkageLearner}</th>
            <th scope="col">{t.learnerShrinkageShift}</th>
          </tr>
        </thead>
        <tbody>
          {shrinkage.arms.map((a) => (
            <tr key={a.arm}>
              <th scope="row">{a.arm}</th>
              <td>
                {signed(a.averageGain, t.lang)} ({formatNumber(a.standardError, t.lang, 3)})
              </td>
              <td>{formatPercent(a.shrink, t.lang)}</td>
              <td>{signed(a.learnerGain, t.lang)}</td>
              <td>{signed(a.offset, t.lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
