import { INTERVENTIONS } from "../catalogue.js";
import {
  type AGE_BANDS,
  AUDIT_COLUMNS,
  EDUCATION_LEVELS,
  HOUSEHOLDS,
  ORIGINS,
  REGIONS,
  REINTEGRATION_FEATURES,
  SECONDARY_OUTCOMES,
  SEXES,
  type WMO_SUPPORT,
} from "../reintegration.js";
import { LANGUAGE_REQUIREMENT_INDEX, MEDICATION_GROUPS } from "./format.js";

/**
 * Feature derivation, one source row at a time. Both the linker (streaming) and the generator
 * (to compute the features its structural causal model uses) go through these functions, so
 * what the model learns from is exactly what the SCM saw in a clean delivery.
 * Dates are whole days since 1970-01-01 (UTC). All state is small integers.
 */

export const MISSING = -1;
const NO_DATE = -1_000_000;
export const DAYS_PER_MONTH = 30.4375;
const FIVE_YEARS_DAYS = 1826;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/** Strict ISO date → days since epoch; null if malformed or impossible (e.g. 2021-02-30). */
export function parseIsoDate(text: string): number | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = mo === 2 && leap ? 29 : (MONTH_DAYS[mo - 1] as number);
  if (d > max) return null;
  return daysFromCivil(y, mo, d);
}

export function formatIsoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

export function yearOf(days: number): number {
  return new Date(days * 86_400_000).getUTCFullYear();
}

/** Whole months from `from` to `to` (0 when `to` is not after `from`). */
export function monthsBetween(from: number, to: number): number {
  return to <= from ? 0 : Math.floor((to - from) / DAYS_PER_MONTH);
}

/** Whole years of age at `at` for someone born on `birth`. */
export function ageAt(birth: number, at: number): number {
  const b = new Date(birth * 86_400_000);
  const a = new Date(at * 86_400_000);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  if (a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate())) {
    age -= 1;
  }
  return age;
}

export function ageBand(age: number): (typeof AGE_BANDS)[number] {
  if (age < 27) return "18-26";
  if (age < 35) return "27-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  return "55+";
}

/** Join state of one trajectory: what is known at its start date. Small integers only. */
export type TrajectoryState = {
  start: number;
  startYear: number;
  arm: number;
  // personen
  birth: number;
  sex: number;
  origin: number;
  region: number;
  // huishoudens
  household: number;
  children: number;
  youngestYear: number;
  // opleiding
  education: number;
  language: number;
  // dienstverbanden
  everWorked: number;
  lastWorkEnd: number;
  worked5yDays: number;
  // uitkeringen
  benefitStart: number;
  earlierBenefits: number;
  // medicatie (bit mask over MEDICATION_GROUPS)
  medication: number;
  // schulden
  problemDebt: number;
  debtEarlier: number;
  // wmo (index into WMO_SUPPORT, 0 = geen)
  wmo: number;
  // uitkomsten (MISSING until linked)
  werk: number;
  uren: number;
  uitstroom: number;
  wmo12: number;
  schulden12: number;
};

export function newTrajectoryState(start: number, arm: number): TrajectoryState {
  return {
    start,
    startYear: yearOf(start),
    arm,
    birth: NO_DATE,
    sex: MISSING,
    origin: MISSING,
    region: MISSING,
    household: MISSING,
    children: MISSING,
    youngestYear: MISSING,
    education: MISSING,
    language: MISSING,
    everWorked: 0,
    lastWorkEnd: NO_DATE,
    worked5yDays: 0,
    benefitStart: NO_DATE,
    earlierBenefits: 0,
    medication: 0,
    problemDebt: 0,
    debtEarlier: 0,
    wmo: 0,
    werk: MISSING,
    uren: MISSING,
    uitstroom: MISSING,
    wmo12: MISSING,
    schulden12: MISSING,
  };
}

export function addEmployment(s: TrajectoryState, begin: number, end: number | null): void {
  if (begin >= s.start) return;
  s.everWorked = 1;
  const e = end === null || end >= s.start ? s.start : end;
  if (e > s.lastWorkEnd) s.lastWorkEnd = e;
  const from = Math.max(begin, s.start - FIVE_YEARS_DAYS);
  if (e > from) s.worked5yDays += e - from;
}

