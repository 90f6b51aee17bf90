import type { Catalogue } from "../../model/config/municipality";
import type { RecommendationResult } from "../../model/recommendation";
import { ChanceBar } from "~/components/chance-bar";
import { useT } from "~/utils/i18n";
import { armLabel, groupLabel, pct, signedPoints } from "~/utils/forms/profile-labels";

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The ranked trajectories: chance with interval as a bar, gain over regular guidance, evidence, top reasons. */
export function RankingTable({ recommendation, catalogue }: { recommendation: RecommendationResult; catalogue?: Catalogue }) {
  const t = useT();
  return (
    <table data-testid="ranking">
      <caption className="visually-hidden">{t.rankedTrajectories}</caption>
      <thead>
        <tr>
          <th scope="col">{t.rank}</th>
          <th scope="col">{t.trajectory}</th>
          <th scope="col">{t.chanceOfWork}</th>
          <th scope="col">{t.gainOverRegular}</th>
          <th scope="col">{t.evidence}</th>
        </tr>
      </thead>
      <tbody>
        {recommendation.arms.map((arm) => (
          <tr key={arm.arm} data-arm={arm.arm} data-rank={arm.rank ?? ""} className={arm.rank === 1 ? "top-row" : undefined}>
            <td>{arm.rank ?? "—"}</td>
            <th scope="row">
              {armLabel(arm.arm, t.lang, catalogue)}
              {arm.eligible ? null : (
                <div className="muted excluded-by">
                  {t.notEligible}: {catalogue?.trajectories.find((c) => c.key === arm.arm)?.eligibility?.text[t.lang] ?? arm.excludedBy}
                </div>
              )}
              {arm.eligible && arm.reasons.length > 0 && arm.arm !== recommendation.control ? (
                <ul className="reasons" aria-label={t.reasonsFor}>
                  {arm.reasons.slice(0, 3).map((r) => (
                    <li key={r.group}>
                      {(r.effect >= 0 ? t.reasonUp : t.reasonDown)
                        .replace("{group}", capitalise(groupLabel(r.group, t.lang, catalogue)))
                        .replace("{points}", signedPoints(r.effect, t.lang))}
                    </li>
                  ))}
                </ul>
              ) : null}
            </th>
            <td>
              <ChanceBar expected={arm.expected} lower={arm.lower} upper={arm.upper} />
              <span className="chance-value">{pct(arm.expected)}</span>{" "}
              <span className="muted">
                ({t.interval80} {pct(arm.lower)}–{pct(arm.upper)})
              </span>
            </td>
            <td className={arm.gain > 0.005 ? "gain-pos" : arm.gain < -0.005 ? "gain-neg" : undefined}>
              {arm.arm === recommendation.control ? (
                "—"
              ) : (
                <>
                  {signedPoints(arm.gain, t.lang)}
                  <div className="muted">
                    ({t.interval80} {signedPoints(arm.gainLower, t.lang)} … {signedPoints(arm.gainUpper, t.lang)})
                  </div>
                </>
              )}
            </td>
            <td>
              {arm.comparableClients !== null ? `${arm.comparableClients} ${t.comparableClients}` : t.fewComparable}
              {arm.lowEvidence ? (
                <div>
                  <span className="badge">{t.lowEvidence}</span>
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
