import type { z } from "zod";
import { CONTROL_ARM, INTERVENTIONS } from "./catalogue.js";
import { type Profile, profileSchemaFor } from "./config/catalogue.js";
import { declaredInConfig, defaultCatalogue } from "./config/municipality.js";
import type { FeatureSpec, TableSchema } from "./table-schema.js";

/**
 * The re-integration analysis table: the contract between `link` (which writes it),
 * the trainer (which reads it through its schema) and the app's intake form
 * (which collects one client's profile in exactly these terms). Features, values, groups and
 * outcomes come from the default configuration (config/municipality.json); the column layout
 * (id, treatment, audit and truth columns) is the linker's.
 */

const config = defaultCatalogue();

/**
 * The levels the linker derives for the categorical features, checked against the values the
 * configuration declares (which also holds their labels). Typed, because the generator and the
 * linker map source codes onto exactly these.
 */
function levels<const T extends readonly string[]>(name: string, expected: T): T {
  const values = config.features.find((f) => f.name === name)?.values?.map((v) => v.value) ?? [];
  return declaredInConfig(`the values of "${name}"`, values, expected);
}

export const AGE_BANDS = levels("leeftijdsklasse", ["18-26", "27-34", "35-44", "45-54", "55+"]);
export const REGIONS = levels("regio", ["noord", "oost", "west", "zuid", "randstad"]);
export const HOUSEHOLDS = levels("huishouden", ["alleenstaand", "alleenstaande_ouder", "paar_zonder_kinderen", "paar_met_kinderen"]);
export const EDUCATION_LEVELS = levels("opleiding", ["basis", "vmbo_mbo1", "mbo2_4", "havo_vwo", "hbo_wo"]);
export const WMO_SUPPORT = levels("wmo_ondersteuning", ["geen", "huishoudelijke_hulp", "begeleiding", "hulpmiddelen"]);
/** Audit columns' values (never model features, so not part of the configuration's features). */
export const SEXES = ["man", "vrouw"] as const;
export const ORIGINS = ["nederland", "europa", "buiten_europa"] as const;

/** Feature groups in human terms, used to explain a recommendation. */
export const FEATURE_GROUPS: readonly string[] = config.groups.map((g) => g.key);
export type FeatureGroup = string;

/** The features the linker derives, in the order it writes them (types, groups and labels: the configuration). */
const FEATURE_NAMES = declaredInConfig(
  "the features",
  config.features.map((f) => f.name),
  [
    "leeftijdsklasse",
    "regio",
    "huishouden",
    "aantal_kinderen",
    "jongste_kind_0_4",
    "opleiding",
    "taaleis_voldaan",
    "nooit_gewerkt",
    "maanden_sinds_werk",
    "maanden_gewerkt_5j",
    "uitkeringsduur_maanden",
    "eerdere_uitkeringen",
    "med_antidepressiva",
    "med_psycholeptica",
    "med_diabetes",
    "med_luchtwegen",
    "med_hart_vaat",
    "wmo_ondersteuning",
    "problematische_schulden",
    "schuldhulp_eerder",
  ],
);
export type ReintegrationFeature = (typeof FEATURE_NAMES)[number];

export const REINTEGRATION_FEATURES: readonly (FeatureSpec & { name: ReintegrationFeature; group: FeatureGroup })[] = config.features.map(
  (f, i) => ({ name: FEATURE_NAMES[i] as ReintegrationFeature, type: f.type, group: f.group }),
);

export const TREATMENT_COLUMN = "interventie";
export const OUTCOME_COLUMN = config.outcomes.primary.column;
/** Secondary outcomes: kept in the table, a model may be trained on them with another schema. */
export const SECONDARY_OUTCOMES: readonly string[] = config.outcomes.secondary.map((o) => o.column);
export const AUDIT_COLUMNS = ["geslacht", "herkomst"] as const;
export const truthColumn = (arm: string): string => `mu_${arm}`;
/** Secondary outcomes the generator writes ground truth for (its truth file: one column per outcome and arm). */
export const SECONDARY_TRUTH_OUTCOMES = ["uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"] as const;
/** The truth column of a secondary outcome under one arm (evaluation only, never a feature). */
export const secondaryTruthColumn = (outcome: string, arm: string): string => `mu_${outcome}_${arm}`;

/** The schema `link` writes beside the analysis table. */
export function reintegrationSchema(options: { withTruth: boolean }): TableSchema {
  return {
    name: "reintegration",
    id: "pseudonym",
    treatment: { column: TREATMENT_COLUMN, arms: [...INTERVENTIONS], control: CONTROL_ARM },
    outcome: { column: OUTCOME_COLUMN, type: config.outcomes.primary.type },
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

/** One client's profile in the model's terms. Shared by `link`, `recommend` and the app's intake form. */
export const ClientProfileSchema = profileSchemaFor(config) as z.ZodObject<Record<ReintegrationFeature, z.ZodType<Profile[string]>>>;
export type ClientProfile = z.infer<typeof ClientProfileSchema>;
