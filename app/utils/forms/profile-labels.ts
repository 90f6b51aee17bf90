import {
  featureLabel as catalogueFeatureLabel,
  groupLabel as catalogueGroupLabel,
  trajectoryName,
  valueLabel,
} from "../../../model/config/catalogue";
import { type Catalogue, defaultCatalogue } from "../../../model/config/municipality";
import type { ReintegrationFeature } from "../../../model/reintegration";
import type { Lang } from "../i18n";

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

/** A profile value as a person reads it: the catalogue's label of a category, else the value. */
export function formatProfileValue(value: string | number | null, lang: Lang, feature?: string, catalogue: Catalogue = defaultCatalogue()): string {
  if (value === null) return lang === "nl" ? "onbekend" : "unknown";
  if (typeof value === "number") return String(value);
  const label = feature ? valueLabel(catalogue, feature, value, lang) : value;
  return label === value ? value.replaceAll("_", " ") : label;
}

export const pct = (p: number) => `${Math.round(p * 100)}%`;
export const signedPoints = (p: number, lang: Lang) => {
  const points = Math.round(p * 100);
  return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${Math.abs(points)} ${lang === "nl" ? "procentpunt" : "points"}`;
};

export const armLabel = (arm: string, lang: Lang, catalogue: Catalogue = defaultCatalogue()) => trajectoryName(catalogue, arm, lang);
