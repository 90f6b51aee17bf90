import type { Intervention } from "../catalogue.js";
import type { EDUCATION_LEVELS, HOUSEHOLDS, ORIGINS, REGIONS, SEXES, WMO_SUPPORT } from "../reintegration.js";

/**
 * The municipal delivery format: which CSV files, their columns, and the municipal codes
 * in them. The generator writes it, the linker reads it. Dates are ISO `YYYY-MM-DD`;
 * an empty end date means "still running". Every file is keyed by `bsn`.
 */
export const DELIVERY_FILES = {
  personen: ["bsn", "geboortedatum", "geslacht", "herkomst", "postcode"],
  huishoudens: ["bsn", "huishouden", "aantal_kinderen", "geboortejaar_jongste_kind"],
  opleiding: ["bsn", "opleidingsniveau", "taalniveau"],
  dienstverbanden: ["bsn", "begindatum", "einddatum", "uren_per_week", "sector"],
  uitkeringen: ["bsn", "begindatum", "einddatum", "regeling"],
  medicatie: ["bsn", "jaar", "atc"],
  schulden: ["bsn", "registratiedatum", "einddatum", "problematisch"],
  wmo: ["bsn", "voorziening", "begindatum", "einddatum"],
  trajecten: ["bsn", "traject_id", "interventie", "startdatum"],
  uitkomsten: ["bsn", "traject_id", "werk_12m", "uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"],
} as const;
export type DeliveryFile = keyof typeof DELIVERY_FILES;
export const DELIVERY_FILE_NAMES = Object.keys(DELIVERY_FILES) as DeliveryFile[];

/** Ground truth (only from the generator): expected werk_12m under every arm. */
export const TRUTH_FILE = "truth";

/** Municipal trajectory codes → catalogue arm. */
export const INTERVENTION_CODES: Record<string, Intervention> = {
  REG: "regulier",
  JOB: "jobcoaching",
  SCH: "scholing",
  WEP: "werkervaringsplaats",
  LKS: "loonkostensubsidie",
  SHV: "schuldhulp",
  PAR: "participatieplek",
  TAA: "taaltraject",
};
export const CODE_OF_INTERVENTION = Object.fromEntries(
  Object.entries(INTERVENTION_CODES).map(([code, arm]) => [arm, code]),
) as Record<Intervention, string>;

export const SEX_CODES: Record<string, (typeof SEXES)[number]> = { M: "man", V: "vrouw" };
export const ORIGIN_CODES: Record<string, (typeof ORIGINS)[number]> = {
  NL: "nederland",
  EU: "europa",
  NEU: "buiten_europa",
};
export const HOUSEHOLD_CODES: Record<string, (typeof HOUSEHOLDS)[number]> = {
  ALL: "alleenstaand",
  EOG: "alleenstaande_ouder",
  PZK: "paar_zonder_kinderen",
  PMK: "paar_met_kinderen",
};
export const EDUCATION_CODES: Record<string, (typeof EDUCATION_LEVELS)[number]> = {
  BAS: "basis",
  VMBO: "vmbo_mbo1",
  MBO: "mbo2_4",
  HAVO: "havo_vwo",
  HBO: "hbo_wo",
};
/** CEFR levels; the Participatiewet language requirement (referentieniveau 1F) is taken as A2. */
export const LANGUAGE_LEVELS = ["A0", "A1", "A2", "B1", "B2", "C1", "C2"] as const;
export const LANGUAGE_REQUIREMENT_INDEX = 2;
export const WMO_CODES: Record<string, (typeof WMO_SUPPORT)[number]> = {
  HH: "huishoudelijke_hulp",
  BG: "begeleiding",
  HM: "hulpmiddelen",
};
/** When a client has several WMO provisions at once, the feature keeps the heaviest. */
export const WMO_PRIORITY: Record<(typeof WMO_SUPPORT)[number], number> = {
  geen: 0,
  hulpmiddelen: 1,
  huishoudelijke_hulp: 2,
  begeleiding: 3,
};
export const BENEFIT_CODES = ["PW", "IOAW", "IOAZ"] as const;
/** SBI 2008 sections. */
export const SECTOR_CODES = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U"] as const;

/** ATC code (any level): an anatomical main group letter, then optionally 2 digits, a letter, a letter, 2 digits. */
export const ATC_PATTERN = /^[ABCDGHJLMNPRSV](\d\d([A-Z]([A-Z](\d\d)?)?)?)?$/;
export const MEDICATION_GROUPS = [
  { feature: "med_antidepressiva", prefix: "N06A" },
  { feature: "med_psycholeptica", prefix: "N05" },
  { feature: "med_diabetes", prefix: "A10" },
  { feature: "med_luchtwegen", prefix: "R03" },
  { feature: "med_hart_vaat", prefix: "C" },
] as const;
/** Bit of each medication group in a bit mask; -1 for a valid ATC code outside the groups. */
export function medicationBit(atc: string): number {
  for (let i = 0; i < MEDICATION_GROUPS.length; i += 1) {
    if (atc.startsWith((MEDICATION_GROUPS[i] as { prefix: string }).prefix)) return i;
  }
  return -1;
}

