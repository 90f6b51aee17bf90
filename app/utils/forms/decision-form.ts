import { z } from "zod";
import { INTERVENTIONS } from "../../../model/catalogue";
import { formatDate, type Lang } from "../i18n";

export const DEVIATION_REASONS = ["client_preference", "not_available", "professional_judgement", "circumstances_changed", "other"] as const;

export const DEVIATION_LABELS: Record<(typeof DEVIATION_REASONS)[number], Record<Lang, string>> = {
  client_preference: { nl: "Voorkeur of motivatie van de cliënt", en: "Client's preference or motivation" },
  not_available: { nl: "Traject niet beschikbaar of wachtlijst", en: "Trajectory not available or waiting list" },
  professional_judgement: { nl: "Professionele inschatting wijkt af", en: "Professional judgement differs" },
  circumstances_changed: { nl: "Omstandigheden veranderd sinds de intake", en: "Circumstances changed since intake" },
  other: { nl: "Anders", en: "Other" },
};

/** The shortest explanation of a deviation the form and the JSON API accept (after trimming). */
export const REASON_TEXT_MIN = 5;

/**
 * A recorded choice among the serving catalogue's trajectories; a reason is required whenever it
 * differs from the top recommendation shown.
 */
export function decisionFormSchemaFor(arms: readonly string[]) {
  return z
  .object({
    intent: z.literal("decision"),
    version: z.coerce.number().int().min(0),
    recommendationId: z.string().min(1).max(64),
    topArm: z.string().max(64).optional(),
    chosenArm: z.enum(arms as [string, ...string[]]),
    reasonCode: z.enum(DEVIATION_REASONS).optional().or(z.literal("").transform(() => undefined)),
    reasonText: z.string().trim().max(1000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.topArm && v.chosenArm !== v.topArm) {
      if (!v.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "reason_required" });
      if (!v.reasonText || v.reasonText.length < REASON_TEXT_MIN) ctx.addIssue({ code: "custom", path: ["reasonText"], message: "reason_text_required" });
    }
  });
}

/** The decision form of the default catalogue. */
export const DecisionFormSchema = decisionFormSchemaFor(INTERVENTIONS);

/** A moment as the calendar day (yyyy-mm-dd) it is in the municipality's time zone. */
export function isoDay(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/Amsterdam" }).format(date);
}

/** What the yes/no questions of the outcome form accept: an answer, never a default. */
const YesNoAnswer = z.enum(["yes", "no"], { error: "yes_no" });

/**
 * The outcome form. Every yes/no question needs an explicit answer (none is pre-selected); a work
 * start date must lie between the decision (`decidedOn`, yyyy-mm-dd) and `today`, both inclusive.
 */
export function outcomeFormSchemaFor({ decidedOn, today }: { decidedOn: string | null; today: string }) {
  return z
    .object({
      intent: z.literal("outcome"),
      version: z.coerce.number().int().min(0),
      work: YesNoAnswer,
      workStart: z.string().optional(),
      hoursPerWeek: z.string().optional(),
      leftBenefits: YesNoAnswer,
      wmoAfter: YesNoAnswer,
      debtsAfter: YesNoAnswer,
    })
    .transform((v, ctx) => {
      let workStart: Date | null = null;
      let hoursPerWeek: number | null = null;
      if (v.work === "yes") {
        const text = v.workStart ?? "";
        const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : null;
        if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
          ctx.addIssue({ code: "custom", path: ["workStart"], message: "date_required" });
        } else if (decidedOn !== null && text < decidedOn) {
          ctx.addIssue({ code: "custom", path: ["workStart"], message: "date_before_decision", params: { day: decidedOn } });
        } else if (text > today) {
          ctx.addIssue({ code: "custom", path: ["workStart"], message: "date_in_future" });
        } else workStart = date;
        const hours = Number(v.hoursPerWeek);
        if (!Number.isInteger(hours) || hours < 1 || hours > 60) ctx.addIssue({ code: "custom", path: ["hoursPerWeek"], message: "hours_range" });
        else hoursPerWeek = hours;
      }
      return {
        version: v.version,
        work: v.work === "yes",
        workStart,
        hoursPerWeek,
        leftBenefits: v.leftBenefits === "yes",
        wmoAfter: v.wmoAfter === "yes",
        debtsAfter: v.debtsAfter === "yes",
      };
    });
}

const MESSAGES: Record<string, Record<Lang, string>> = {
  reason_required: { nl: "Kies waarom u afwijkt van het advies.", en: "Choose why you deviate from the advice." },
  reason_text_required: { nl: "Licht de afwijking kort toe (minstens 5 tekens).", en: "Explain the deviation briefly (at least 5 characters)." },
  date_required: { nl: "Vul de startdatum in (jjjj-mm-dd).", en: "Enter the start date (yyyy-mm-dd)." },
  date_before_decision: {
    nl: "De startdatum ligt vóór het besluit ({day}). Vul een datum in vanaf het besluit.",
    en: "The start date is before the decision ({day}). Enter a date from the decision on.",
  },
  date_in_future: { nl: "De startdatum ligt in de toekomst. Leg een uitkomst vast als het werk is begonnen.", en: "The start date is in the future. Record an outcome once the work has started." },
  hours_range: { nl: "Vul het aantal uren per week in: 1 tot en met 60.", en: "Enter hours per week: 1 to 60." },
  choice: { nl: "Maak een keuze.", en: "Make a choice." },
  yes_no: { nl: "Kies ja of nee.", en: "Choose yes or no." },
  foreign_recommendation: { nl: "Het getoonde advies hoort niet bij deze cliënt.", en: "The advice shown does not belong to this client." },
  what_if_recommendation: {
    nl: "Een besluit hoort bij het advies voor het eigen profiel van de cliënt, niet bij een wat-als-advies. Zet de wat-als-opties uit en probeer het opnieuw.",
    en: "A decision belongs to the advice for the client's own profile, not to a what-if advice. Turn the what-if options off and try again.",
  },
  no_decision: { nl: "Leg eerst een besluit vast.", en: "Record a decision first." },
  closed: { nl: "Dit dossier is afgesloten en kan niet meer worden gewijzigd.", en: "This file is closed and can no longer be changed." },
  unknown_intent: { nl: "Onbekende handeling.", en: "Unknown action." },
  conflict: {
    nl: "Iemand anders heeft deze cliënt intussen bijgewerkt. Bekijk de nieuwe gegevens en probeer het opnieuw.",
    en: "Someone else updated this client meanwhile. Review the new data and try again.",
  },
};

export function formErrors(issues: readonly z.core.$ZodIssue[], lang: Lang): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    if (errors[field]) continue;
    const custom = MESSAGES[issue.message]?.[lang];
    const params = issue.code === "custom" ? (issue.params as Record<string, string> | undefined) : undefined;
    // A day in a message is written the way the language writes dates.
    errors[field] = custom?.replace("{day}", params?.day ? formatDate(params.day, lang) : "") ?? MESSAGES.choice![lang];
  }
  return errors;
}

export const conflictError = (lang: Lang) => ({ form: MESSAGES.conflict![lang] });

export const reasonRequiredError = (lang: Lang) => ({ reasonCode: MESSAGES.reason_required![lang] });

/** A form-level message by key (not tied to one field). */
export const formMessage = (key: "foreign_recommendation" | "what_if_recommendation" | "no_decision" | "unknown_intent" | "closed", lang: Lang) => ({ form: MESSAGES[key]![lang] });
