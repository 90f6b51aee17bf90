import { z } from "zod";
import {
  AGE_BANDS,
  ClientProfileSchema,
  EDUCATION_LEVELS,
  HOUSEHOLDS,
  ORIGINS,
  REGIONS,
  SEXES,
  REINTEGRATION_FEATURES,
  WMO_SUPPORT,
} from "../../model/reintegration";
import type { Lang } from "./i18n";

/**
 * The intake form, in exactly the model's terms: the profile part is model/'s ClientProfileSchema,
 * read from form fields (checkbox absent = 0) and checked for contradictions a person can make.
 */
export const REFERENCE_PATTERN = /^[A-Za-z0-9-]{4,40}$/;

export const CHOICES = {
  leeftijdsklasse: AGE_BANDS,
  regio: REGIONS,
  huishouden: HOUSEHOLDS,
  opleiding: EDUCATION_LEVELS,
  wmo_ondersteuning: WMO_SUPPORT,
} as const;

export const CHOICE_LABELS: Record<string, Record<Lang, string>> = {
  "18-26": { nl: "18 tot en met 26 jaar", en: "18 to 26 years" },
  "27-34": { nl: "27 tot en met 34 jaar", en: "27 to 34 years" },
  "35-44": { nl: "35 tot en met 44 jaar", en: "35 to 44 years" },
  "45-54": { nl: "45 tot en met 54 jaar", en: "45 to 54 years" },
  "55+": { nl: "55 jaar of ouder", en: "55 or older" },
  man: { nl: "Man", en: "Man" },
  vrouw: { nl: "Vrouw", en: "Woman" },
  nederland: { nl: "Geen migratieachtergrond", en: "No migration background" },
  europa: { nl: "Migratieachtergrond: Europa", en: "Migration background: Europe" },
  buiten_europa: { nl: "Migratieachtergrond: buiten Europa", en: "Migration background: outside Europe" },
  noord: { nl: "Noord", en: "North" },
  oost: { nl: "Oost", en: "East" },
  west: { nl: "West", en: "West" },
  zuid: { nl: "Zuid", en: "South" },
  randstad: { nl: "Randstad", en: "Randstad" },
  alleenstaand: { nl: "Alleenstaand", en: "Single" },
  alleenstaande_ouder: { nl: "Alleenstaande ouder", en: "Single parent" },
  paar_zonder_kinderen: { nl: "Paar zonder kinderen", en: "Couple without children" },
  paar_met_kinderen: { nl: "Paar met kinderen", en: "Couple with children" },
  basis: { nl: "Basisonderwijs of geen", en: "Primary or none" },
  vmbo_mbo1: { nl: "Vmbo of mbo 1", en: "Pre-vocational or MBO level 1" },
  mbo2_4: { nl: "Mbo 2 tot en met 4", en: "MBO levels 2 to 4" },
  havo_vwo: { nl: "Havo of vwo", en: "Senior general secondary" },
  hbo_wo: { nl: "Hbo of wo", en: "Higher education" },
  geen: { nl: "Geen", en: "None" },
  huishoudelijke_hulp: { nl: "Huishoudelijke hulp", en: "Domestic help" },
  begeleiding: { nl: "Begeleiding", en: "Support and guidance" },
  hulpmiddelen: { nl: "Hulpmiddelen of woningaanpassing", en: "Aids or home adaptation" },
};

export const HELP_TEXT: Partial<Record<string, Record<Lang, string>>> = {
  taaleis_voldaan: {
    nl: "Aanvinken als de cliënt aan de taaleis van de Participatiewet voldoet (Nederlands op referentieniveau 1F).",
    en: "Tick when the client meets the Participation Act language requirement (Dutch at level 1F).",
  },
  maanden_sinds_werk: {
    nl: "Hele maanden sinds het einde van de laatste betaalde baan. Nooit gewerkt: vink dat hieronder aan, dit veld telt dan niet mee.",
    en: "Whole months since the last paid job ended. Never worked: tick that below; this field is then ignored.",
  },
  maanden_gewerkt_5j: { nl: "Aantal maanden met betaald werk in de laatste 5 jaar (0 tot en met 60).", en: "Months with paid work in the last 5 years (0 to 60)." },
  uitkeringsduur_maanden: { nl: "Hoe lang de huidige bijstandsuitkering al loopt, in maanden.", en: "How long the current benefit has run, in months." },
  eerdere_uitkeringen: { nl: "Aantal eerdere, afgesloten uitkeringsperiodes.", en: "Number of earlier, closed benefit spells." },
  problematische_schulden: {
    nl: "Schulden die de cliënt niet binnen afzienbare tijd zelf kan aflossen.",
    en: "Debts the client cannot repay within a reasonable time.",
  },
  med_antidepressiva: {
    nl: "Gezondheidsgegevens: alleen invullen als de cliënt dit zelf heeft gedeeld. Wordt alleen als grove groep gebruikt.",
    en: "Health data: only fill in when the client shared it. Used only as a coarse group.",
  },
};

