import { z } from "zod";
import { type Lang, MESSAGES } from "./i18n";

/**
 * Every action code the audit log records, in plain words in both languages, with why such an entry
 * exists (the purpose NEN 7513 asks a log to state). One mapping: the audit page, its filter and the
 * CSV export all read it; test/unit/audit-actions.test.ts checks that every code written anywhere has
 * an entry here.
 */
type Texts = Record<Lang, string>;
type ActionText = { label: Texts; purpose: Texts };

const CARE: Texts = { nl: "Begeleiding van de cliënt naar werk", en: "Guiding the client towards work" };
const SECURITY: Texts = { nl: "Beveiliging: toegang tot Trajectwijzer", en: "Security: access to Trajectwijzer" };
const ACCOUNTS: Texts = { nl: "Beheer van gebruikers en toegang", en: "Managing users and access" };
const MODELS: Texts = { nl: "Beheer van de modellen", en: "Managing the models" };
const QUALITY: Texts = { nl: "Kwaliteitsbewaking (alleen totalen)", en: "Quality monitoring (totals only)" };
const PLANNING: Texts = { nl: "Verdeling van trajectplaatsen", en: "Allocating trajectory places" };
const PRIVACY: Texts = { nl: "Controle op gebruik (privacy)", en: "Checking use (privacy)" };

const a = (nl: string, en: string, purpose: Texts): ActionText => ({ label: { nl, en }, purpose });

export const AUDIT_ACTIONS: Record<string, ActionText> = {
  "client.view": a("Cliëntdossier ingezien", "Client file viewed", CARE),
  "client.access": a("Toegang tot cliëntdossier geweigerd", "Access to client file refused", SECURITY),
  "client.break_glass": a("Reden opgegeven voor inzage buiten eigen caseload", "Reason given to open a file outside own caseload", CARE),
  "client.create": a("Cliënt geregistreerd", "Client registered", CARE),
  "client.profile_complete": a("Ontbrekende gegevens van cliënt aangevuld", "Missing client facts completed", CARE),
  "recommendation.shown": a("Trajectadvies getoond", "Trajectory advice shown", CARE),
  "decision.record": a("Besluit over traject vastgelegd", "Trajectory decision recorded", CARE),
  "outcome.record": a("Uitkomst vastgelegd", "Outcome recorded", CARE),
  "api.recommendation": a("Advies opgevraagd via de API", "Advice requested through the API", CARE),
  "api.auth": a("API-toegang geweigerd", "API access refused", SECURITY),
  "authorization.refused": a("Toegang tot pagina geweigerd", "Access to page refused", SECURITY),
  login: a("Ingelogd", "Signed in", SECURITY),
  "login.failed": a("Inloggen mislukt", "Sign-in failed", SECURITY),
  "login.password_ok": a("Wachtwoord juist, tweede stap gevraagd", "Password correct, second step asked", SECURITY),
  "login.rate_limited": a("Inloggen geblokkeerd na te veel pogingen", "Sign-in blocked after too many attempts", SECURITY),
  logout: a("Uitgelogd", "Signed out", SECURITY),
  "totp.enabled": a("Tweede stap aangezet", "Second step turned on", SECURITY),
  "totp.disabled": a("Tweede stap uitgezet", "Second step turned off", SECURITY),
  "totp.failed": a("Code van tweede stap onjuist", "Second-step code wrong", SECURITY),
  "account.password_failed": a("Huidig wachtwoord onjuist bij wijzigen", "Current password wrong when changing it", SECURITY),
  "user.password_changed": a("Eigen wachtwoord gewijzigd", "Own password changed", SECURITY),
  "user.create": a("Gebruiker aangemaakt", "User created", ACCOUNTS),
  "user.activate": a("Gebruiker geactiveerd", "User activated", ACCOUNTS),
  "user.deactivate": a("Gebruiker gedeactiveerd", "User deactivated", ACCOUNTS),
  "user.password_reset": a("Wachtwoord van gebruiker opnieuw ingesteld", "User's password reset", ACCOUNTS),
  "user.team": a("Team van gebruiker gewijzigd", "User's team changed", ACCOUNTS),
  "api_token.create": a("API-sleutel aangemaakt", "API token created", ACCOUNTS),
  "api_token.revoke": a("API-sleutel ingetrokken", "API token revoked", ACCOUNTS),
  "model.import": a("Model geïmporteerd", "Model imported", MODELS),
  "model.compare": a("Modellen vergeleken", "Models compared", MODELS),
  "model.promote": a("Model in gebruik genomen", "Model put into use", MODELS),
  "model.rollback": a("Teruggezet naar eerder model", "Rolled back to an earlier model", MODELS),
  "model.train.start": a("Training gestart", "Training started", MODELS),
  "model.train.cancel": a("Training afgebroken", "Training cancelled", MODELS),
  "capacity.set": a("Aantal plaatsen van een traject vastgelegd", "Places of a trajectory set", PLANNING),
  "setting.keep_effects_measurable": a("Instelling 'effecten meetbaar houden' gewijzigd", "Setting 'keep effects measurable' changed", QUALITY),
  "dashboard.export": a("Kwaliteitstabel gedownload", "Quality table downloaded", QUALITY),
  "research.export": a("Getoonde adviezen met uitkomsten geëxporteerd (pseudoniem)", "Shown advice with outcomes exported (pseudonymised)", MODELS),
  "audit.export": a("Auditlog geëxporteerd", "Audit log exported", PRIVACY),
  "retention.purge": a("Verlopen gegevens verwijderd (bewaartermijn)", "Expired data removed (retention period)", PRIVACY),
};

