import { z } from "zod";
import { INTERVENTIONS } from "../catalogue.js";
import { EDUCATION_LEVELS, HOUSEHOLDS, ORIGINS, SEXES } from "../reintegration.js";
import { parseIsoDate } from "./derive.js";
import {
  ATC_PATTERN,
  BENEFIT_CODES,
  EDUCATION_CODES,
  HOUSEHOLD_CODES,
  INTERVENTION_CODES,
  isValidBsn,
  LANGUAGE_LEVELS,
  medicationBit,
  ORIGIN_CODES,
  POSTCODE_PATTERN,
  SECTOR_CODES,
  SEX_CODES,
  WMO_CODES,
  WMO_PRIORITY,
} from "./format.js";

/**
 * One zod schema per source file, validating a row (as an array of fields in the delivery's
 * column order) and turning it into small integers. A failed check carries its quarantine
 * reason as the issue message.
 */
export const QUARANTINE_REASONS = [
  "malformed_line",
  "field_count",
  "invalid_bsn",
  "invalid_date",
  "unknown_code",
  "invalid_value",
  "inconsistent_dates",
  "duplicate",
  "conflicting_duplicate",
  "no_trajectory",
  "unknown_trajectory",
  "no_outcome",
  "qi_suppressed",
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];
/** Reasons that mean "the row itself is invalid" (the others are valid rows that could not be used). */
export const INVALID_REASONS: readonly QuarantineReason[] = [
  "malformed_line",
  "field_count",
  "invalid_bsn",
  "invalid_date",
  "unknown_code",
  "invalid_value",
  "inconsistent_dates",
];
export const UNLINKED_REASONS: readonly QuarantineReason[] = ["no_trajectory", "unknown_trajectory", "no_outcome", "qi_suppressed"];

/*
 * Schemas only check (zod refinements are cheap; transforms are not, at millions of rows):
 * a row that passes is then converted to small integers by `convert`, which may trust it.
 */
const reason = (message: QuarantineReason) => ({ message });
const bsn = z.string().refine(isValidBsn, reason("invalid_bsn"));
const date = z.string().refine((s) => parseIsoDate(s) !== null, reason("invalid_date"));
const optionalDate = z.string().refine((s) => s === "" || parseIsoDate(s) !== null, reason("invalid_date"));
const INTEGER = /^\d{1,9}$/;
const int = (min: number, max: number) =>
  z.string().refine((s) => INTEGER.test(s) && Number(s) >= min && Number(s) <= max, reason("invalid_value"));
const flag = z.string().refine((s) => s === "0" || s === "1", reason("invalid_value"));
const code = (codes: readonly string[]) => {
  const known = new Set(codes);
  return z.string().refine((s) => known.has(s), reason("unknown_code"));
};
const probability = z.string().refine((s) => {
  const v = s === "" ? Number.NaN : Number(s);
  return Number.isFinite(v) && v >= 0 && v <= 1;
}, reason("invalid_value"));
/** A secondary outcome's truth: a non-negative number (a chance, or hours), or empty when the truth file lacks it. */
const optionalExpectation = z.string().refine((s) => s === "" || (Number.isFinite(Number(s)) && Number(s) >= 0), reason("invalid_value"));
const trajectId = z.string().regex(/^[\w.-]{1,64}$/, reason("invalid_value"));
const postcode = z.string().regex(POSTCODE_PATTERN, reason("invalid_value"));
const optionalYear = z
  .string()
  .refine((s) => s === "" || (INTEGER.test(s) && Number(s) >= 1900 && Number(s) <= 2100), reason("invalid_value"));

const indexOf = <T extends string>(table: Record<string, T>, levels: readonly T[]): Map<string, number> =>
  new Map(Object.entries(table).map(([c, v]) => [c, levels.indexOf(v)]));
const SEX = indexOf(SEX_CODES, SEXES);
const ORIGIN = indexOf(ORIGIN_CODES, ORIGINS);
const HOUSEHOLD = indexOf(HOUSEHOLD_CODES, HOUSEHOLDS);
const EDUCATION = indexOf(EDUCATION_CODES, EDUCATION_LEVELS);
const ARM = indexOf(INTERVENTION_CODES, INTERVENTIONS);
const LANGUAGE = new Map<string, number>(LANGUAGE_LEVELS.map((v, i) => [v, i]));
const day = (s: string): number => parseIsoDate(s) as number;
const optionalDay = (s: string): number | null => (s === "" ? null : (parseIsoDate(s) as number));
const get = (m: Map<string, number>, s: string): number => m.get(s) as number;

