import { z } from "zod";
import { formatCsvRecord } from "../../model/csv";
import {
  type AuditFilter,
  createAuditEvent,
  describeAuditSubjects,
  getClientAuditObjects,
  listAuditEvents,
  listAuditEventsForExport,
} from "~/models/audit.server";
import { auditActionLabel, auditActionPurpose, auditReasonLabel } from "./audit-actions";
import { formatDateTime, type Lang, localDayStart, MESSAGES } from "./i18n";
import { requestOrigin } from "./request.server";

/**
 * The append-only audit log. Entries name actors and objects by id, never by personal data.
 * There is deliberately no update or delete function here.
 */
export type AuditEntry = {
  actorId: string | null;
  action: string;
  object?: string | null;
  result: "ok" | "denied" | "failed";
  request: Request;
  /** Why a client's file was opened (audit-actions.ts: "caseload" or a stated reason); only for entries about a client. */
  reason?: string | null;
};

export async function audit(entry: AuditEntry): Promise<void> {
  await createAuditEvent({
    actorId: entry.actorId,
    action: entry.action,
    object: entry.object ?? null,
    result: entry.result,
    origin: requestOrigin(entry.request),
    reason: entry.reason ?? null,
  });
}

// ------------------------------------------------------------------ reading the log (managers)

/** Who may read the audit log and export it. */
export const AUDIT_ROLES = ["manager", "admin"] as const;

/** A calendar day as the person chose it (yyyy-mm-dd), within the years the database stores. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T12:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d.getUTCFullYear() >= 1900 && d.getUTCFullYear() <= 2999;
  });

/** The audit page's filters (a GET form): a value that does not fit is ignored, never an error. */
export const AuditQuerySchema = z.object({
  person: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined),
  client: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,40}$/)
    .transform((v) => v.toUpperCase())
    .optional()
    .catch(undefined),
  action: z.string().regex(/^[a-z._]{1,64}$/).optional().catch(undefined),
  result: z.enum(["ok", "denied", "failed"]).optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export function parseAuditQuery(url: URL): AuditQuery {
  return AuditQuerySchema.parse(Object.fromEntries(url.searchParams));
}

/** The filters as a query string (for pagination and the export link); empty values left out. */
export function auditQueryString(query: AuditQuery, extra: Record<string, string> = {}): string {
  const { page: _, ...filters } = query;
  const params = new URLSearchParams(Object.entries({ ...filters, ...extra }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  return params.size > 0 ? `?${params.toString()}` : "";
}

/**
 * The database filter: periods are whole days in Dutch local time ("to" inclusive); a client code
 * becomes the objects of that client. `unknownClient` when no client has the code (nothing matches).
 */
async function filterOf(query: AuditQuery): Promise<{ filter: AuditFilter & { result?: string }; unknownClient: boolean }> {
  const objects = query.client ? await getClientAuditObjects(query.client) : undefined;
  // "to" is inclusive: up to the start of the next day.
  const dayAfter = query.to ? new Date(Date.parse(`${query.to}T12:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10) : undefined;
  const filter = {
    actorId: query.person,
    objects: objects === null ? [] : objects,
    action: query.action,
    result: query.result,
    from: query.from ? localDayStart(query.from) : undefined,
    to: dayAfter ? localDayStart(dayAfter) : undefined,
  };
  return { filter, unknownClient: objects === null };
}

export type AuditRow = {
  id: number;
  at: string;
  who: string;
  actorId: string | null;
  role: string;
  client: string;
  action: string;
  code: string;
  purpose: string;
  /** Why the client's file was opened, in words (empty for entries about no client file). */
  reason: string;
  result: string;
  object: string;
  origin: string;
};

type Event = Awaited<ReturnType<typeof listAuditEventsForExport>>[number];

/** Entries in words: the person's name and role, the client's code, the action and why, the local time. */
async function describeEvents(events: Event[], lang: Lang, sortable = false): Promise<AuditRow[]> {
  const t = MESSAGES[lang];
  const { users, clientOf } = await describeAuditSubjects({
    actorIds: events.flatMap((e) => (e.actorId ? [e.actorId] : [])),
    objects: events.flatMap((e) => (e.object ? [e.object] : [])),
  });
  const roleLabel = (role: string) => (t.roleLabels as Record<string, string>)[role] ?? role;
  return events.map((e) => {
    const actor = e.actorId ? users.get(e.actorId) : undefined;
    const client = e.object ? clientOf.get(e.object) : undefined;
    const objectUser = e.object?.startsWith("user:") ? users.get(e.object.slice("user:".length)) : undefined;
    return {
      id: e.id,
      at: formatDateTime(e.at, lang, { sortable }),
      who: actor?.name ?? (e.actorId ? t.auditUnknownPerson : t.auditSystem),
      actorId: e.actorId,
      role: actor ? roleLabel(actor.role) : "",
      client: client ?? "",
      action: auditActionLabel(e.action, lang),
      code: e.action,
      purpose: auditActionPurpose(e.action, lang),
      reason: auditReasonLabel(e.reason, lang),
      result: (t.auditResults as Record<string, string>)[e.result] ?? e.result,
      object: client ? "" : objectUser ? `${objectUser.name} (${roleLabel(objectUser.role)})` : (e.object ?? ""),
      origin: e.origin ?? "",
    };
  });
}

/** One page of the filtered log, in words. */
export async function getAuditPage(query: AuditQuery, lang: Lang, pageSize: number) {
  const { filter, unknownClient } = await filterOf(query);
  const { total, events, actions } = await listAuditEvents({ ...filter, page: query.page, pageSize });
  return { total, rows: await describeEvents(events, lang), actions, unknownClient };
}

/** At most this many entries per export: a privacy officer narrows the period for more. */
export const AUDIT_EXPORT_LIMIT = 50_000;

/**
 * The filtered log as CSV for a privacy officer (NEN 7513: who, in which role, looked at or did what
 * for which client, when and why): UTF-8 with a byte order mark, ';' between fields, CRLF, local times.
 */
export async function auditCsv(query: AuditQuery, lang: Lang): Promise<string> {
  const { filter } = await filterOf(query);
  const rows = await describeEvents(await listAuditEventsForExport({ ...filter, limit: AUDIT_EXPORT_LIMIT }), lang, true);
  const t = MESSAGES[lang];
  const header = [
    `${t.auditTime} (Europe/Amsterdam)`,
    t.auditActor,
    `${t.auditActor} (id)`,
    t.auditRole,
    t.auditClient,
    t.auditAction,
    `${t.auditAction} (code)`,
    t.auditPurpose,
    t.auditReason,
    t.auditResult,
    t.auditObject,
    t.auditOrigin,
  ];
  // A field starting with = + - @ is kept as text by spreadsheet programs (no formula injection).
  const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const lines = [header, ...rows.map((r) => [r.at, r.who, r.actorId ?? "", r.role, r.client, r.action, r.code, r.purpose, r.reason, r.result, r.object, r.origin].map(safe))];
  return `\uFEFF${lines.map((l) => formatCsvRecord(l, ";")).join("\r\n")}\r\n`;
}
