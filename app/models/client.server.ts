import { ClientProfileSchema, type ClientProfile } from "../../model/reintegration";
import { getDb } from "~/utils/db.server";

export const CLIENT_STATUSES = ["intake", "active", "closed"] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export type CaseloadQuery = { caseworkerId: string; search?: string; status?: ClientStatus; page: number; pageSize: number };

/** A case worker's own clients only: the owner is part of every query. */
export async function listCaseload(query: CaseloadQuery) {
  const where = {
    caseworkerId: query.caseworkerId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.search ? { code: { contains: query.search.toUpperCase() } } : {}),
  };
  const db = getDb();
  const [total, clients] = await Promise.all([
    db.client.count({ where }),
    db.client.findMany({
      where,
      select: { id: true, code: true, status: true, lastContactAt: true },
      orderBy: [{ lastContactAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { total, clients };
}

/** Null when the client does not exist or belongs to another case worker: the two are indistinguishable. */
export async function getClient({ id, caseworkerId }: { id: string; caseworkerId: string }) {
  const client = await getDb().client.findFirst({
    where: { id, caseworkerId },
    select: { id: true, code: true, status: true, lastContactAt: true, profileJson: true },
  });
  if (!client) return null;
  const profile: ClientProfile = ClientProfileSchema.parse(JSON.parse(client.profileJson));
  return { id: client.id, code: client.code, status: client.status, lastContactAt: client.lastContactAt, profile };
}
