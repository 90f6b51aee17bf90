import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { MetaFunction } from "@remix-run/react";
import { requireRole } from "~/utils/auth/auth.server";
import { formatDateTime, formatPercent, formatPoints, type Lang, useT } from "~/utils/i18n";
import { getLatestReport, REPORT_ROLES } from "~/utils/reports/latest.server";

const TEXT = {
  nl: {
    title: "Wat werkt voor wie",
    intro:
      "Het laatste rapport voor het model dat nu in gebruik is: per uitkomst en traject het gemiddelde effect ten opzichte van reguliere begeleiding, voor alle cliënten en per groep, met wat de cijfers wel en niet laten zien.",
    none: "Er is nog geen rapport voor het model dat nu in gebruik is.",
    noModel: "Er is nog geen model in gebruik.",
    how: "Een datascientist maakt het op de beveiligde omgeving met een tabel waarop het model niet is getraind, en zet de map in DATA_DIR/reports/:",
    refused: "Het nieuwste rapport voor dit model voldoet niet aan de openbaarmakingsregels en wordt daarom niet getoond.",
    meta: "Model {model} · {rows} trajecten · gemaakt op {date}",
    open: "Open het volledige rapport (grafieken, groepen en kenmerken)",
    excerpt: "Gemiddeld effect op {outcome}",
    trajectory: "Traject",
    effect: "Effect",
    interval: "95%-interval",
    overlap: "Cliënten met te weinig vergelijkbare cliënten voor minstens één traject: {share}.",
  },
  en: {
    title: "What works for whom",
    intro:
      "The latest report for the model in use: per outcome and trajectory the average effect compared with regular guidance, for all clients and per group, with what the figures can and cannot show.",
    none: "There is no report for the model in use yet.",
    noModel: "No model is in use yet.",
    how: "A data scientist makes it on the secure side with a table the model was not trained on, and puts the folder in DATA_DIR/reports/:",
    refused: "The newest report for this model does not meet the disclosure rules, so it is not shown.",
    meta: "Model {model} · {rows} trajectories · made on {date}",
    open: "Open the full report (charts, groups and characteristics)",
    excerpt: "Average effect on {outcome}",
    trajectory: "Trajectory",
    effect: "Effect",
    interval: "95% interval",
    overlap: "Clients with too few comparable clients for at least one trajectory: {share}.",
  },
} as const satisfies Record<Lang, Record<string, string>>;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

export const meta: MetaFunction = () => [{ title: "Wat werkt voor wie · Trajectwijzer" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, REPORT_ROLES);
  const latest = await getLatestReport();
  if (latest.status !== "ok") return { status: latest.status, model: latest.model, summary: null };
  const { report } = latest;
  const primary = report.outcomes.find((o) => o.primary) ?? report.outcomes[0];
  return {
    status: latest.status,
    model: latest.model,
    summary: {
      generatedAt: report.generatedAt,
      rows: report.table.rows,
      overlap: report.overlap.share,
      outcome: primary?.label ?? "",
      binary: primary?.type === "binary",
      effects: report.effects
        .filter((e) => e.outcome === primary?.column && e.group === null)
        .map((e) => ({ arm: report.arms.find((a) => a.key === e.arm)?.name ?? e.arm, estimate: e.estimate, lower: e.lower, upper: e.upper })),
    },
  };
}

export default function LatestReport() {
  const { status, model, summary } = useLoaderData<typeof loader>();
  const { lang } = useT();
  const x = TEXT[lang];
  const show = (v: number | null, binary: boolean) => (v === null ? "<10" : binary ? formatPoints(v, lang) : String(v));
  return (
    <div className="page">
      <h1>{x.title}</h1>
      <p>{x.intro}</p>
      {status === "ok" && summary ? (
        <>
          <p className="muted">{fill(x.meta, { model: model ?? "", rows: String(summary.rows), date: formatDateTime(new Date(summary.generatedAt), lang) })}</p>
          <p>
            <a href="/reports/latest.html" data-testid="open-report">
              {x.open}
            </a>
          </p>
          <table>
            <caption>{fill(x.excerpt, { outcome: summary.outcome })}</caption>
            <thead>
              <tr>
                <th scope="col">{x.trajectory}</th>
                <th scope="col">{x.effect}</th>
                <th scope="col">{x.interval}</th>
              </tr>
            </thead>
            <tbody>
              {summary.effects.map((e) => (
                <tr key={e.arm}>
                  <th scope="row">{e.arm}</th>
                  <td>{show(e.estimate, summary.binary)}</td>
                  <td>
                    {show(e.lower, summary.binary)} … {show(e.upper, summary.binary)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{fill(x.overlap, { share: formatPercent(summary.overlap, lang, 1) })}</p>
        </>
      ) : (
        <>
          <p role="status">{status === "refused" ? x.refused : model ? x.none : x.noModel}</p>
          <p>{x.how}</p>
          <pre>npm run report -- --model DIR --table CSV --out $DATA_DIR/reports/NAME</pre>
        </>
      )}
    </div>
  );
}
