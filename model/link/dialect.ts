import { parseIsoDate } from "./derive.js";

/**
 * Value formats that differ between municipal exports: how dates are written and whether
 * decimals use a comma. Each file is read in one format, detected from a sample of its rows
 * (or set by the delivery profile); a value in another format is an invalid value of that file,
 * so a stray `05-03-2021` in an ISO file is still quarantined, as before.
 */
export const DATE_FORMATS = ["yyyy-mm-dd", "yyyymmdd", "dd-mm-yyyy", "d-m-yyyy"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export type DecimalSeparator = "." | ",";

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_FIRST = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;
const pad = (s: string): string => (s.length === 1 ? `0${s}` : s);

/**
 * A date written in `format` as ISO `yyyy-mm-dd`, or null when it is not written that way.
 * `dd-mm-yyyy` and `d-m-yyyy` read alike (day and month of one or two digits): exports mix them
 * within a column. Whether the date exists is checked later, by the row schema.
 */
export function toIsoDate(value: string, format: DateFormat): string | null {
  if (format === "yyyy-mm-dd") return ISO.test(value) ? value : null;
  if (format === "yyyymmdd") {
    const m = COMPACT.exec(value);
    return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  }
  const m = DAY_FIRST.exec(value);
  return m ? `${m[3]}-${pad(m[2] as string)}-${pad(m[1] as string)}` : null;
}

/**
 * The format most sample dates are valid in. ISO wins ties (our own layout), and so does an
 * empty sample. Day-first dates are `d-m-yyyy` when any of them leaves out a leading zero.
 */
export function detectDateFormat(values: readonly string[]): DateFormat {
  const valid = (format: DateFormat) =>
    values.filter((v) => {
      const iso = toIsoDate(v, format);
      return iso !== null && parseIsoDate(iso) !== null;
    });
  const iso = valid("yyyy-mm-dd").length;
  const compact = valid("yyyymmdd").length;
  const dayFirst = valid("d-m-yyyy");
  if (iso >= compact && iso >= dayFirst.length) return "yyyy-mm-dd";
  if (compact >= dayFirst.length) return "yyyymmdd";
  return dayFirst.some((v) => !/^\d\d-\d\d-/.test(v)) ? "d-m-yyyy" : "dd-mm-yyyy";
}

const COMMA_DECIMAL = /^-?\d+,\d+$/;
const POINT_DECIMAL = /^-?\d+\.\d+$/;

/** `,` when more sample values of the decimal columns are written with a comma than with a point. */
export function detectDecimalSeparator(values: readonly string[]): DecimalSeparator {
  let comma = 0;
  let point = 0;
  for (const v of values) {
    if (COMMA_DECIMAL.test(v)) comma += 1;
    else if (POINT_DECIMAL.test(v)) point += 1;
  }
  return comma > point ? "," : ".";
}

/** A decimal written with a comma, with a point (other values are left to the row schema). */
export function toPointDecimal(value: string): string {
  return COMMA_DECIMAL.test(value) ? value.replace(",", ".") : value;
}