/** Sensible defaults for a new client: the most common situation, never a guess about this person. */
export const PROFILE_DEFAULTS = {
  leeftijdsklasse: "35-44",
  regio: "randstad",
  huishouden: "alleenstaand",
  aantal_kinderen: 0,
  opleiding: "mbo2_4",
  maanden_sinds_werk: 12,
  maanden_gewerkt_5j: 12,
  uitkeringsduur_maanden: 6,
  eerdere_uitkeringen: 0,
  wmo_ondersteuning: "geen",
} as const;

export const BINARY_FIELDS = REINTEGRATION_FEATURES.filter((f) => f.type === "binary").map((f) => f.name);
export const NUMERIC_FIELDS = REINTEGRATION_FEATURES.filter((f) => f.type === "numeric").map((f) => f.name);

/** Optional fairness-audit fields: kept apart from the profile, never a model input. */
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .or(z.literal("").transform(() => undefined));

export const FAIRNESS_CHOICES = { fairnessSex: SEXES, fairnessOrigin: ORIGINS } as const;

export const IntakeSchema = z
  .object({
    reference: z.string().trim().regex(REFERENCE_PATTERN),
    fairnessSex: optionalChoice(SEXES),
    fairnessOrigin: optionalChoice(ORIGINS),
  })
  .and(ClientProfileSchema)
  .superRefine((v, ctx) => refineProfile(v, ctx));
export type Intake = z.infer<typeof IntakeSchema>;

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

/** Form data → the object IntakeSchema checks: an unticked checkbox is simply absent, so 0. */
export function readIntakeForm(form: FormData): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") raw[key] = value;
  for (const name of BINARY_FIELDS) raw[name] = raw[name] === "1" ? 1 : 0;
  for (const name of NUMERIC_FIELDS) if (raw[name] === "") delete raw[name];
  // The model's months-since-work is meaningless for someone who never worked; fix it to the table's convention.
  if (raw.nooit_gewerkt === 1) raw.maanden_sinds_werk = raw.maanden_sinds_werk ?? "0";
  return raw;
}

const MESSAGES: Record<string, Record<Lang, string>> = {
  reference: {
    nl: "Vul het dossiernummer in: 4 tot 40 letters, cijfers of streepjes.",
    en: "Enter the case number: 4 to 40 letters, digits or hyphens.",
  },
  choice: { nl: "Kies een van de mogelijkheden.", en: "Choose one of the options." },
  number: { nl: "Vul een heel getal in van 0 tot en met {max}.", en: "Enter a whole number from 0 to {max}." },
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

const MAXIMA: Record<string, number> = {
  aantal_kinderen: 15,
  maanden_sinds_werk: 600,
  maanden_gewerkt_5j: 60,
  uitkeringsduur_maanden: 600,
  eerdere_uitkeringen: 50,
};

/** Dutch (or English) field errors from zod issues: what is wrong, per field. */
export function intakeErrors(issues: readonly z.core.$ZodIssue[], lang: Lang): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    if (errors[field]) continue;
    const custom = issue.code === "custom" ? MESSAGES[issue.message] : undefined;
    if (custom) errors[field] = custom[lang];
    else if (field === "reference") errors[field] = MESSAGES.reference![lang];
    else if (field in MAXIMA) errors[field] = MESSAGES.number![lang].replace("{max}", String(MAXIMA[field]));
    else errors[field] = MESSAGES.choice![lang];
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
