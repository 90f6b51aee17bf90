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
  "field_count",
  "invalid_bsn",
  "invalid_date",
  "unknown_code",
  "invalid_value",
  "inconsistent_dates",
];
export const UNLINKED_REASONS: readonly QuarantineReason[] = ["no_trajectory", "unknown_trajectory", "no_outcome", "qi_suppressed"];

type Ctx = z.core.$RefinementCtx<string>;
const issue = (ctx: Ctx, message: QuarantineReason): typeof z.NEVER => {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
};

const bsn = z.string().transform((s, ctx) => (isValidBsn(s) ? Number(s) : issue(ctx, "invalid_bsn")));
const date = z.string().transform((s, ctx) => parseIsoDate(s) ?? issue(ctx, "invalid_date"));
const optionalDate = z
  .string()
  .transform((s, ctx): number | null => (s === "" ? null : (parseIsoDate(s) ?? issue(ctx, "invalid_date"))));
const INTEGER = /^\d{1,9}$/;
const int = (min: number, max: number) =>
  z.string().transform((s, ctx) => {
    if (!INTEGER.test(s)) return issue(ctx, "invalid_value");
    const v = Number(s);
    return v < min || v > max ? issue(ctx, "invalid_value") : v;
  });
const flag = z.string().transform((s, ctx) => (s === "0" ? 0 : s === "1" ? 1 : issue(ctx, "invalid_value")));
/** A municipal code → index of its value in `levels`. */
const code = <T extends string>(table: Record<string, T>, levels: readonly T[]) => {
  const index = new Map<string, number>(Object.entries(table).map(([c, v]) => [c, levels.indexOf(v)]));
  return z.string().transform((s, ctx) => index.get(s) ?? issue(ctx, "unknown_code"));
};
const listCode = (levels: readonly string[]) => {
  const index = new Map<string, number>(levels.map((v, i) => [v, i]));
  return z.string().transform((s, ctx) => index.get(s) ?? issue(ctx, "unknown_code"));
};
const probability = z.string().transform((s, ctx) => {
  const v = s === "" ? Number.NaN : Number(s);
  return Number.isFinite(v) && v >= 0 && v <= 1 ? v : issue(ctx, "invalid_value");
});

export const ROW_SCHEMAS = {
  personen: z.tuple([
    bsn,
    date,
    code(SEX_CODES, SEXES),
    code(ORIGIN_CODES, ORIGINS),
    z.string().transform((s, ctx) => {
      const m = POSTCODE_PATTERN.exec(s);
      return m ? Number(m[1]) : issue(ctx, "invalid_value");
    }),
  ]),
  huishoudens: z.tuple([
    bsn,
    code(HOUSEHOLD_CODES, HOUSEHOLDS),
    int(0, 15),
    z.string().transform((s, ctx): number | null => {
      if (s === "") return null;
      const v = INTEGER.test(s) ? Number(s) : Number.NaN;
      return v >= 1900 && v <= 2100 ? v : issue(ctx, "invalid_value");
    }),
  ]),
  opleiding: z.tuple([bsn, code(EDUCATION_CODES, EDUCATION_LEVELS), listCode(LANGUAGE_LEVELS)]),
  dienstverbanden: z.tuple([bsn, date, optionalDate, int(0, 80), listCode(SECTOR_CODES)]),
  uitkeringen: z.tuple([bsn, date, optionalDate, listCode(BENEFIT_CODES)]),
  medicatie: z.tuple([
    bsn,
    int(1900, 2100),
    z.string().transform((s, ctx) => (ATC_PATTERN.test(s) ? medicationBit(s) : issue(ctx, "unknown_code"))),
  ]),
  schulden: z.tuple([bsn, date, optionalDate, flag]),
  wmo: z.tuple([
    bsn,
    z.string().transform((s, ctx) => {
      const v = WMO_CODES[s];
      return v === undefined ? issue(ctx, "unknown_code") : WMO_PRIORITY[v];
    }),
    date,
    optionalDate,
  ]),
  trajecten: z.tuple([
    bsn,
    z.string().regex(/^[\w.-]{1,64}$/, { message: "invalid_value" }),
    code(INTERVENTION_CODES, INTERVENTIONS),
    date,
  ]),
  uitkomsten: z.tuple([
    bsn,
    z.string().regex(/^[\w.-]{1,64}$/, { message: "invalid_value" }),
    flag,
    int(0, 80),
    flag,
    flag,
    flag,
  ]),
  truth: z.tuple([bsn, probability, probability, probability, probability, probability, probability, probability, probability]),
} as const;
export type RowFile = keyof typeof ROW_SCHEMAS;

const KNOWN = new Set<string>(QUARANTINE_REASONS);

/** The quarantine reason and the offending column index of a failed parse. */
export function reasonOf(error: z.ZodError): { reason: QuarantineReason; column: number } {
  const first = error.issues[0];
  const column = typeof first?.path[0] === "number" ? first.path[0] : -1;
  const message = first?.message ?? "";
  return { reason: KNOWN.has(message) ? (message as QuarantineReason) : "invalid_value", column };
}
