import type { Lang } from "../config/catalogue.js";
import type { Effect, Factor, Report } from "./schema.js";
import { reportText, type TextKey } from "./text.js";

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, no
 * external assets (it opens from a file, an e-mail or the app alike). Each chart is an image with a
 * title and description for screen readers and is followed by the same figures as a table.
 */

const html = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");

const locale = (lang: Lang) => (lang === "nl" ? "nl-NL" : "en-GB");

type Scale = { binary: boolean; unit: string | null };

/** An effect in words: percentage points for a binary outcome, the unit otherwise; always signed. */
export function formatEffect(value: number, scale: Scale, lang: Lang): string {
  const shown = scale.binary ? value * 100 : value;
  const text = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1, minimumFractionDigits: 1, signDisplay: "exceptZero" }).format(shown);
  return scale.binary ? `${text} ${reportText(lang, "points")}` : scale.unit ? `${text} ${scale.unit}` : text;
}

const formatShare = (value: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), { style: "percent", maximumFractionDigits: 1 }).format(value);

const formatCount = (value: number, lang: Lang): string => new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(value);

type ChartRow = { label: string; effect: Pick<Effect, "estimate" | "lower" | "upper" | "n"> };

/** A forest plot: one line per row (point and 95% interval), a zero line, axis ticks in the outcome's scale. */
function forestSvg(options: { id: string; title: string; description: string; rows: readonly ChartRow[]; scale: Scale; lang: Lang; minCell: number }): string {
  const { rows, scale, lang } = options;
  const labelWidth = 260;
  const plotWidth = 380;
  const rowHeight = 22;
  const top = 10;
  const axis = 30;
  const height = top + rows.length * rowHeight + axis;
  const width = labelWidth + plotWidth + 150;
  const bounds = rows.flatMap((r) => (r.effect.lower === null || r.effect.upper === null ? [] : [r.effect.lower, r.effect.upper]));
  const extent = Math.max(0.01, ...bounds.map(Math.abs)) * 1.05;
  const x = (v: number) => labelWidth + ((v + extent) / (2 * extent)) * plotWidth;
  const step = niceStep(extent);
  const ticks: number[] = [];
  for (let t = -Math.floor(extent / step) * step; t <= extent + 1e-12; t += step) ticks.push(Number(t.toFixed(10)));
  const tickText = (t: number) =>
    new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(scale.binary ? t * 100 : t);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${options.id}-t ${options.id}-d">`);
  parts.push(`<title id="${options.id}-t">${html(options.title)}</title><desc id="${options.id}-d">${html(options.description)}</desc>`);
  const plotBottom = top + rows.length * rowHeight;
  for (const t of ticks) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top}" y2="${plotBottom}" class="${t === 0 ? "zero" : "grid"}"/>`);
    parts.push(`<text x="${x(t).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle" class="tick">${html(tickText(t))}</text>`);
  }
  rows.forEach((r, k) => {
    const y = top + k * rowHeight + rowHeight / 2;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 4}" text-anchor="end">${html(r.label)}</text>`);
    const { estimate, lower, upper } = r.effect;
    if (estimate === null || lower === null || upper === null) {
      parts.push(`<text x="${x(0) + 6}" y="${y + 4}" class="hidden">&lt;${options.minCell}</text>`);
      return;
    }
    const tone = lower > 0 ? "up" : upper < 0 ? "down" : "flat";
    parts.push(`<line x1="${x(lower).toFixed(1)}" x2="${x(upper).toFixed(1)}" y1="${y}" y2="${y}" class="ci ${tone}"/>`);
    parts.push(`<circle cx="${x(estimate).toFixed(1)}" cy="${y}" r="4" class="${tone}"/>`);
    parts.push(`<text x="${labelWidth + plotWidth + 6}" y="${y + 4}" class="value">${html(formatEffect(estimate, scale, lang))}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

function niceStep(extent: number): number {
  const raw = extent / 3;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
}

function effectTable(options: { caption: string; header: string; rows: readonly ChartRow[]; scale: Scale; lang: Lang; minCell: number }): string {
  const { lang } = options;
  const t = (key: TextKey) => html(reportText(lang, key));
  const hidden = `&lt;${options.minCell}`;
  const body = options.rows
    .map((r) => {
      const e = r.effect;
      const cell = (v: number | null) => (v === null ? hidden : html(formatEffect(v, options.scale, lang)));
      return `<tr><th scope="row">${html(r.label)}</th><td>${cell(e.estimate)}</td><td>${cell(e.lower)}</td><td>${cell(e.upper)}</td><td>${e.n === null ? hidden : html(formatCount(e.n, lang))}</td></tr>`;
    })
    .join("");
  return `<details><summary>${html(options.caption)}</summary><table><caption>${html(options.caption)}</caption><thead><tr><th scope="col">${html(options.header)}</th><th scope="col">${t("estimate")}</th><th scope="col">${t("lowerBound")}</th><th scope="col">${t("upperBound")}</th><th scope="col">${t("people")}</th></tr></thead><tbody>${body}</tbody></table></details>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;max-width:60rem;margin:0 auto;padding:1.5rem;line-height:1.5}
h1,h2,h3{line-height:1.2}h2{margin-top:2.5rem;border-bottom:2px solid #01689b;padding-bottom:.25rem}
.meta{color:#4a4a4a}.limits{background:#f3f7fa;border-left:4px solid #01689b;padding:.5rem 1rem}
figure{margin:1rem 0;overflow-x:auto}svg{max-width:100%;height:auto}figcaption{font-weight:600;margin-bottom:.25rem}
svg text{font-size:12px;fill:#1a1a1a}svg .tick{fill:#4a4a4a}svg .hidden{fill:#4a4a4a;font-style:italic}
svg .grid{stroke:#d0d0d0;stroke-width:1}svg .zero{stroke:#4a4a4a;stroke-width:1.5}
svg .ci{stroke-width:2.5}svg .ci.up{stroke:#01689b}svg .ci.down{stroke:#a90061}svg .ci.flat{stroke:#595959}
svg circle.up{fill:#01689b}svg circle.down{fill:#a90061}svg circle.flat{fill:#595959}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bdbdbd;padding:.2rem .5rem;text-align:left}td{text-align:right}
caption{text-align:left;font-weight:600}summary{cursor:pointer;color:#01689b}summary:focus-visible{outline:3px solid #1a1a1a}
ul.factors li{margin:.15rem 0}.audit{color:#4a4a4a;font-style:italic}
`;

/** The report as HTML in its language. */
export function renderReportHtml(report: Report): string {
  const lang = report.lang;
  const t = (key: TextKey, values: Record<string, string | number> = {}) => html(reportText(lang, key, values));
  const armName = (key: string) => report.arms.find((a) => a.key === key)?.name ?? key;
  const controlName = armName(report.control);
  const date = new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(report.generatedAt));
  const out: string[] = [];
  out.push(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  out.push(`<title>${t("title")}</title><style>${STYLE}</style></head><body><main>`);
  out.push(`<h1>${t("title")}</h1>`);
  out.push(`<p class="meta">${t("meta", { model: report.model.version, rows: formatCount(report.table.rows, lang), date: `${date} UTC` })}</p>`);
  out.push(`<p>${t("intro", { control: controlName })}</p>`);
  out.push(`<section class="limits" aria-labelledby="limits"><h2 id="limits">${t("limitsTitle")}</h2>`);
  for (const key of ["limits1", "limits2"] as const) out.push(`<p>${t(key)}</p>`);
  out.push(
    `<p>${t("limits3", {
      share: formatShare(report.overlap.share, lang),
      threshold: formatShare(report.overlap.threshold, lang),
      clip: formatShare(report.overlap.clip, lang),
    })}</p>`,
  );
  const logged = report.loggedProbabilities;
  if (logged) {
    const rows = logged.rows === null ? `<${report.minCell}` : formatCount(logged.rows, lang);
    out.push(`<p>${t("logged", { rows, follow: logged.followShare === null ? "–" : formatShare(logged.followShare, lang) })}</p>`);
  }
  out.push(`<p>${t("limits4", { min: report.minCell })}</p><p>${t("limits5")}</p><p>${t("files")}</p></section>`);

  report.outcomes.forEach((outcome, o) => {
    const scale: Scale = { binary: outcome.type === "binary", unit: outcome.unit };
    const mine = report.effects.filter((e) => e.outcome === outcome.column);
    const overallRows: ChartRow[] = report.arms
      .filter((a) => a.key !== report.control)
      .map((a) => ({ label: a.name, effect: mine.find((e) => e.arm === a.key && e.group === null) ?? { estimate: null, lower: null, upper: null, n: null } }));
    out.push(`<section aria-labelledby="o${o}"><h2 id="o${o}">${html(outcome.label)}</h2>`);
    out.push(`<p>${t("outcomeModel", { model: reportText(lang, outcome.outcomeModel) })}</p>`);
    const overallTitle = `${reportText(lang, "overall")}: ${outcome.label}`;
    const overallDesc = reportText(lang, "overallDesc", { control: controlName, outcome: outcome.label });
    out.push(`<figure><figcaption>${html(overallTitle)}</figcaption>`);
    out.push(forestSvg({ id: `f${o}`, title: overallTitle, description: overallDesc, rows: overallRows, scale, lang, minCell: report.minCell }));
    out.push(effectTable({ caption: overallDesc, header: reportText(lang, "trajectory"), rows: overallRows, scale, lang, minCell: report.minCell }));
    out.push("</figure>");
    out.push(`<h3>${t("bySubgroup")}</h3>`);
    report.arms
      .filter((a) => a.key !== report.control)
      .forEach((arm, k) => {
        const rows: ChartRow[] = report.subgroups.flatMap((s) =>
          s.values.map((v) => ({
            label: `${s.label}: ${v.label}${s.role === "audit" ? " *" : ""}`,
            effect: mine.find((e) => e.arm === arm.key && e.group?.feature === s.feature && e.group.value === v.value) ?? {
              estimate: null,
              lower: null,
              upper: null,
              n: null,
            },
          })),
        );
        const description = reportText(lang, "bySubgroupDesc", { arm: arm.name, control: controlName, outcome: outcome.label });
        out.push(`<details${o === 0 && k === 0 ? " open" : ""}><summary>${html(arm.name)}</summary><figure><figcaption>${html(description)}</figcaption>`);
        out.push(forestSvg({ id: `s${o}-${k}`, title: description, description: `${description} * ${reportText(lang, "audit")}.`, rows, scale, lang, minCell: report.minCell }));
        out.push(`<p class="audit">* ${t("audit")}</p>`);
        out.push(effectTable({ caption: description, header: reportText(lang, "group"), rows, scale, lang, minCell: report.minCell }));
        out.push("</figure></details>");
      });
    out.push(factorSection(report, outcome.column, scale, o));
    out.push("</section>");
  });
  out.push("</main></body></html>\n");
  return out.join("\n");
}

function factorSection(report: Report, outcome: string, scale: Scale, o: number): string {
  const lang = report.lang;
  const controlName = report.arms.find((a) => a.key === report.control)?.name ?? report.control;
  const subgroup = (feature: string) => report.subgroups.find((s) => s.feature === feature);
  const factorLabel = (f: Factor) => {
    const s = subgroup(f.factor.feature);
    const label = s?.label ?? f.factor.feature;
    if (f.factor.value === null) {
      const sd = report.factorScales.find((x) => x.feature === f.factor.feature)?.sd ?? 0;
      return `${label} ${reportText(lang, "perSd", { sd: new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(sd) })}`;
    }
    const valueLabel = s?.values.find((v) => v.value === f.factor.value)?.label ?? f.factor.value;
    return `${label}: ${valueLabel}`;
  };
  const list = (arm: string | null) => {
    const clear = report.factors
      .filter((f) => f.outcome === outcome && f.arm === arm && f.lower !== null && f.upper !== null && (f.lower > 0 || f.upper < 0))
      .sort((a, b) => Math.abs(b.estimate ?? 0) - Math.abs(a.estimate ?? 0));
    if (clear.length === 0) return `<p>${html(reportText(lang, "none"))}</p>`;
    return `<ul class="factors">${clear
      .map(
        (f) =>
          `<li>${html(factorLabel(f))}: ${html(reportText(lang, (f.estimate ?? 0) > 0 ? "higher" : "lower"))} (${html(formatEffect(f.estimate ?? 0, scale, lang))}; ${html(reportText(lang, "interval"))} ${html(formatEffect(f.lower ?? 0, scale, lang))} … ${html(formatEffect(f.upper ?? 0, scale, lang))})</li>`,
      )
      .join("")}</ul>`;
  };
  const out: string[] = [];
  out.push(`<h3>${html(reportText(lang, "factorsTitle"))}</h3><p>${html(reportText(lang, "factorsIntro", { control: controlName }))}</p>`);
  out.push(`<h4>${html(reportText(lang, "level", { control: controlName }))}</h4>${list(null)}`);
  report.arms
    .filter((a) => a.key !== report.control)
    .forEach((arm, k) => {
      out.push(`<details id="b${o}-${k}"><summary>${html(reportText(lang, "effectOf", { arm: arm.name }))}</summary>${list(arm.key)}</details>`);
    });
  return out.join("");
}