export function addBenefit(s: TrajectoryState, begin: number, end: number | null): void {
  if (begin > s.start) return;
  if (end === null || end >= s.start) {
    if (s.benefitStart === NO_DATE || begin < s.benefitStart) s.benefitStart = begin;
  } else {
    s.earlierBenefits += 1;
  }
}

/** Medication counts when used in the calendar year before the trajectory started. */
export function addMedication(s: TrajectoryState, year: number, bit: number): void {
  if (bit >= 0 && year === s.startYear - 1) s.medication |= 1 << bit;
}

export function addDebt(s: TrajectoryState, registered: number, end: number | null, problematic: boolean): void {
  if (registered >= s.start) return;
  if (end !== null && end < s.start) s.debtEarlier = 1;
  else if (problematic) s.problemDebt = 1;
}

export function addWmo(s: TrajectoryState, support: number, begin: number, end: number | null): void {
  if (begin > s.start || (end !== null && end < s.start)) return;
  if (support > s.wmo) s.wmo = support;
}

/** WMO_SUPPORT ordered by weight (the heaviest provision wins). */
export const WMO_BY_WEIGHT = ["geen", "hulpmiddelen", "huishoudelijke_hulp", "begeleiding"] as const satisfies readonly (typeof WMO_SUPPORT)[number][];

const cap = (v: number, max: number): number => (Math.min(v , max));

export type FeatureValue = string | number;
/** Empty string = missing. */
export const EMPTY = "";

/** Feature values in REINTEGRATION_FEATURES order. */
export function deriveFeatures(s: TrajectoryState): FeatureValue[] {
  const hasBirth = s.birth !== NO_DATE;
  const age = hasBirth ? ageAt(s.birth, s.start) : -1;
  const hasHousehold = s.household !== MISSING;
  const hasEducation = s.education !== MISSING;
  let monthsSinceWork: FeatureValue = EMPTY;
  if (s.everWorked) monthsSinceWork = cap(monthsBetween(s.lastWorkEnd, s.start), 600);
  else if (hasBirth) monthsSinceWork = cap(Math.max(0, age - 18) * 12, 600);
  const out: FeatureValue[] = [
    hasBirth ? ageBand(age) : EMPTY,
    s.region === MISSING ? EMPTY : (REGIONS[s.region] as string),
    hasHousehold ? (HOUSEHOLDS[s.household] as string) : EMPTY,
    hasHousehold ? s.children : EMPTY,
    hasHousehold ? (s.children > 0 && s.youngestYear > 0 && s.startYear - s.youngestYear <= 4 ? 1 : 0) : EMPTY,
    hasEducation ? (EDUCATION_LEVELS[s.education] as string) : EMPTY,
    s.language === MISSING ? EMPTY : s.language >= LANGUAGE_REQUIREMENT_INDEX ? 1 : 0,
    s.everWorked ? 0 : 1,
    monthsSinceWork,
    cap(Math.floor(s.worked5yDays / DAYS_PER_MONTH), 60),
    s.benefitStart === NO_DATE ? EMPTY : cap(monthsBetween(s.benefitStart, s.start), 600),
    cap(s.earlierBenefits, 50),
  ];
  for (let i = 0; i < MEDICATION_GROUPS.length; i += 1) out.push((s.medication >> i) & 1);
  out.push(WMO_BY_WEIGHT[s.wmo] as string, s.problemDebt, s.debtEarlier);
  return out;
}

export function auditValues(s: TrajectoryState): [string, string] {
  return [
    s.sex === MISSING ? EMPTY : (SEXES[s.sex] as string),
    s.origin === MISSING ? EMPTY : (ORIGINS[s.origin] as string),
  ];
}

export function outcomeValues(s: TrajectoryState): FeatureValue[] {
  const v = (x: number): FeatureValue => (x === MISSING ? EMPTY : x);
  return [v(s.werk), v(s.uren), v(s.uitstroom), v(s.wmo12), v(s.schulden12)];
}

export function armOf(s: TrajectoryState): string {
  return INTERVENTIONS[s.arm] as string;
}

/** Index of each feature in deriveFeatures' output. */
export const FEATURE_INDEX = Object.fromEntries(REINTEGRATION_FEATURES.map((f, i) => [f.name, i])) as Record<
  (typeof REINTEGRATION_FEATURES)[number]["name"],
  number
>;
export { AUDIT_COLUMNS, SECONDARY_OUTCOMES };