/**
 * Region from the first two digits of the postcode (a coarse, documented mapping:
 * see docs/synthetic-data.md). Never keep the postcode itself.
 */
export function regionOfPostcode(pc4: number): (typeof REGIONS)[number] {
  const pc2 = Math.floor(pc4 / 100);
  if ((pc2 >= 10 && pc2 <= 11) || (pc2 >= 20 && pc2 <= 26) || (pc2 >= 30 && pc2 <= 31) || (pc2 >= 34 && pc2 <= 35)) {
    return "randstad";
  }
  if (pc2 >= 43 && pc2 <= 64) return "zuid";
  if ((pc2 >= 65 && pc2 <= 76) || (pc2 >= 80 && pc2 <= 83)) return "oost";
  if ((pc2 >= 77 && pc2 <= 79) || pc2 >= 84) return "noord";
  return "west";
}

/** PC2 ranges per region, for the generator. */
export const REGION_PC2: Record<(typeof REGIONS)[number], number[]> = {
  randstad: [10, 11, 20, 21, 22, 23, 24, 25, 26, 30, 31, 34, 35],
  west: [12, 13, 14, 15, 16, 17, 18, 19, 27, 28, 29, 32, 33, 36, 37, 38, 39, 40, 41, 42],
  zuid: [43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64],
  oost: [65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 80, 81, 82, 83],
  noord: [77, 78, 79, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99],
};

export const POSTCODE_PATTERN = /^([1-9]\d{3}) ?([A-Z]{2})$/;

/** Elfproef: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11). */
export function isValidBsn(bsn: string): boolean {
  if (bsn.length !== 9) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    const d = bsn.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += i === 8 ? -d : (9 - i) * d;
  }
  return sum % 11 === 0 && bsn !== "000000000";
}

/** Columns holding dates (in any file): the linker detects their format per file and reads them as ISO. */
export const DATE_COLUMNS: ReadonlySet<string> = new Set(["geboortedatum", "begindatum", "einddatum", "registratiedatum", "startdatum"]);

const withLabels = <T extends string>(table: Record<string, T>): Record<string, string> => ({
  ...Object.fromEntries(Object.keys(table).map((c) => [c, c])),
  ...Object.fromEntries(Object.entries(table).map(([c, v]) => [v, c])),
});
const identity = (codes: readonly string[]): Record<string, string> => Object.fromEntries(codes.map((c) => [c, c]));

/**
 * A catalogue's trajectory keys as the trajectory column holds them: a key of the default
 * catalogue as our delivery code (`JOB`), any other key as itself (`werkfit`).
 */
export function armCode(arm: string): string {
  return (CODE_OF_INTERVENTION as Record<string, string>)[arm] ?? arm;
}

/**
 * What a delivery profile may map a municipality's trajectory code to, for a catalogue's arms:
 * the key (`werkfit`, `jobcoaching`) or, for a default key, also our delivery code (`JOB`);
 * each resolves to the value the trajectory column is checked against (armCode).
 */
export function armTargets(arms: readonly string[]): Record<string, string> {
  return Object.fromEntries(arms.flatMap((arm) => (armCode(arm) === arm ? [[arm, arm]] : [[armCode(arm), armCode(arm)], [arm, armCode(arm)]])));
}

/** The coded columns for a catalogue's arms: ours, with the trajectory column's targets from armTargets. */
export function codedColumnsFor(arms: readonly string[]): Record<string, Record<string, string>> {
  return { ...CODED_COLUMNS, interventie: armTargets(arms) };
}

/**
 * Files from which a delivery profile may take an extra feature (one a municipality has beyond the
 * features link derives): the files with one row per person, read as of the trajectory's start.
 */
export const EXTRA_FEATURE_FILES = ["personen", "huishoudens", "opleiding"] as const;
export type ExtraFeatureFile = (typeof EXTRA_FEATURE_FILES)[number];
const FLAG = identity(["0", "1"]);

/**
 * Columns with a fixed set of codes, and per column which values a delivery profile may map a
 * municipality's code to: our delivery code (`JOB`) or what it stands for (`jobcoaching`),
 * each resolved to the delivery code the row schemas check.
 */
export const CODED_COLUMNS: Record<string, Record<string, string>> = {
  geslacht: withLabels(SEX_CODES),
  herkomst: withLabels(ORIGIN_CODES),
  huishouden: withLabels(HOUSEHOLD_CODES),
  opleidingsniveau: withLabels(EDUCATION_CODES),
  taalniveau: identity(LANGUAGE_LEVELS),
  sector: identity(SECTOR_CODES),
  regeling: identity(BENEFIT_CODES),
  voorziening: withLabels(WMO_CODES),
  interventie: armTargets(Object.values(INTERVENTION_CODES)),
  problematisch: FLAG,
  werk_12m: FLAG,
  uitstroom_12m: FLAG,
  wmo_12m: FLAG,
  schulden_12m: FLAG,
};
