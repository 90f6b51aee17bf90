import { getDb } from "~/utils/db.server";

/** Which entries: by person (actor id), by the objects of one client, by action code and by period [from, to). */
export type AuditFilter = { actorId?: string; objects?: string[]; action?: string; from?: Date; to?: Date };
export type AuditQuery = AuditFilter & { result?: string; page: number; pageSize: number };

function whereOf(query: AuditFilter & { result?: string }) {
  return {
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.objects ? { object: { in: query.objects } } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.result ? { result: query.result } : {}),
    ...(query.from || query.to ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
  };
}

const EVENT_FIELDS = { id: true, at: true, actorId: true, action: true, object: true, result: true, origin: true, reason: true } as const;

/** Read-only view of the audit log for managers; there is no update or delete path anywhere. */
export async function listAuditEvents(query: AuditQuery) {
  const where = whereOf(query);
  const db = getDb();
  const [total, events, actions] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, select: EVENT_FIELDS, orderBy: { id: "desc" }, skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
    db.auditEvent.findMany({ select: { action: true }, distinct: ["action"], orderBy: { action: "asc" } }),
  ]);
  return { total, events, actions: actions.map((a) => a.action) };
}

/** The filtered entries for an export, newest first, at most `limit` of them. */
export async function listAuditEventsForExport(query: AuditFilter & { limit: number }) {
  return getDb().auditEvent.findMany({ where: whereOf(query), select: EVENT_FIELDS, orderBy: { id: "desc" }, take: query.limit });
}

/**
 * The audit objects that concern one client, found by its display code: the client itself and its
 * recommendations, decisions and outcomes. Null when no client has this code.
 */
export async function getClientAuditObjects(code: string): Promise<string[] | null> {
  const db = getDb();
  const client = await db.client.findUnique({
    where: { code },
    select: { id: true, recommendations: { select: { id: true } }, decisions: { select: { id: true } }, outcomes: { select: { id: true } } },
  });
  if (!client) return null;
  return [
    `client:${client.id}`,
    ...client.recommendations.map((r) => `recommendation:${r.id}`),
    ...client.decisions.map((d) => `decision:${d.id}`),
    ...client.outcomes.map((o) => `outcome:${o.id}`),
  ];
}

/**
 * Names and roles of the people, and the client codes of the objects, that a page of entries mentions:
 * the log itself stores only ids.
 */
export async function describeAuditSubjects({ actorIds, objects }: { actorIds: string[]; objects: string[] }) {
  const idsOf = (kind: string) => [...new Set(objects.filter((o) => o.startsWith(`${kind}:`)).map((o) => o.slice(kind.length + 1)))];
  const userIds = [...new Set([...actorIds, ...idsOf("user")])];
  const db = getDb();
  const [users, clients, recommendations, decisions, outcomes] = await Promise.all([
    db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, displayName: true, role: true } }),
    db.client.findMany({ where: { id: { in: idsOf("client") } }, select: { id: true, code: true } }),
    db.recommendation.findMany({ where: { id: { in: idsOf("recommendation") } }, select: { id: true, client: { select: { code: true } } } }),
    db.decision.findMany({ where: { id: { in: idsOf("decision") } }, select: { id: true, client: { select: { code: true } } } }),
    db.outcome.findMany({ where: { id: { in: idsOf("outcome") } }, select: { id: true, client: { select: { code: true } } } }),
  ]);
  const clientOf = new Map<string, string>([
    ...clients.map((c) => [`client:${c.id}`, c.code] as const),
    ...recommendations.map((r) => [`recommendation:${r.id}`, r.client.code] as const),
    ...decisions.map((d) => [`decision:${d.id}`, d.client.code] as const),
    ...outcomes.map((o) => [`outcome:${o.id}`, o.client.code] as const),
  ]);
  return { users: new Map(users.map((u) => [u.id, { name: u.displayName, role: u.role }])), clientOf };
}

/** Everyone who can appear as the person of an entry, for the filter (name order). */
export async function listAuditPeople() {
  return getDb().user.findMany({ select: { id: true, displayName: true, role: true }, orderBy: [{ displayName: "asc" }, { id: "asc" }] });
}

/** How often an actor had this action recorded since a moment (e.g. failed checks, for a limit). */
export async function countRecentAuditEvents({ actorId, action, since }: { actorId: string; action: string; since: Date }): Promise<number> {
  return getDb().auditEvent.count({ where: { actorId, action, at: { gte: since } } });
}

/**
 * The reason a case worker stated to open another case worker's client (the latest such entry since
 * `since`), or null: the stated reason is itself an audit entry, so the log is the one record of it.
 */
export async function getStatedAccessReason({ actorId, clientId, since }: { actorId: string; clientId: string; since: Date }): Promise<string | null> {
  const event = await getDb().auditEvent.findFirst({
    where: { actorId, action: "client.break_glass", object: `client:${clientId}`, result: "ok", at: { gte: since } },
    select: { reason: true },
    orderBy: { id: "desc" },
  });
  return event?.reason ?? null;
}

/** Appends one entry; entries are never changed or removed (the database refuses it too). */
export async function createAuditEvent(data: {
  actorId: string | null;
  action: string;
  object: string | null;
  result: string;
  origin: string;
  reason: string | null;
}): Promise<void> {
  await getDb().auditEvent.create({ data, select: { id: true } });
}
