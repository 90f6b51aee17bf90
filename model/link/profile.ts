import { readFile } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { z } from "zod";
import { INTERVENTIONS } from "../catalogue.js";
import { SchemaError } from "../errors.js";
import { REINTEGRATION_FEATURES, SECONDARY_TRUTH_OUTCOMES, secondaryTruthColumn, truthColumn } from "../reintegration.js";
import { DATE_FORMATS, type DateFormat } from "./dialect.js";
import { codedColumnsFor, DELIVERY_FILES, EXTRA_FEATURE_FILES, TRUTH_FILE } from "./format.js";

/**
 * A delivery profile maps another municipality's export onto our delivery format: per file its
 * name, its column names and how it is written; per coded column, their codes to ours. Every key
 * is optional; what a profile leaves out is detected (format) or taken as ours (names, codes).
 * Contract: DESIGN.md, "Delivery profile".
 */

/**
 * Our columns per file for a catalogue's arms, the truth file included (`mu_<arm>`, then the optional
 * secondary outcomes' `mu_<outcome>_<arm>`; the generator's ground truth can be renamed too).
 */
export function profileFiles(arms: readonly string[]): Record<string, readonly string[]> {
  return { ...DELIVERY_FILES, [TRUTH_FILE]: ["bsn", ...arms.map(truthColumn), ...secondaryTruthColumns(arms)] };
}
/** The truth file's secondary columns (outcome by outcome, arm by arm): optional, an older truth file lacks them. */
export function secondaryTruthColumns(arms: readonly string[]): string[] {
  return SECONDARY_TRUTH_OUTCOMES.flatMap((o) => arms.map((arm) => secondaryTruthColumn(o, arm)));
}
/** Our columns per file for the default catalogue. */
export const PROFILE_FILES: Record<string, readonly string[]> = profileFiles(INTERVENTIONS);

const DUTCH_DATE_FORMATS = { "jjjj-mm-dd": "yyyy-mm-dd", jjjjmmdd: "yyyymmdd", "dd-mm-jjjj": "dd-mm-yyyy", "d-m-jjjj": "d-m-yyyy" } as const;
const DateFormatSchema = z
  .enum([...DATE_FORMATS, ...(Object.keys(DUTCH_DATE_FORMATS) as (keyof typeof DUTCH_DATE_FORMATS)[])], {
    error: `expected one of ${DATE_FORMATS.join(", ")} (jjjj for yyyy also reads)`,
  })
  .transform((f): DateFormat => (f in DUTCH_DATE_FORMATS ? DUTCH_DATE_FORMATS[f as keyof typeof DUTCH_DATE_FORMATS] : (f as DateFormat)));

const DelimiterSchema = z
  .enum([",", ";", "\t", "|", "tab"], { error: 'expected one of ",", ";", "\\t" (or "tab"), "|"' })
  .transform((d) => (d === "tab" ? "\t" : d));

const ENCODING_ALIASES: Record<string, "utf-8" | "windows-1252"> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
};
const EncodingSchema = z
  .string()
  .transform((e) => e.toLowerCase())
  .pipe(z.enum(Object.keys(ENCODING_ALIASES) as [string, ...string[]], { error: "expected utf-8 or windows-1252" }))
  .transform((e) => ENCODING_ALIASES[e] as "utf-8" | "windows-1252");

const PathSchema = z
  .string()
  .min(1, "a file name is required")
  .refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes(".."), "a file name inside the delivery folder is required");

const FileProfileSchema = z.strictObject({
  path: PathSchema.optional(),
  columns: z.record(z.string(), z.string().trim().min(1, "a column name is required")).optional(),
  delimiter: DelimiterSchema.optional(),
  encoding: EncodingSchema.optional(),
  dateFormat: DateFormatSchema.optional(),
});

/** Where a municipality's extra feature is: one of the files with one row per person, and its column there. */
const ExtraFeatureSchema = z.strictObject({
  file: z.enum(EXTRA_FEATURE_FILES, { error: `expected one of ${EXTRA_FEATURE_FILES.join(", ")} (files with one row per person)` }),
  column: z.string().trim().min(1, "a column name is required"),
});
const FEATURE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
/** Names an extra feature cannot take: the features link derives and the analysis table's other columns. */
const TAKEN_NAMES: ReadonlySet<string> = new Set([
  ...REINTEGRATION_FEATURES.map((f) => f.name),
  ...Object.values(DELIVERY_FILES).flat(),
  "pseudonym",
  "interventie",
]);

