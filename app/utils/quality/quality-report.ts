import { SUPPRESSED } from "../../../model/privacy/suppression";
import type { Cell, Column, ReportTable } from "../../../model/quality/report-table";
import { DEVIATION_LABELS } from "../forms/decision-form";
import { type Lang, MESSAGES } from "../i18n";
import type { Catalogue } from "../../../model/config/municipality";
import { armLabel, featureLabel, formatProfileValue } from "../forms/profile-labels";
import { CHOICE_LABELS } from "../forms/intake-form";
import { FAIRNESS_DIMENSIONS } from "../../../model/quality/report-table";

/**
 * The shape of the managers' quality report (computed in quality.server.ts) and how its cells read
 * in each language, shared by the dashboard page and its CSV exports.
 * A cell is a label (string), a figure (number), "<10" (suppressed) or null (not applicable).
 */
export { type Cell, type Column, type ColumnKind, type ReportTable, TABLE_IDS, type TableId } from "../../../model/quality/report-table";

export { SUPPRESSED };

/** The dashboard's texts in one language (nested under `dashboard` in i18n). */
export function dashboardText(lang: Lang, key: string): string {
  const texts = MESSAGES[lang].dashboard as Record<string, string>;
  return texts[key] ?? key;
}

export function columnHeader(column: Column, lang: Lang): string {
  const texts = MESSAGES[lang].dashboard as Record<string, string>;
  return texts[`${column.key}_col`] ?? texts[column.key] ?? column.key;
}

/**
 * A label cell in words: arms, reasons, features, months and group values get their names. A group
 * is named from its dimension (the row's first cell): profile values from the configuration's labels,
 * sex and origin from the intake's labels.
 */
export function labelText(column: Column, value: string, lang: Lang, catalogue?: Catalogue, dimension?: Cell): string {
  const texts = MESSAGES[lang].dashboard as Record<string, string>;
  if (value === "total") return texts.total ?? value;
  const own = texts[`${value}_col`] ?? texts[value];
  if (own && ["advice", "estimate", "dimension", "team", "recommendedArm", "chosenArm", "reason", "group"].includes(column.key)) {
    return own;
  }
  switch (column.key) {
    case "recommendedArm":
    case "chosenArm":
      return armLabel(value, lang, catalogue);
    case "reason":
      return (DEVIATION_LABELS as Record<string, Record<Lang, string>>)[value]?.[lang] ?? value;
    case "period": {
      // "2025-Q2" → "2025 K2" (kwartaal) in Dutch.
      const quarter = /^(\d{4})-Q([1-4])$/.exec(value);
      return quarter ? `${quarter[1]} ${lang === "nl" ? "K" : "Q"}${quarter[2]}` : value;
    }
    case "month": {
      // "2026-01" → "jan 2026" / "Jan 2026".
      const month = /^(\d{4})-(\d{2})$/.exec(value);
      if (!month) return value;
      const at = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
      return new Intl.DateTimeFormat(lang === "nl" ? "nl-NL" : "en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(at).replace(".", "");
    }
    case "feature":
      return featureLabel(value, lang, catalogue);
    case "group": {
      const feature = typeof dimension === "string" ? (FAIRNESS_DIMENSIONS as Record<string, string | null>)[dimension] : null;
      if (feature) return formatProfileValue(value, lang, feature, catalogue);
      return CHOICE_LABELS[value]?.[lang] ?? formatProfileValue(value, lang, undefined, catalogue);
    }
    default:
      return value;
  }
}

const numberFormat = (lang: Lang, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB", options);

export function formatRate(value: number, lang: Lang): string {
  return numberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/**
 * A cell as text on the page; a suppressed one reads "<10 personen" ("<10 people"), so that in a
 * percentage column it cannot be read as "<10%". `row` gives a group its dimension.
 */
export function cellText(column: Column, cell: Cell, lang: Lang, catalogue?: Catalogue, row?: readonly Cell[]): string {
  if (cell === null) return "—";
  if (cell === SUPPRESSED) return dashboardText(lang, "suppressedCell");
  if (typeof cell === "string") {
    if (column.kind === "flag") return dashboardText(lang, cell === "drift" ? "drift_yes" : "drift_no");
    return labelText(column, cell, lang, catalogue, row?.[0]);
  }
  switch (column.kind) {
    case "count":
      return numberFormat(lang, { maximumFractionDigits: 0 }).format(cell);
    case "rate":
      return formatRate(cell, lang);
    default:
      return numberFormat(lang, { maximumFractionDigits: 3 }).format(cell);
  }
}

export const CSV_FORMATS = ["excel-nl", "rfc4180"] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

/**
 * A report table as CSV; rates as fractions, suppressed cells stay "<10". `excel-nl` (what Dutch Excel
 * opens by double-click): a UTF-8 byte order mark, `;` between fields and decimal commas. `rfc4180`:
 * no byte order mark, commas between fields, "." decimals.
 */
export function tableToCsv(table: ReportTable, lang: Lang, format: CsvFormat = "rfc4180", catalogue?: Catalogue): string {
  const separator = format === "excel-nl" ? ";" : ",";
  const decimal = (v: string) => (format === "excel-nl" ? v.replace(".", ",") : v);
  const quote = (v: string) => (/[",\n\r;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [table.columns.map((c) => quote(columnHeader(c, lang))).join(separator)];
  for (const row of table.rows) {
    lines.push(
      row
        .map((cell, k) => {
          const column = table.columns[k] as Column;
          if (cell === null) return "";
          if (cell === SUPPRESSED) return SUPPRESSED;
          if (typeof cell === "number") return column.kind === "count" ? String(cell) : decimal(String(Number(cell.toFixed(4))));
          if (column.kind === "flag") return quote(dashboardText(lang, cell === "drift" ? "drift_yes" : "drift_no"));
          return quote(labelText(column, cell, lang, catalogue, row[0]));
        })
        .join(separator),
    );
  }
  return `${format === "excel-nl" ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`;
}
