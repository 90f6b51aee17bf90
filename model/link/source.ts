import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { CsvDelimiter, CsvEncoding } from "../csv/index.js";
import { sniffCsv } from "../csv/detect.js";
import { parseCsvRecord } from "../csv/index.js";
import { matchColumns } from "./columns.js";
import { type DateFormat, type DecimalSeparator, detectDateFormat, detectDecimalSeparator, toIsoDate, toPointDecimal } from "./dialect.js";
import { DATE_COLUMNS } from "./format.js";
import { codeMap, type DeliveryProfile } from "./profile.js";

/**
 * The first step of linking one source file: find it, sniff how it is written, match its header
 * to our columns and build the row normaliser that turns its values into our format (ISO dates,
 * decimal points, our codes). The row schemas then see every delivery as if it were ours.
 */

/** How a file was read: recorded per file in the linkage report. */
export type SourceFormat = {
  /** The file's name inside the delivery folder. */
  path: string;
  encoding: CsvEncoding;
  bom: boolean;
  lineEnding: "crlf" | "lf";
  delimiter: CsvDelimiter;
  dateFormat: DateFormat;
  decimalSeparator: DecimalSeparator;
  /** Settings taken from the delivery profile; every other setting was detected. */
  fromProfile: ("delimiter" | "encoding" | "dateFormat")[];
};

export type SourcePlan = {
  format: SourceFormat;
  /** Per our column, its index in the delivery's header. */
  order: number[];
  /** True when the header is exactly our columns in our order (rows are used as read). */
  identity: boolean;
  /** Header columns we do not use (ignored, reported). */
  unknownColumns: string[];
  /** Our column → the delivery's name, where they differ. */
  renamed: Record<string, string>;
  /** Our columns whose codes the profile maps. */
  mappedCodes: string[];
  /** True when the sample was plain ASCII, so the file may still turn out to be Windows-1252 further on. */
  encodingFallback: boolean;
  /** Turns a row in our column order into our value formats; null when the file already is in them. */
  normalise: ((fields: readonly string[]) => string[]) | null;
};

/** A value that no row schema accepts: a date not written in the file's format must stay invalid. */
const NOT_A_DATE = "\u0000";
const SAMPLE_ROWS = 500;

/** The file of a delivery: the profile's name or `<file>.csv`, found case-insensitively; null when absent. */
export async function findSourceFile(options: { inDir: string; name: string }): Promise<{ path: string; name: string; size: number } | null> {
  const exact = join(options.inDir, options.name);
  const size = await stat(exact).then((s) => (s.isFile() ? s.size : null), () => null);
  if (size !== null) return { path: exact, name: options.name, size };
  // Exports from Windows systems often differ only in case (Personen.csv, TRAJECTEN.CSV).
  const wanted = options.name.toLowerCase();
  const entries = await readdir(options.inDir).catch(() => [] as string[]);
  const match = entries.find((e) => e.toLowerCase() === wanted);
  if (match === undefined) return null;
  const path = join(options.inDir, match);
  const found = await stat(path).then((s) => (s.isFile() ? s.size : null), () => null);
  return found === null ? null : { path, name: match, size: found };
}

