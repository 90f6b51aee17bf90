import { INTERVENTION_LABELS, type Intervention } from "../../model/catalogue";
import type { FeatureGroup } from "../../model/reintegration";
import type { ClientProfile } from "../../model/reintegration";
import type { Lang } from "./i18n";

type Label = Record<Lang, string>;

export const FEATURE_LABELS: Record<keyof ClientProfile, Label> = {
  leeftijdsklasse: { nl: "Leeftijdsklasse", en: "Age band" },
  regio: { nl: "Regio", en: "Region" },
  huishouden: { nl: "Huishouden", en: "Household" },
  aantal_kinderen: { nl: "Aantal kinderen", en: "Number of children" },
  jongste_kind_0_4: { nl: "Jongste kind 0–4 jaar", en: "Youngest child aged 0–4" },
  opleiding: { nl: "Opleiding", en: "Education" },
  taaleis_voldaan: { nl: "Voldoet aan de taaleis", en: "Meets the language requirement" },
  nooit_gewerkt: { nl: "Nooit betaald gewerkt", en: "Never had paid work" },
  maanden_sinds_werk: { nl: "Maanden sinds laatste baan", en: "Months since last job" },
  maanden_gewerkt_5j: { nl: "Maanden gewerkt (laatste 5 jaar)", en: "Months worked (last 5 years)" },
  uitkeringsduur_maanden: { nl: "Duur huidige uitkering (maanden)", en: "Current benefit duration (months)" },
  eerdere_uitkeringen: { nl: "Eerdere uitkeringsperiodes", en: "Previous benefit spells" },
  med_antidepressiva: { nl: "Medicatie: antidepressiva", en: "Medication: antidepressants" },
  med_psycholeptica: { nl: "Medicatie: psycholeptica", en: "Medication: psycholeptics" },
  med_diabetes: { nl: "Medicatie: diabetes", en: "Medication: diabetes" },
  med_luchtwegen: { nl: "Medicatie: luchtwegen", en: "Medication: respiratory" },
  med_hart_vaat: { nl: "Medicatie: hart en vaten", en: "Medication: cardiovascular" },
  wmo_ondersteuning: { nl: "Wmo-ondersteuning", en: "WMO care support" },
  problematische_schulden: { nl: "Problematische schulden", en: "Problem debts" },
  schuldhulp_eerder: { nl: "Eerder in schuldhulpverlening", en: "Earlier debt counselling" },
};

export const GROUP_LABELS: Record<FeatureGroup, Label> = {
  werkverleden: { nl: "werkverleden", en: "work history" },
  schulden: { nl: "schulden", en: "debts" },
  gezondheid: { nl: "gezondheid en zorg", en: "health and care" },
  huishouden: { nl: "huishouden", en: "household" },
  taal: { nl: "taal", en: "language" },
  opleiding: { nl: "opleiding", en: "education" },
  leeftijd: { nl: "leeftijd", en: "age" },
  regio: { nl: "regio", en: "region" },
};

export function groupLabel(group: string, lang: Lang): string {
  return (GROUP_LABELS as Record<string, Label>)[group]?.[lang] ?? group;
}

export function formatProfileValue(value: string | number, _lang: Lang): string {
  if (typeof value === "number") return String(value);
  return value.replaceAll("_", " ");
}

export const pct = (p: number) => `${Math.round(p * 100)}%`;
export const signedPoints = (p: number, lang: Lang) => {
  const points = Math.round(p * 100);
  return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${Math.abs(points)} ${lang === "nl" ? "procentpunt" : "points"}`;
};

export const armLabel = (arm: string, lang: Lang) => INTERVENTION_LABELS[arm as Intervention]?.[lang] ?? arm;