/** Codes written with a variable last part, e.g. `user.role.manager`: the prefix names the action. */
const ROLE_CHANGE = "user.role.";
export const AUDIT_ACTION_PREFIXES = [ROLE_CHANGE] as const;

/** An action code in words; an unknown code (from an older version) is shown as it is. */
export function auditActionLabel(code: string, lang: Lang): string {
  const known = AUDIT_ACTIONS[code];
  if (known) return known.label[lang];
  if (code.startsWith(ROLE_CHANGE)) {
    const role = code.slice(ROLE_CHANGE.length);
    const name = (MESSAGES[lang].roleLabels as Record<string, string>)[role] ?? role;
    return lang === "nl" ? `Rol gewijzigd: ${name}` : `Role changed: ${name}`;
  }
  return code;
}

/** Why entries of this kind are kept (empty for an unknown code). */
export function auditActionPurpose(code: string, lang: Lang): string {
  return AUDIT_ACTIONS[code]?.purpose[lang] ?? (code.startsWith(ROLE_CHANGE) ? ACCOUNTS[lang] : "");
}

/** Whether a code has words (a test checks every code the app writes). */
export function isLabelledAuditAction(code: string): boolean {
  return code in AUDIT_ACTIONS || AUDIT_ACTION_PREFIXES.some((p) => code.startsWith(p) && code.length > p.length);
}

// ------------------------------------------------------------------ why a client's file was opened

/**
 * The reason recorded with every entry about a client's file (NEN 7513: why). A case worker's own
 * client is "caseload"; another case worker's client opens only after the case worker chose one of
 * the stated reasons ("break the glass"). "other" carries a short explanation: stored as
 * `other: <text>`. Entries that concern no client file have no reason.
 */
export const CASELOAD_REASON = "caseload";
export const STATED_REASONS = ["replacement", "handover", "complaint", "other"] as const;
export type StatedReason = (typeof STATED_REASONS)[number];

const REASONS: Record<typeof CASELOAD_REASON | StatedReason, Texts> = {
  caseload: { nl: "Eigen caseload", en: "Own caseload" },
  replacement: { nl: "Vervanging collega", en: "Standing in for a colleague" },
  handover: { nl: "Overdracht", en: "Handover" },
  complaint: { nl: "Klacht/bezwaar", en: "Complaint or objection" },
  other: { nl: "Anders", en: "Other" },
};

/** A stated reason's label (for the form's choices). */
export function statedReasonLabel(reason: StatedReason | typeof CASELOAD_REASON, lang: Lang): string {
  return REASONS[reason][lang];
}

/** The form a case worker fills in before opening another case worker's client. */
export const AccessReasonSchema = z
  .object({
    intent: z.literal("access"),
    reason: z.enum(STATED_REASONS),
    note: z.string().trim().max(200).default(""),
  })
  .refine((v) => v.reason !== "other" || v.note.length >= 5, { path: ["note"] });

/** The stored form of a stated reason. */
export function storedReason({ reason, note }: { reason: StatedReason; note: string }): string {
  return reason === "other" ? `other: ${note.replace(/\s+/g, " ").trim()}` : reason;
}

/** A stored reason in words; an unknown value (from an older version) is shown as it is, null as empty. */
export function auditReasonLabel(stored: string | null, lang: Lang): string {
  if (!stored) return "";
  if (stored in REASONS) return REASONS[stored as keyof typeof REASONS][lang];
  if (stored.startsWith("other: ")) return `${REASONS.other[lang]}: ${stored.slice("other: ".length)}`;
  return stored;
}
