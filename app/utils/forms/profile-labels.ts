import {
  featureLabel as catalogueFeatureLabel,
  groupLabel as catalogueGroupLabel,
  trajectoryName,
  valueLabel,
} from "../../../model/config/catalogue";
import { type Catalogue, defaultCatalogue } from "../../../model/config/municipality";
import type { ReintegrationFeature } from "../../../model/reintegration";
import { formatNumber, type Lang } from "../i18n";

/**
 * Labels of features, values, groups and trajectories come from the catalogue (one source):
 * the default configuration until a page passes the active bundle's catalogue.
 */
type Label = Record<Lang, string>;

/** Every feature's label, in the catalogue's order. */
export const FEATURE_LABELS = Object.fromEntries(defaultCatalogue().features.map((f) => [f.name, f.label])) as Readonly<
  Record<ReintegrationFeature, Label>
>;

export const featureLabel = (name: string, lang: Lang, catalogue: Catalogue = defaultCatalogue()) => catalogueFeatureLabel(catalogue, name, lang);

export function groupLabel(group: string, lang: Lang, catalogue: Catalogue = defaultCatalogue()): string {
  return catalogueGroupLabel(catalogue, group, lang);
}

/**
 * A profile value as a person reads it: the catalogue's label of a category, yes/no for a binary fact,
 * a number in the language's notation; never a code. Null is "unknown".
 */
export function formatProfileValue(value: string | number | null, lang: Lang, feature?: string, catalogue: Catalogue = defaultCatalogue()): string {
  if (value === null) return lang === "nl" ? "onbekend" : "unknown";
  const type = feature ? catalogue.features.find((f) => f.name === feature)?.type : undefined;
  if (type === "binary" && (value === 0 || value === 1 || value === "0" || value === "1")) return Number(value) === 1 ? YES_NO.yes[lang] : YES_NO.no[lang];
  if (typeof value === "number") return type ? formatNumber(value, lang, Number.isInteger(value) ? 0 : 1) : String(value);
  const label = feature ? valueLabel(catalogue, feature, value, lang) : value;
  return label === value ? value.replaceAll("_", " ") : label;
}

const YES_NO = { yes: { nl: "ja", en: "yes" }, no: { nl: "nee", en: "no" } } as const;

export const armLabel = (arm: string, lang: Lang, catalogue: Catalogue = defaultCatalogue()) => trajectoryName(catalogue, arm, lang);