export const ROW_SCHEMAS = {
  personen: z.tuple([bsn, date, code(Object.keys(SEX_CODES)), code(Object.keys(ORIGIN_CODES)), postcode]),
  huishoudens: z.tuple([bsn, code(Object.keys(HOUSEHOLD_CODES)), int(0, 15), optionalYear]),
  opleiding: z.tuple([bsn, code(Object.keys(EDUCATION_CODES)), code(LANGUAGE_LEVELS)]),
  dienstverbanden: z.tuple([bsn, date, optionalDate, int(0, 80), code(SECTOR_CODES)]),
  uitkeringen: z.tuple([bsn, date, optionalDate, code(BENEFIT_CODES)]),
  medicatie: z.tuple([bsn, int(1900, 2100), z.string().regex(ATC_PATTERN, reason("unknown_code"))]),
  schulden: z.tuple([bsn, date, optionalDate, flag]),
  wmo: z.tuple([bsn, code(Object.keys(WMO_CODES)), date, optionalDate]),
  trajecten: z.tuple([bsn, trajectId, code(Object.keys(INTERVENTION_CODES)), date]),
  uitkomsten: z.tuple([bsn, trajectId, flag, int(0, 80), flag, flag, flag]),
  truth: z.tuple([bsn, probability, probability, probability, probability, probability, probability, probability, probability]),
} as const;
export type RowFile = keyof typeof ROW_SCHEMAS;

/** A validated row (fields in the delivery's column order) as small integers; `bsn` as a number. */
export const CONVERT: Record<RowFile, (f: readonly string[]) => (number | string | null)[]> = {
  personen: (f) => [Number(f[0]), day(f[1] as string), get(SEX, f[2] as string), get(ORIGIN, f[3] as string), Number((f[4] as string).slice(0, 4))],
  huishoudens: (f) => [Number(f[0]), get(HOUSEHOLD, f[1] as string), Number(f[2]), f[3] === "" ? null : Number(f[3])],
  opleiding: (f) => [Number(f[0]), get(EDUCATION, f[1] as string), get(LANGUAGE, f[2] as string)],
  dienstverbanden: (f) => [Number(f[0]), day(f[1] as string), optionalDay(f[2] as string), Number(f[3])],
  uitkeringen: (f) => [Number(f[0]), day(f[1] as string), optionalDay(f[2] as string)],
  medicatie: (f) => [Number(f[0]), Number(f[1]), medicationBit(f[2] as string)],
  schulden: (f) => [Number(f[0]), day(f[1] as string), optionalDay(f[2] as string), Number(f[3])],
  wmo: (f) => [
    Number(f[0]),
    WMO_PRIORITY[WMO_CODES[f[1] as string] as keyof typeof WMO_PRIORITY],
    day(f[2] as string),
    optionalDay(f[3] as string),
  ],
  trajecten: (f) => [Number(f[0]), f[1] as string, get(ARM, f[2] as string), day(f[3] as string)],
  uitkomsten: (f) => [Number(f[0]), f[1] as string, Number(f[2]), Number(f[3]), Number(f[4]), Number(f[5]), Number(f[6])],
  truth: (f) => f.map((v) => (v === "" ? Number.NaN : Number(v))),
};

/**
 * The row schemas and converters for a catalogue's arms: the trajectory column holds one of
 * `armIndex`'s codes (converted to the arm's index), the truth file one probability per arm and then
 * `secondaryTruth` optional expectations (empty when the file lacks them; converted to NaN).
 */
export function rowsFor(options: { armIndex: ReadonlyMap<string, number>; arms: number; secondaryTruth?: number }): {
  schemas: Record<RowFile, z.ZodType<string[]>>;
  convert: typeof CONVERT;
} {
  const { armIndex } = options;
  const schemas = {
    ...ROW_SCHEMAS,
    trajecten: z.tuple([bsn, trajectId, code([...armIndex.keys()]), date]),
    truth: z.tuple([
      bsn,
      ...Array.from({ length: options.arms }, () => probability),
      ...Array.from({ length: options.secondaryTruth ?? 0 }, () => optionalExpectation),
    ] as unknown as [typeof bsn]),
  } as unknown as Record<RowFile, z.ZodType<string[]>>;
  const convert: typeof CONVERT = {
    ...CONVERT,
    trajecten: (f) => [Number(f[0]), f[1] as string, armIndex.get(f[2] as string) as number, day(f[3] as string)],
  };
  return { schemas, convert };
}

const KNOWN = new Set<string>(QUARANTINE_REASONS);

/** The quarantine reason and the offending column index of a failed parse. */
export function reasonOf(error: z.ZodError): { reason: QuarantineReason; column: number } {
  const first = error.issues[0];
  const column = typeof first?.path[0] === "number" ? first.path[0] : -1;
  const message = first?.message ?? "";
  return { reason: KNOWN.has(message) ? (message as QuarantineReason) : "invalid_value", column };
}
