import type { ReactNode } from "react";
import type { Catalogue } from "../../model/config/municipality";
import type { ArmAdvice, RecommendationResult } from "../../model/recommendation";
import { ChanceBar } from "~/components/chance-bar";
import { GainChart, gainScale } from "~/components/gain-chart";
import { formatPercent, formatPoints, type Lang, MESSAGES, useT } from "~/utils/i18n";
import { armLabel, groupLabel } from "~/utils/forms/profile-labels";

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A further column of the advice (e.g. a secondary outcome): a header and what each trajectory's
 * row shows in it. The table lays it out like its own columns, also on narrow screens and in print.
 */
export type AdviceColumn = { key: string; header: string; cell: (arm: ArmAdvice) => ReactNode };

/**
 * The ranked trajectories, one AdviceRow each: chance with interval, gain over regular guidance as a
 * small chart, evidence (with why it is low), top reasons; trajectories that do not apply show their
 * rule instead of a chance. With `before` (a what-if is on) each chance stands next to the original.
 */
export function RankingTable({
  recommendation,
  catalogue,
  before,
  columns = [],
}: {
  recommendation: RecommendationResult;
  catalogue?: Catalogue;
  /** The advice for the client as recorded, when `recommendation` is a what-if. */
  before?: RecommendationResult | null;
  columns?: readonly AdviceColumn[];
}) {
  const t = useT();
  const scale = gainScale(recommendation.arms.filter((a) => a.eligible && a.arm !== recommendation.control));
  return (
    <table data-testid="ranking" className="ranking-table">
      <caption className="visually-hidden">{t.rankedTrajectories}</caption>
      <thead>
        <tr>
          <th scope="col">{t.rank}</th>
          <th scope="col">{t.trajectory}</th>
          <th scope="col">{t.chanceOfWork}</th>
          <th scope="col">{t.gainOverRegular}</th>
          <th scope="col">{t.evidence}</th>
          {columns.map((c) => (
            <th key={c.key} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {recommendation.arms.map((arm) => (
          <AdviceRow
            key={arm.arm}
            arm={arm}
            advise={recommendation.advise !== false}
            control={recommendation.control}
            catalogue={catalogue}
            scale={scale}
            before={before?.arms.find((a) => a.arm === arm.arm) ?? null}
            columns={columns}
          />
        ))}
      </tbody>
    </table>
  );
}

/** One trajectory's row of the advice; `columns` add cells after the standard ones. */
export function AdviceRow({
  arm,
  advise = true,
  control,
  catalogue,
  scale,
  before,
  columns,
}: {
  arm: ArmAdvice;
  /** False: the ranking is information, not advice (the first row is not marked as recommended). */
  advise?: boolean;
  control: string;
  catalogue: Catalogue | undefined;
  scale: number;
  before: ArmAdvice | null;
  columns: readonly AdviceColumn[];
}) {
  const t = useT();
  const name = armLabel(arm.arm, t.lang, catalogue);
  const moved = movedByWhatIf(arm, before);
  const classes = [arm.rank === 1 && advise ? "top-row" : null, arm.eligible ? null : "not-eligible", moved ? "moved" : null].filter(Boolean).join(" ");
  return (
    <tr data-arm={arm.arm} data-rank={arm.rank ?? ""} className={classes || undefined}>
      <td data-label={t.rank}>{arm.rank ?? "—"}</td>
      <th scope="row" data-label={t.trajectory}>
        {name}
        {arm.eligible ? null : (
          <div className="muted excluded-by">
            {t.notEligible}: {excludedRule(arm, t.lang, catalogue)}
          </div>
        )}
        {arm.eligible && arm.reasons.length > 0 && arm.arm !== control ? (
          <ul className="reasons" aria-label={t.reasonsFor}>
            {arm.reasons.slice(0, 3).map((r) => (
              <li key={r.group}>
                {(r.effect >= 0 ? t.reasonUp : t.reasonDown)
                  .replace("{group}", capitalise(groupLabel(r.group, t.lang, catalogue)))
                  .replace("{points}", formatPoints(r.effect, t.lang))}
              </li>
            ))}
          </ul>
        ) : null}
      </th>
      <td data-label={t.chanceOfWork}>
        {arm.eligible ? (
          <>
            <ChanceBar expected={arm.expected} lower={arm.lower} upper={arm.upper} />
            {before ? (
              <span className="before-after">
                <span className="muted" data-testid="before-chance">
                  {t.beforeWhatIf}: {formatPercent(before.expected, t.lang)}
                </span>{" "}
                →{" "}
              </span>
            ) : null}
            <span className={moved ? "chance-value moved-value" : "chance-value"}>{formatPercent(arm.expected, t.lang)}</span>{" "}
            <span className="muted interval">
              ({t.interval80} {formatPercent(arm.lower, t.lang)}–{formatPercent(arm.upper, t.lang)})
            </span>
            {before && before.rank !== arm.rank && before.rank !== null ? (
              <div className="muted">{t.rankWas.replace("{rank}", String(before.rank))}</div>
            ) : null}
          </>
        ) : (
          <span className="muted">{t.notApplicableNoChance}</span>
        )}
      </td>
      <td data-label={t.gainOverRegular} className="gain-cell">
        {arm.arm === control || !arm.eligible ? (
          "—"
        ) : (
          <>
            <GainChart
              gain={arm.gain}
              lower={arm.gainLower}
              upper={arm.gainUpper}
              scale={scale}
              label={`${name}. ${t.gainChartText
                .replace("{gain}", formatPoints(arm.gain, t.lang))
                .replace("{lower}", formatPoints(arm.gainLower, t.lang))
                .replace("{upper}", formatPoints(arm.gainUpper, t.lang))}`}
            />
            <span className="gain-value">{formatPoints(arm.gain, t.lang)}</span>{" "}
            <span className="muted interval">
              ({formatPoints(arm.gainLower, t.lang, { unit: false })} … {formatPoints(arm.gainUpper, t.lang, { unit: false })})
            </span>
          </>
        )}
      </td>
      <td data-label={t.evidence}>
        {arm.comparableClients !== null ? `${arm.comparableClients} ${t.comparableClients}` : t.fewComparable}
        {arm.lowEvidence && arm.eligible ? (
          <div className="low-evidence">
            <span className="badge">{t.lowEvidence}</span>
            <p className="help">{lowEvidenceExplanation(arm, t.lang)}</p>
          </div>
        ) : null}
      </td>
      {columns.map((c) => (
        <td key={c.key} data-label={c.header}>
          {c.cell(arm)}
        </td>
      ))}
    </tr>
  );
}

/**
 * Whether a what-if moved what a trajectory's row shows: its chance (in whole percent), its rank, or
 * whether it applies at all. A row that does not apply shows no chance, so nothing in it can move.
 */
export function movedByWhatIf(arm: ArmAdvice, before: ArmAdvice | null): boolean {
  if (before === null) return false;
  if (before.eligible !== arm.eligible) return true;
  return arm.eligible && (Math.round(before.expected * 100) !== Math.round(arm.expected * 100) || before.rank !== arm.rank);
}

/** The rule of a trajectory that does not apply, in the catalogue's words for the language. */
export function excludedRule(arm: ArmAdvice, lang: Lang, catalogue: Catalogue | undefined): string | null {
  return catalogue?.trajectories.find((c) => c.key === arm.arm)?.eligibility?.text[lang] ?? arm.excludedBy;
}

/** Why the low-evidence badge is shown: fewer than 10 comparable clients, or clients like this one rarely got it. */
export function lowEvidenceExplanation(arm: ArmAdvice, lang: Lang): string {
  const t = MESSAGES[lang];
  return arm.comparableClients === null
    ? t.lowEvidenceFew
    : t.lowEvidenceRare.replace("{share}", formatPercent(arm.propensity, lang, arm.propensity < 0.1 ? 1 : 0));
}

/**
 * The advice in one plain sentence (see AdviceVerdict), and whether it is open: the first trajectory is
 * not clearly better than regular guidance, or the ranking is information only. Null without a ranking.
 */
export function adviceVerdict(
  recommendation: RecommendationResult,
  lang: Lang,
  catalogue: Catalogue | undefined,
): { text: string; unclear: boolean; information: boolean } | null {
  const t = MESSAGES[lang];
  if (recommendation.advise === false) return { text: t.informationOnly, unclear: true, information: true };
  const top = recommendation.arms.find((a) => a.rank === 1);
  if (!top) return null;
  if (top.arm === recommendation.control) return { text: t.controlFirst, unclear: false, information: false };
  const arm = armLabel(top.arm, lang, catalogue);
  if (top.gainLower > 0) {
    return { text: t.clearlyBetter.replace("{arm}", arm).replace("{lower}", formatPoints(top.gainLower, lang)), unclear: false, information: false };
  }
  const text = t.notClearlyBetter
    .replace("{arm}", arm)
    .replace("{gain}", formatPoints(top.gain, lang))
    .replace("{lower}", formatPoints(top.gainLower, lang))
    .replace("{upper}", formatPoints(top.gainUpper, lang));
  return { text, unclear: true, information: false };
}

/**
 * The advice in one plain sentence: whether the first trajectory is clearly better than regular
 * guidance; or, when the model's validation could not show that its advice beats current practice,
 * that the ranking is information only.
 */
export function AdviceVerdict({ recommendation, catalogue }: { recommendation: RecommendationResult; catalogue?: Catalogue }) {
  const t = useT();
  const verdict = adviceVerdict(recommendation, t.lang, catalogue);
  if (!verdict) return null;
  return (
    <p
      className={verdict.unclear ? "verdict verdict-unclear" : "verdict"}
      role={verdict.information ? "note" : undefined}
      data-testid="advice-verdict"
      data-advice={verdict.information ? "information" : undefined}
    >
      {verdict.text}
    </p>
  );
}