/** Plans how to read one source file: its format, its columns and its value normaliser. */
export async function planSource(options: {
  path: string;
  name: string;
  file: string;
  columns: readonly string[];
  decimalColumns?: ReadonlySet<string>;
  /** Our columns the file may lack (read as empty). */
  optionalColumns?: ReadonlySet<string>;
  profile?: DeliveryProfile;
  /** The catalogue's arms, onto which the profile maps trajectory codes (default: ours). */
  arms?: readonly string[];
}): Promise<SourcePlan> {
  const { path, name, file, columns, profile, arms } = options;
  const spec = profile?.files?.[file];
  const sniffed = await sniffCsv(path, { encoding: spec?.encoding });
  const fromProfile: SourceFormat["fromProfile"] = [];
  const { encoding, lines } = sniffed;
  let { delimiter } = sniffed;
  if (spec?.encoding) fromProfile.push("encoding");
  if (spec?.delimiter) {
    fromProfile.push("delimiter");
    delimiter = spec.delimiter;
  }
  const [headerLine = "", ...rowLines] = lines;
  const header = parseCsvRecord(headerLine, delimiter) ?? [headerLine];
  // An extra feature's column is named by the profile's `features` (it has no name of ours in the file).
  const names = columns.map((c) => spec?.columns?.[c] ?? profile?.features?.[c]?.column ?? c);
  const { order, unknown } = matchColumns({ file: name, header, names, ours: columns, optional: options.optionalColumns });
  const identity = order.every((v, i) => v === i) && header.length === columns.length;

  // Sample values per column, in our column order, for the format detection.
  const sample = rowLines.slice(0, SAMPLE_ROWS).flatMap((line) => {
    const fields = parseCsvRecord(line, delimiter);
    return fields && fields.length === header.length ? [order.map((i) => (i < 0 ? "" : (fields[i] as string)))] : [];
  });
  const valuesOf = (pick: (column: string) => boolean): string[] =>
    columns.flatMap((c, j) => (pick(c) ? sample.map((r) => r[j] as string).filter((v) => v !== "") : []));
  let dateFormat: DateFormat;
  if (spec?.dateFormat) {
    fromProfile.push("dateFormat");
    dateFormat = spec.dateFormat;
  } else {
    dateFormat = detectDateFormat(valuesOf((c) => DATE_COLUMNS.has(c)));
  }
  const decimalColumns = options.decimalColumns ?? new Set<string>();
  const decimalSeparator = detectDecimalSeparator(valuesOf((c) => decimalColumns.has(c)));

  const steps: ((v: string) => string)[] = [];
  const at: number[] = [];
  columns.forEach((c, j) => {
    const codes = codeMap(profile, c, arms);
    if (DATE_COLUMNS.has(c) && dateFormat !== "yyyy-mm-dd") {
      steps.push((v) => (v === "" ? v : (toIsoDate(v, dateFormat) ?? NOT_A_DATE)));
      at.push(j);
    } else if (decimalColumns.has(c) && decimalSeparator === ",") {
      steps.push(toPointDecimal);
      at.push(j);
    } else if (codes) {
      steps.push((v) => codes.get(v) ?? v);
      at.push(j);
    }
  });
  const normalise =
    steps.length === 0
      ? null
      : (fields: readonly string[]): string[] => {
          const out = fields.slice();
          for (let s = 0; s < steps.length; s += 1) {
            const j = at[s] as number;
            out[j] = (steps[s] as (v: string) => string)(out[j] as string);
          }
          return out;
        };
  const renamed = Object.fromEntries(columns.flatMap((c, j) => (names[j] !== c ? [[c, names[j] as string]] : [])));
  return {
    format: { path: name, encoding, bom: sniffed.bom, lineEnding: sniffed.lineEnding, delimiter, dateFormat, decimalSeparator, fromProfile },
    order,
    identity,
    unknownColumns: unknown,
    renamed,
    mappedCodes: columns.filter((c) => codeMap(profile, c, arms) !== null),
    encodingFallback: sniffed.ascii && spec?.encoding === undefined,
    normalise,
  };
}

export type Source = { path: string; size: number; plan: SourcePlan };

/**
 * Finds every file of a delivery and plans how to read it. Every header is checked here, before
 * any work, so a wrong column fails in a second, not after the big files. Absent files are null;
 * an absent required file fails, naming the files a delivery needs.
 */
export async function locateSources<F extends string>(options: {
  inDir: string;
  files: readonly F[];
  required: readonly F[];
  columns: Record<F, readonly string[]>;
  decimalColumns: ReadonlySet<string>;
  optionalColumns?: ReadonlySet<string>;
  profile?: DeliveryProfile;
  arms?: readonly string[];
}): Promise<Record<F, Source | null>> {
  const { inDir, profile } = options;
  const nameOf = (f: F): string => profile?.files?.[f]?.path ?? `${f}.csv`;
  const found = {} as Record<F, { path: string; name: string; size: number } | null>;
  for (const f of options.files) found[f] = await findSourceFile({ inDir, name: nameOf(f) });
  for (const f of options.required) {
    if (found[f] === null) throw new Error(`${join(inDir, nameOf(f))} not found: a delivery needs ${options.required.map(nameOf).join(", ")}`);
  }
  for (const f of options.files) {
    // A file the profile names explicitly is expected: a typo there must not pass as an absent file.
    if (found[f] === null && profile?.files?.[f]?.path !== undefined) {
      throw new Error(`${join(inDir, nameOf(f))} not found (files.${f}.path of the delivery profile)`);
    }
  }
  const sources = {} as Record<F, Source | null>;
  for (const f of options.files) {
    const file = found[f];
    sources[f] =
      file === null
        ? null
        : {
            path: file.path,
            size: file.size,
            plan: await planSource({ path: file.path, name: file.name, file: f, columns: options.columns[f], decimalColumns: options.decimalColumns, optionalColumns: options.optionalColumns, profile, arms: options.arms }),
          };
  }
  return sources;
}
