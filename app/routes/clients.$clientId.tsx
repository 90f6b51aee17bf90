import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { INTERVENTION_LABELS, type Intervention } from "../../model/catalogue";
import { ChanceBar } from "~/components/chance-bar";
import { getClient } from "~/models/client.server";
import { recordShownRecommendation } from "~/models/recommendation.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth.server";
import { useT } from "~/utils/i18n";
import { recommendForClient } from "~/utils/predictor.server";
import { FEATURE_LABELS, formatProfileValue, groupLabel, pct, signedPoints } from "~/utils/profile-labels";

export const meta: MetaFunction = () => [{ title: "Cliënt — Trajectwijzer" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["caseworker"]);
  const client = await getClient({ id: params.clientId ?? "", caseworkerId: user.id });
  if (!client) {
    await audit({ actorId: user.id, action: "client.view", object: `client:${params.clientId ?? ""}`, result: "denied", request });
    throw new Response("Not found", { status: 404 });
  }
  await audit({ actorId: user.id, action: "client.view", object: `client:${client.id}`, result: "ok", request });
  const recommendation = await recommendForClient(client.profile);
  if (recommendation) {
    const shown = await recordShownRecommendation({ clientId: client.id, result: recommendation });
    await audit({ actorId: user.id, action: "recommendation.shown", object: `recommendation:${shown.id}`, result: "ok", request });
  }
  return { client: { id: client.id, code: client.code, status: client.status, profile: client.profile }, recommendation };
}

const armLabel = (arm: string, lang: "nl" | "en") => INTERVENTION_LABELS[arm as Intervention]?.[lang] ?? arm;

export default function ClientPage() {
  const { client, recommendation } = useLoaderData<typeof loader>();
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
        {recommendation ? (
          <>
            <p className="muted">{t.rankingIntro}</p>
            <table data-testid="ranking">
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
                  <tr key={arm.arm} data-arm={arm.arm} data-rank={arm.rank ?? ""}>
                    <td>{arm.rank ?? "—"}</td>
                    <th scope="row">
                      {armLabel(arm.arm, t.lang)}
                      {arm.eligible ? null : (
                        <div className="muted">
                          {t.notEligible}: {arm.excludedBy}
                        </div>
                      )}
                      {arm.eligible && arm.reasons.length > 0 ? (
                        <ul className="reasons">
                          {arm.reasons.slice(0, 3).map((r) => (
                            <li key={r.group}>
                              {groupLabel(r.group, t.lang)}: {signedPoints(r.effect, t.lang)}
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
                      {arm.arm === recommendation.control ? "—" : signedPoints(arm.gain, t.lang)}
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
            <p className="muted">
              {t.modelVersion}: <span data-testid="model-version">{recommendation.modelVersion}</span>
            </p>
          </>
        ) : (
          <p role="status">{t.noModel}</p>
        )}
      </section>
      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t.profile}</h2>
        <dl className="profile-list">
          {(Object.keys(FEATURE_LABELS) as (keyof typeof FEATURE_LABELS)[]).map((key) => (
            <div key={key} style={{ display: "contents" }}>
              <dt>{FEATURE_LABELS[key][t.lang]}</dt>
              <dd>{formatProfileValue(client.profile[key], t.lang)}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
