import { z } from "zod";
import { profileSchemaFor } from "../../../model/config/catalogue";
import { type Catalogue, defaultCatalogue, type FeatureConfig, valueFits } from "../../../model/config/municipality";
import { ORIGINS, SEXES } from "../../../model/reintegration";
import type { Lang } from "../i18n";

/**
 * The intake form, in exactly the serving model's terms: one field per feature of the catalogue
 * (the active bundle's, the municipal configuration's before any model is active), named after
 * the feature; binary answers 1/0, categorical ones the table's value, an unknown answer empty
 * (allowed where the catalogue allows it). Checked for contradictions a person can make.
 */
export const REFERENCE_PATTERN = /^[A-Za-z0-9-]{4,40}$/;

/** Labels of the optional fairness-audit answers (kept apart from the profile, never a model input). */
export const CHOICE_LABELS: Record<string, Record<Lang, string>> = {
  man: { nl: "Man", en: "Man" },
  vrouw: { nl: "Vrouw", en: "Woman" },
  nederland: { nl: "Geen migratieachtergrond", en: "No migration background" },
  europa: { nl: "Migratieachtergrond: Europa", en: "Migration background: Europe" },
  buiten_europa: { nl: "Migratieachtergrond: buiten Europa", en: "Migration background: outside Europe" },
};

/** Optional fairness-audit fields: kept apart from the profile, never a model input. */
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .or(z.literal("").transform(() => undefined));

export const FAIRNESS_CHOICES = { fairnessSex: SEXES, fairnessOrigin: ORIGINS } as const;

/** The intake's zod schema for a catalogue, built at run time. */
export function intakeSchemaFor(catalogue: Catalogue) {
  return z
    .object({
      reference: z.string().trim().regex(REFERENCE_PATTERN),
      fairnessSex: optionalChoice(SEXES),
      fairnessOrigin: optionalChoice(ORIGINS),
    })
    .and(profileSchemaFor(catalogue))
    .superRefine((v, ctx) => refineProfile(v, ctx));
}

/** The intake of the default configuration (tests and the demo's own terms). */
export const IntakeSchema = intakeSchemaFor(defaultCatalogue());
export type Intake = z.infer<typeof IntakeSchema>;

/**
 * The features of the catalogue that a stored profile cannot answer: never asked (a client registered
 * under an earlier model), unknown where the catalogue needs an answer, or a value this catalogue does
 * not have. Asked again rather than invented.
 */
export function missingFacts(catalogue: Catalogue, profile: Record<string, string | number | null>): string[] {
  return catalogue.features
    .filter((f) => {
      const value = profile[f.name];
      if (value === undefined) return true;
      if (value === null) return !f.unknownAllowed;
      return !valueFits(f, value);
    })
    .map((f) => f.name);
}

/** The schema of answers to some of the catalogue's questions (completing a profile). */
export function answersSchemaFor(catalogue: Catalogue, names: readonly string[]) {
  const shape = profileSchemaFor(catalogue).shape;
  return z
    .object(Object.fromEntries(names.flatMap((n) => (shape[n] ? [[n, shape[n]]] : []))) as Record<string, z.ZodType<string | number | null>>)
    .superRefine((v, ctx) => refineProfile(v, ctx));
}

/** The profile part of a parsed intake: the catalogue's features only. */
export function profileOf(catalogue: Catalogue, parsed: Record<string, unknown>): Record<string, string | number | null> {
  return Object.fromEntries(catalogue.features.map((f) => [f.name, (parsed[f.name] ?? null) as string | number | null]));
}

/**
 * Contradictions within a profile that a person can make; the intake form and the JSON API both
 * refuse them. The issue's message is a key of MESSAGES (see `profileIssueText`).
 */
export function refineProfile(v: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (v.nooit_gewerkt === 1 && Number(v.maanden_gewerkt_5j) > 0) {
    ctx.addIssue({ code: "custom", path: ["maanden_gewerkt_5j"], message: "never_worked_conflict" });
  }
  if (v.jongste_kind_0_4 === 1 && v.aantal_kinderen === 0) {
    ctx.addIssue({ code: "custom", path: ["jongste_kind_0_4"], message: "no_children_conflict" });
  }
  if (Number(v.maanden_gewerkt_5j) > 60) ctx.addIssue({ code: "custom", path: ["maanden_gewerkt_5j"], message: "too_many_months" });
}

/**
 * Form data → the object the intake schema checks. An empty answer ("" — the "unknown" radio or
 * option, an empty number) is unknown where the catalogue allows it and refused elsewhere; a
 * question not answered at all is refused: nothing is invented, not even "unknown".
 */
