import { ClientProfileSchema, type ClientProfile } from "../../model/reintegration";
import type { ClientStatus } from "~/utils/client-status";
import { getDb } from "~/utils/db.server";


export type CaseloadQuery = {
  caseworkerId: string;
  /** Matches the display code, or the municipal reference through its pseudonym. */
  search?: { code: string; referenceHash: string };
  status?: ClientStatus;
  lastContactBefore?: Date;
  page: number;
  pageSize: number;
};

/** A case worker's own clients only: the owner is part of every query. */
export async function listCaseload(query: CaseloadQuery) {
  const where = {
    caseworkerId: query.caseworkerId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.lastContactBefore ? { lastContactAt: { lt: query.lastContactBefore } } : {}),
    ...(query.search
      ? { OR: [{ code: { contains: query.search.code.toUpperCase() } }, { referenceHash: query.search.referenceHash }] }
      : {}),
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
    select: { id: true, code: true, status: true, lastContactAt: true, profileJson: true, version: true },
  });
  if (!client) return null;
  const profile: ClientProfile = ClientProfileSchema.parse(JSON.parse(client.profileJson));
  return { id: client.id, code: client.code, status: client.status, lastContactAt: client.lastContactAt, version: client.version, profile };
}

/** Creates a client in a case worker's caseload; the reference is stored only as its keyed pseudonym. */
export async function createClient({
  caseworkerId,
  referenceHash,
  code,
  profile,
  fairness,
}: {
  caseworkerId: string;
  referenceHash: string;
  code: string;
  profile: ClientProfile;
  /** Optional, for fairness reporting only; never passed to the model. */
  fairness?: { sex?: string; origin?: string };
}) {
  const db = getDb();
  const existing = await db.client.findUnique({ where: { referenceHash }, select: { id: true } });
  if (existing) return { ok: false as const, reason: "duplicate" as const };
  const client = await db.client.create({
    data: {
      caseworkerId,
      referenceHash,
      code,
      profileJson: JSON.stringify(ClientProfileSchema.parse(profile)),
      fairnessSex: fairness?.sex ?? null,
      fairnessOrigin: fairness?.origin ?? null,
    },
    select: { id: true },
  });
  return { ok: true as const, id: client.id };
}
