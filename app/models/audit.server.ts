import { getDb } from "~/utils/db.server";

export type AuditQuery = { action?: string; result?: string; from?: Date; to?: Date; page: number; pageSize: number };

/** Read-only view of the audit log for managers; there is no update or delete path anywhere. */
export async function listAuditEvents(query: AuditQuery) {
  const where = {
    ...(query.action ? { action: query.action } : {}),
    ...(query.result ? { result: query.result } : {}),
    ...(query.from || query.to ? { at: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } } : {}),
  };
  const db = getDb();
  const [total, events, actions] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      select: { id: true, at: true, actorId: true, action: true, object: true, result: true, origin: true },
      orderBy: { id: "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.auditEvent.findMany({ select: { action: true }, distinct: ["action"], orderBy: { action: "asc" } }),
  ]);
  return { total, events, actions: actions.map((a) => a.action) };
}

/** How often an actor had this action recorded since a moment (e.g. failed checks, for a limit). */
export async function countRecentAuditEvents({ actorId, action, since }: { actorId: string; action: string; since: Date }): Promise<number> {
  return getDb().auditEvent.count({ where: { actorId, action, at: { gte: since } } });
}

/** Appends one entry; entries are never changed or removed (the database refuses it too). */
export async function createAuditEvent(data: { actorId: string | null; action: string; object: string | null; result: string; origin: string }): Promise<void> {
  await getDb().auditEvent.create({ data, select: { id: true } });
}