export function readIntakeForm(form: FormData, catalogue: Catalogue = defaultCatalogue()): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") raw[key] = value.trim();
  for (const f of catalogue.features) {
    if (raw[f.name] !== undefined) continue;
    // A question with an explicit "unknown" choice (a radio group, a select) that was not answered at
    // all sends nothing: that is no answer, refused, never taken for "unknown".
    raw[f.name] = f.unknownAllowed && f.type !== "numeric" ? UNANSWERED : "";
  }
  // Months since work mean nothing for someone who never worked: the table's convention is 0.
  if (raw.nooit_gewerkt === "1" && raw.maanden_sinds_werk === "" && catalogue.features.some((f) => f.name === "maanden_sinds_werk")) {
    raw.maanden_sinds_werk = "0";
  }
  return raw;
}

/** What readIntakeForm puts for a question with an "unknown" choice that got no answer: no valid value. */
export const UNANSWERED = "(unanswered)";

const MESSAGES: Record<string, Record<Lang, string>> = {
  reference: {
    nl: "Vul het dossiernummer in: 4 tot 40 letters, cijfers of streepjes.",
    en: "Enter the case number: 4 to 40 letters, digits or hyphens.",
  },
  choice: { nl: "Kies een van de mogelijkheden.", en: "Choose one of the options." },
  yesNo: { nl: "Kies ja of nee.", en: "Choose yes or no." },
  yesNoUnknown: { nl: "Kies ja, nee of onbekend.", en: "Choose yes, no or unknown." },
  choiceOrUnknown: { nl: "Kies een van de mogelijkheden, of onbekend.", en: "Choose one of the options, or unknown." },
  number: { nl: "Vul een heel getal in van {min} tot en met {max}.", en: "Enter a whole number from {min} to {max}." },
  decimal: { nl: "Vul een getal in van {min} tot en met {max}.", en: "Enter a number from {min} to {max}." },
  anyNumber: { nl: "Vul een getal in.", en: "Enter a number." },
  never_worked_conflict: {
    nl: "Bij 'nooit betaald gewerkt' kunnen er geen gewerkte maanden zijn.",
    en: "With 'never had paid work' there can be no months worked.",
  },
  no_children_conflict: { nl: "Er zijn geen kinderen opgegeven.", en: "No children were entered." },
  too_many_months: { nl: "Vijf jaar heeft hoogstens 60 maanden.", en: "Five years have at most 60 months." },
  duplicate: { nl: "Er bestaat al een cliënt met dit dossiernummer.", en: "A client with this case number already exists." },
  code_unavailable: {
    nl: "Er kon geen cliëntcode worden toegekend. Sla het formulier opnieuw op.",
    en: "No client code could be assigned. Save the form again.",
  },
};

/** What a number field accepts, in words. */
function numberMessage(feature: FeatureConfig, lang: Lang): string {
  if (!feature.range) return MESSAGES.anyNumber![lang];
  const [min, max] = feature.range;
  return MESSAGES[feature.integer ? "number" : "decimal"]![lang].replace("{min}", String(min)).replace("{max}", String(max));
}

/** Dutch (or English) field errors from zod issues: what is wrong, per field. */
export function intakeErrors(issues: readonly z.core.$ZodIssue[], lang: Lang, catalogue: Catalogue = defaultCatalogue()): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    if (errors[field]) continue;
    const custom = issue.code === "custom" ? MESSAGES[issue.message] : undefined;
    const feature = catalogue.features.find((f) => f.name === field);
    if (custom) errors[field] = custom[lang];
    else if (field === "reference") errors[field] = MESSAGES.reference![lang];
    else if (feature?.type === "numeric") errors[field] = numberMessage(feature, lang);
    else if (feature?.type === "binary") errors[field] = MESSAGES[feature.unknownAllowed ? "yesNoUnknown" : "yesNo"]![lang];
    else errors[field] = MESSAGES[feature?.unknownAllowed ? "choiceOrUnknown" : "choice"]![lang];
  }
  return errors;
}

/** The text of one of refineProfile's issue keys, or undefined for another message. */
export const profileIssueText = (key: string, lang: Lang): string | undefined => MESSAGES[key]?.[lang];

export function duplicateReferenceError(lang: Lang) {
  return { reference: MESSAGES.duplicate![lang] };
}

/** No free display code was found (practically never): saving again is safe. */
export function codeUnavailableError(lang: Lang) {
  return { reference: MESSAGES.code_unavailable![lang] };
}
