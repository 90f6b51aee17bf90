import type { Catalogue } from "../../model/config/municipality";
import type { ArmAdvice, RecommendationResult, SecondaryEffect, SecondaryOutcome } from "../../model/recommendation";
import type { AdviceColumn } from "~/components/ranking-table";
import { formatDifference, formatNumber, formatPoints, useT } from "~/utils/i18n";
import { armLabel } from "~/utils/forms/profile-labels";

type T = ReturnType<typeof useT>;

/** The outcome's label in the language; a label that starts a sentence part loses its capital unless it is an abbreviation. */
function outcomeLabel(outcome: string, lang: T["lang"], catalogue: Catalogue | undefined, lower = false): string {
  const label = catalogue?.outcomes.secondary.find((o) => o.column === outcome)?.label[lang] ?? outcome;
  return lower && /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

const isContinuous = (outcome: string, catalogue: Catalogue | undefined): boolean =>
  catalogue?.outcomes.secondary.find((o) => o.column === outcome)?.type === "continuous";

/**
 * A difference against regular guidance on the outcome's scale: percentage points for a chance, the
 * configuration's unit for a continuous outcome (hours a week); without the unit where a header names it.
 */
function formatGain(gain: number, outcome: string, lang: T["lang"], catalogue: Catalogue | undefined, unit = true): string {
  const spec = catalogue?.outcomes.secondary.find((o) => o.column === outcome);
  if (spec?.type === "continuous") return formatDifference(gain, lang, { unit: unit ? (spec.unit?.[lang] ?? null) : null });
  return formatPoints(gain, lang, { unit });
}

/** Whether a difference is clearly in the better direction, clearly in the worse one, or neither (its 95% interval holds zero). */
export function secondaryVerdict(effect: SecondaryEffect, better: SecondaryOutcome["better"]): "better" | "worse" | "unclear" {
  if (effect.gainLower <= 0 && effect.gainUpper >= 0) return "unclear";
  const up = effect.gainLower > 0;
  return up === (better === "higher") ? "better" : "worse";
}

function SecondaryCell({ arm, control, how, catalogue }: { arm: ArmAdvice; control: string; how: SecondaryOutcome; catalogue: Catalogue | undefined }) {
  const t = useT();
  const effect = arm.secondary?.find((s) => s.outcome === how.outcome);
  if (!effect || !arm.eligible || arm.arm === control) return <>—</>;
  const verdict = secondaryVerdict(effect, how.better);
  const text = t.secondaryCellText
    .replace("{outcome}", outcomeLabel(how.outcome, t.lang, catalogue))
    .replace("{gain}", formatGain(effect.gain, how.outcome, t.lang, catalogue))
    .replace("{lower}", formatGain(effect.gainLower, how.outcome, t.lang, catalogue))
    .replace("{upper}", formatGain(effect.gainUpper, how.outcome, t.lang, catalogue));
  return (
    <span data-testid="secondary-effect" data-outcome={how.outcome} data-verdict={verdict} title={text}>
      <span className="gain-value">{formatGain(effect.gain, how.outcome, t.lang, catalogue)}</span>{" "}
      <span className="muted interval">
        ({formatGain(effect.gainLower, how.outcome, t.lang, catalogue, false)} … {formatGain(effect.gainUpper, how.outcome, t.lang, catalogue, false)})
      </span>
      <span className={verdict === "unclear" ? "muted secondary-verdict" : "secondary-verdict"}>
        {" "}
        {verdict === "unclear" ? t.secondaryNotClear : verdict === "better" ? t.secondaryClearlyBetter : t.secondaryClearlyWorse}
      </span>
    </span>
  );
}

/** One column per secondary outcome of the advice: the difference from regular guidance with its 95% interval. */
export function secondaryColumns(recommendation: RecommendationResult, catalogue: Catalogue | undefined, t: T): AdviceColumn[] {
  return (recommendation.secondaryOutcomes ?? []).map((how) => ({
    key: `secondary-${how.outcome}`,
    header: outcomeLabel(how.outcome, t.lang, catalogue),
    cell: (arm: ArmAdvice) => <SecondaryCell arm={arm} control={recommendation.control} how={how} catalogue={catalogue} />,
  }));
}

/**
 * What the secondary columns show and how the order is made: on work alone, or (when the municipality
 * set weights) on work and the weighted outcomes; and the first trajectory's effects in one sentence.
 */
export function SecondaryNote({ recommendation, catalogue }: { recommendation: RecommendationResult; catalogue?: Catalogue }) {
  const t = useT();
  const outcomes = recommendation.secondaryOutcomes ?? [];
  if (outcomes.length === 0) return null;
  const weighted = outcomes.filter((o) => o.weight > 0);
  const top = recommendation.arms.find((a) => a.rank === 1);
  const topEffects = top && top.arm !== recommendation.control ? (top.secondary ?? []) : [];
  return (
    <div className="secondary-note" data-testid="secondary-note">
      <p className="muted">
        {t.secondaryIntro.replace("{outcomes}", outcomes.map((o) => outcomeLabel(o.outcome, t.lang, catalogue, true)).join(", "))}
      </p>
      {top && topEffects.length > 0 ? (
        <p data-testid="secondary-summary">
          {t.secondarySummary
            .replace("{arm}", armLabel(top.arm, t.lang, catalogue))
            .replace("{work}", formatPoints(top.gain, t.lang))
            .replace(
              "{effects}",
              // A continuous outcome's label names its unit ("hours of paid work per week"): the number goes without it.
              topEffects
                .map((e) => `${formatGain(e.gain, e.outcome, t.lang, catalogue, !isContinuous(e.outcome, catalogue))} ${outcomeLabel(e.outcome, t.lang, catalogue, true)}`)
                .join(", "),
            )}
        </p>
      ) : null}
      <p data-testid="secondary-ranking" className={weighted.length > 0 ? "notice" : "muted"}>
        {weighted.length > 0
          ? t.secondaryRankingWeighted.replace(
              "{weights}",
              weighted
                .map((o) => t.secondaryWeight.replace("{outcome}", outcomeLabel(o.outcome, t.lang, catalogue, true)).replace("{weight}", formatNumber(o.weight, t.lang, 1)))
                .join(", "),
            )
          : t.secondaryRankingWork}
      </p>
    </div>
  );
}