/**
 * The profile's schema for a catalogue's arms (the trajectory codes map onto them, the truth file's
 * columns are `mu_<arm>`); the default catalogue's when none are given.
 */
export function deliveryProfileSchema(arms: readonly string[] = INTERVENTIONS) {
  const files = profileFiles(arms);
  const coded = codedColumnsFor(arms);
  return z
    .strictObject({
      files: z.record(z.string(), FileProfileSchema).optional(),
      codes: z.record(z.string(), z.record(z.string(), z.string())).optional(),
      /** Features a municipality has beyond the ones link derives: where each is delivered. */
      features: z.record(z.string(), ExtraFeatureSchema).optional(),
    })
    .superRefine((profile, ctx) => {
      for (const [file, spec] of Object.entries(profile.files ?? {})) {
        const ours = files[file];
        if (!ours) {
          ctx.addIssue({ code: "custom", path: ["files", file], message: `not one of our files (${Object.keys(files).join(", ")})` });
          continue;
        }
        for (const column of Object.keys(spec.columns ?? {})) {
          if (!ours.includes(column)) {
            ctx.addIssue({ code: "custom", path: ["files", file, "columns", column], message: `not a column of ${file} (${ours.join(", ")})` });
          }
        }
      }
      const extras = profile.features ?? {};
      for (const name of Object.keys(extras)) {
        if (!FEATURE_NAME.test(name)) {
          ctx.addIssue({ code: "custom", path: ["features", name], message: "a feature name uses letters, digits, _ . + - only" });
        } else if (TAKEN_NAMES.has(name)) {
          ctx.addIssue({ code: "custom", path: ["features", name], message: `"${name}" is a feature or column link derives itself; give the extra feature another name` });
        }
      }
      for (const [column, codes] of Object.entries(profile.codes ?? {})) {
        // An extra feature's codes map onto the values its configuration declares (checked when linking).
        if (column in extras) continue;
        const targets = coded[column];
        if (!targets) {
          const names = [...Object.keys(coded), ...Object.keys(extras)];
          ctx.addIssue({ code: "custom", path: ["codes", column], message: `not a coded column (${names.join(", ")})` });
          continue;
        }
        for (const [theirs, ours] of Object.entries(codes)) {
          if (!(ours in targets)) {
            const examples = Object.keys(targets).slice(0, 12).join(", ");
            ctx.addIssue({ code: "custom", path: ["codes", column, theirs], message: `"${ours}" is not one of our codes (${examples}${Object.keys(targets).length > 12 ? ", …" : ""})` });
          }
        }
      }
    });
}
export const DeliveryProfileSchema = deliveryProfileSchema();
export type DeliveryProfile = z.infer<typeof DeliveryProfileSchema>;
export type FileProfile = z.infer<typeof FileProfileSchema>;

/** Where a zod issue is, as a profile author reads it: `files.personen.columns.bsn`. */
const where = (path: readonly PropertyKey[]): string => (path.length === 0 ? "(top level)" : path.map(String).join("."));

/** Validates a parsed profile (for a catalogue's arms; default: ours); throws one line naming the problem and where it is. */
export function parseDeliveryProfile(value: unknown, source = "profile", options: { arms?: readonly string[] } = {}): DeliveryProfile {
  const parsed = (options.arms ? deliveryProfileSchema(options.arms) : DeliveryProfileSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SchemaError(`${source}: ${where(issue?.path ?? [])}: ${issue?.message ?? "invalid"}`);
}

/** Reads and validates a delivery profile file (for a catalogue's arms; default: ours). */
export async function loadDeliveryProfile(path: string, options: { arms?: readonly string[] } = {}): Promise<DeliveryProfile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SchemaError(`${path}: cannot read the delivery profile (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new SchemaError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return parseDeliveryProfile(value, path, options);
}

/**
 * The value for each of their codes in one column (their code → the delivery code our row checks
 * expect; for an extra feature, the value as the profile gives it), or null without a mapping.
 */
export function codeMap(profile: DeliveryProfile | undefined, column: string, arms: readonly string[] = INTERVENTIONS): Map<string, string> | null {
  const codes = profile?.codes?.[column];
  if (!codes) return null;
  if (profile?.features?.[column]) return new Map(Object.entries(codes));
  const targets = codedColumnsFor(arms)[column];
  if (!targets) return null;
  return new Map(Object.entries(codes).map(([theirs, ours]) => [theirs, targets[ours] as string]));
}
