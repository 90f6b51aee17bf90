import { formatNumber, type Lang } from "~/utils/i18n";

/** Small display helpers shared by the model registry pages. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}

/** A metric in the page's language ("0,691" in Dutch, "0.691" in English); a missing one as a dash. */
export function fmt(value: number | null | undefined, lang: Lang, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "–" : formatNumber(value, lang, digits);
}

export function shortHash(hash: string | null): string | null {
  return hash ? hash.slice(0, 12) : null;
}

export function label(labels: Record<string, string>, key: string): string {
  return labels[key] ?? key;
}
