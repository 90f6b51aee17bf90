import { z } from "zod";
import { CONTROL_ARM, INTERVENTIONS } from "./catalogue.js";
import type { FeatureSpec, TableSchema } from "./table-schema.js";

/**
 * The re-integration analysis table: the contract between `link` (which writes it),
 * the trainer (which reads it through its schema) and the app's intake form
 * (which collects one client's profile in exactly these terms).
 */

export const AGE_BANDS = ["18-26", "27-34", "35-44", "45-54", "55+"] as const;
export const REGIONS = ["noord", "oost", "west", "zuid", "randstad"] as const;
export const HOUSEHOLDS = ["alleenstaand", "alleenstaande_ouder", "paar_zonder_kinderen", "paar_met_kinderen"] as const;
export const EDUCATION_LEVELS = ["basis", "vmbo_mbo1", "mbo2_4", "havo_vwo", "hbo_wo"] as const;
export const WMO_SUPPORT = ["geen", "huishoudelijke_hulp", "begeleiding", "hulpmiddelen"] as const;
export const SEXES = ["man", "vrouw"] as const;
export const ORIGINS = ["nederland", "europa", "buiten_europa"] as const;

/** Feature groups in human terms, used to explain a recommendation. */
export const FEATURE_GROUPS = [
  "werkverleden",
  "schulden",
  "gezondheid",
  "huishouden",
  "taal",
  "opleiding",
  "leeftijd",
  "regio",
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export const REINTEGRATION_FEATURES = [
  { name: "leeftijdsklasse", type: "categorical", group: "leeftijd" },
  { name: "regio", type: "categorical", group: "regio" },
  { name: "huishouden", type: "categorical", group: "huishouden" },
  { name: "aantal_kinderen", type: "numeric", group: "huishouden" },
  { name: "jongste_kind_0_4", type: "binary", group: "huishouden" },
  { name: "opleiding", type: "categorical", group: "opleiding" },
  { name: "taaleis_voldaan", type: "binary", group: "taal" },
  { name: "nooit_gewerkt", type: "binary", group: "werkverleden" },
  { name: "maanden_sinds_werk", type: "numeric", group: "werkverleden" },
  { name: "maanden_gewerkt_5j", type: "numeric", group: "werkverleden" },
  { name: "uitkeringsduur_maanden", type: "numeric", group: "werkverleden" },
  { name: "eerdere_uitkeringen", type: "numeric", group: "werkverleden" },
  { name: "med_antidepressiva", type: "binary", group: "gezondheid" },
  { name: "med_psycholeptica", type: "binary", group: "gezondheid" },
  { name: "med_diabetes", type: "binary", group: "gezondheid" },
  { name: "med_luchtwegen", type: "binary", group: "gezondheid" },
  { name: "med_hart_vaat", type: "binary", group: "gezondheid" },
  { name: "wmo_ondersteuning", type: "categorical", group: "gezondheid" },
  { name: "problematische_schulden", type: "binary", group: "schulden" },
  { name: "schuldhulp_eerder", type: "binary", group: "schulden" },
] as const satisfies readonly (FeatureSpec & { group: FeatureGroup })[];

export const TREATMENT_COLUMN = "interventie";
export const OUTCOME_COLUMN = "werk_12m";
/** Secondary outcomes: kept in the table, a model may be trained on them with another schema. */
export const SECONDARY_OUTCOMES = ["uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"] as const;
export const AUDIT_COLUMNS = ["geslacht", "herkomst"] as const;
export const truthColumn = (arm: string): string => `mu_${arm}`;

/** The schema `link` writes beside the analysis table. */
export function reintegrationSchema(options: { withTruth: boolean }): TableSchema {
  return {
    name: "reintegration",
    id: "pseudonym",
    treatment: { column: TREATMENT_COLUMN, arms: [...INTERVENTIONS], control: CONTROL_ARM },
    outcome: { column: OUTCOME_COLUMN, type: "binary" },
    features: REINTEGRATION_FEATURES.map((f) => ({ ...f })),
    audit: [...AUDIT_COLUMNS],
    ...(options.withTruth
      ? { truth: Object.fromEntries(INTERVENTIONS.map((arm) => [arm, truthColumn(arm)])) }
      : {}),
  };
}

/** Column order of the analysis table CSV. */
export const ANALYSIS_COLUMNS = [
  "pseudonym",
  ...REINTEGRATION_FEATURES.map((f) => f.name),
  ...AUDIT_COLUMNS,
  TREATMENT_COLUMN,
  OUTCOME_COLUMN,
  ...SECONDARY_OUTCOMES,
  ...INTERVENTIONS.map(truthColumn),
] as const;

const count = (max: number) => z.coerce.number().int().min(0).max(max);
const flag = z.coerce.number().int().min(0).max(1);

/** One client's profile in the model's terms. Shared by `link`, `recommend` and the app's intake form. */
export const ClientProfileSchema = z.object({
  leeftijdsklasse: z.enum(AGE_BANDS),
  regio: z.enum(REGIONS),
  huishouden: z.enum(HOUSEHOLDS),
  aantal_kinderen: count(15),
  jongste_kind_0_4: flag,
  opleiding: z.enum(EDUCATION_LEVELS),
  taaleis_voldaan: flag,
  nooit_gewerkt: flag,
  maanden_sinds_werk: count(600),
  maanden_gewerkt_5j: count(60),
  uitkeringsduur_maanden: count(600),
  eerdere_uitkeringen: count(50),
  med_antidepressiva: flag,
  med_psycholeptica: flag,
  med_diabetes: flag,
  med_luchtwegen: flag,
  med_hart_vaat: flag,
  wmo_ondersteuning: z.enum(WMO_SUPPORT),
  problematische_schulden: flag,
  schuldhulp_eerder: flag,
});
export type ClientProfile = z.infer<typeof ClientProfileSchema>;
