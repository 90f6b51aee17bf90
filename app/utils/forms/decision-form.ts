import { z } from "zod";
import { INTERVENTIONS } from "../../../model/catalogue";
import type { Lang } from "../i18n";

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

export const OutcomeFormSchema = z
  .object({
    intent: z.literal("outcome"),
    version: z.coerce.number().int().min(0),
    work: z.enum(["yes", "no"]),
    workStart: z.string().optional(),
    hoursPerWeek: z.string().optional(),
    leftBenefits: z.enum(["yes", "no"]),
    wmoAfter: z.enum(["yes", "no"]),
    debtsAfter: z.enum(["yes", "no"]),
  })
  .transform((v, ctx) => {
    let workStart: Date | null = null;
    let hoursPerWeek: number | null = null;
    if (v.work === "yes") {
      const date = /^\d{4}-\d{2}-\d{2}$/.test(v.workStart ?? "") ? new Date(`${v.workStart}T00:00:00Z`) : null;
      if (!date || Number.isNaN(date.getTime())) ctx.addIssue({ code: "custom", path: ["workStart"], message: "date_required" });
      else workStart = date;
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

const MESSAGES: Record<string, Record<Lang, string>> = {
  reason_required: { nl: "Kies waarom u afwijkt van het advies.", en: "Choose why you deviate from the advice." },
  reason_text_required: { nl: "Licht de afwijking kort toe (minstens 5 tekens).", en: "Explain the deviation briefly (at least 5 characters)." },
  date_required: { nl: "Vul de startdatum in (jjjj-mm-dd).", en: "Enter the start date (yyyy-mm-dd)." },
  hours_range: { nl: "Vul het aantal uren per week in: 1 tot en met 60.", en: "Enter hours per week: 1 to 60." },
  choice: { nl: "Maak een keuze.", en: "Make a choice." },
  foreign_recommendation: { nl: "Het getoonde advies hoort niet bij deze cliënt.", en: "The advice shown does not belong to this client." },
  what_if_recommendation: {
    nl: "Een besluit hoort bij het advies voor het eigen profiel van de cliënt, niet bij een wat-als-advies. Zet de wat-als-opties uit en probeer het opnieuw.",
    en: "A decision belongs to the advice for the client's own profile, not to a what-if advice. Turn the what-if options off and try again.",
  },
  no_decision: { nl: "Leg eerst een besluit vast.", en: "Record a decision first." },
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
    errors[field] = (issue.code === "custom" ? MESSAGES[issue.message] : undefined)?.[lang] ?? MESSAGES.choice![lang];
  }
  return errors;
}

export const conflictError = (lang: Lang) => ({ form: MESSAGES.conflict![lang] });

export const reasonRequiredError = (lang: Lang) => ({ reasonCode: MESSAGES.reason_required![lang] });

/** A form-level message by key (not tied to one field). */
export const formMessage = (key: "foreign_recommendation" | "what_if_recommendation" | "no_decision" | "unknown_intent", lang: Lang) => ({ form: MESSAGES[key]![lang] });
