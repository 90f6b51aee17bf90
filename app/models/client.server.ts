import { z } from "zod";
import type { Catalogue } from "../../model/config/municipality";
import { missingFacts } from "~/utils/forms/intake-form";
import type { ClientStatus } from "~/utils/forms/client-status";
import { getDb } from "~/utils/db.server";
import { constraintViolation } from "~/utils/db-errors.server";
import { displayCode } from "~/utils/pseudonym.server";
import { OWN_PROFILE_VARIANTS } from "./recommendation.server";


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
      select: {
        id: true,
        code: true,
        status: true,
        lastContactAt: true,
        // The current advice: the first trajectory of the latest advice for the client's own profile (not a what-if).
        recommendations: { where: { variant: { in: [...OWN_PROFILE_VARIANTS] } }, orderBy: { createdAt: "desc" }, take: 1, select: { topArm: true } },
        decisions: { orderBy: { version: "desc" }, take: 1, select: { chosenArm: true } },
      },
      orderBy: [{ lastContactAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return {
    total,
    clients: clients.map(({ recommendations, decisions, ...c }) => ({
      ...c,
      currentAdvice: recommendations[0]?.topArm ?? null,
      /** The trajectory of the latest decision; null while the decision is pending. */
      decidedArm: decisions[0]?.chosenArm ?? null,
    })),
  };
}

/**
 * A stored profile: facts by feature name, in the terms of the catalogue it was taken in (a number,
 * a category, or null for "unknown"). Which facts the serving model needs is checked where it is used:
 * a client registered under an earlier model may lack some.
 */
export const StoredProfileSchema = z.record(z.string().regex(/^[A-Za-z0-9_.+-]+$/), z.union([z.number(), z.string(), z.null()]));
export type StoredProfile = z.infer<typeof StoredProfileSchema>;

function readProfile(json: string): StoredProfile {
  const parsed = StoredProfileSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : {};
}

/** Null when the client does not exist or belongs to another case worker: the two are indistinguishable. */
export async function getClient({ id, caseworkerId }: { id: string; caseworkerId: string }) {
  const client = await getDb().client.findFirst({
    where: { id, caseworkerId },
    select: { id: true, code: true, status: true, lastContactAt: true, profileJson: true, version: true },
  });
  if (!client) return null;
  const profile = readProfile(client.profileJson);
  return { id: client.id, code: client.code, status: client.status, lastContactAt: client.lastContactAt, version: client.version, profile };
}

/**
 * Whose caseload a client is in, for opening another case worker's client with a stated reason;
 * null when no such client exists.
 */
export async function getClientOwner({ id }: { id: string }): Promise<{ caseworkerId: string } | null> {
  return getDb().client.findUnique({ where: { id }, select: { caseworkerId: true } });
}

/** The display code to try on the given attempt (0, 1, …); a fixed string is tried once. */
export type ClientCodeGenerator = (attempt: number) => string;
const MAX_CODE_ATTEMPTS = 5;

export type CreateClientResult = { ok: true; id: string; code: string } | { ok: false; reason: "duplicate" | "code_unavailable" };

/**
 * Creates a client in a case worker's caseload; the reference is stored only as its keyed pseudonym.
 * The same reference twice (also at the same moment) is `duplicate`; a display code that another client
 * already has is retried with the generator's next code, at most MAX_CODE_ATTEMPTS times.
 */
export async function createClient({
  caseworkerId,
  referenceHash,
  code,
  profile,
  fairness,
}: {
  caseworkerId: string;
  referenceHash: string;
  /** Default: codes derived from the pseudonym (displayCode). */
  code?: string | ClientCodeGenerator;
  profile: StoredProfile;
  /** Optional, for fairness reporting only; never passed to the model. */
  fairness?: { sex?: string; origin?: string };
}): Promise<CreateClientResult> {
  const db = getDb();
  const codeFor: ClientCodeGenerator = typeof code === "string" ? () => code : (code ?? ((attempt) => displayCode(referenceHash, attempt)));
  const attempts = typeof code === "string" ? 1 : MAX_CODE_ATTEMPTS;
  const profileJson = JSON.stringify(StoredProfileSchema.parse(profile));
  const isDuplicate = async () => (await db.client.findUnique({ where: { referenceHash }, select: { id: true } })) !== null;
  if (await isDuplicate()) return { ok: false, reason: "duplicate" };
  for (let attempt = 0; attempt < attempts; attempt++) {
    const candidate = codeFor(attempt);
    try {
      const client = await db.client.create({
        data: { caseworkerId, referenceHash, code: candidate, profileJson, fairnessSex: fairness?.sex ?? null, fairnessOrigin: fairness?.origin ?? null },
        select: { id: true, code: true },
      });
      return { ok: true, id: client.id, code: client.code };
    } catch (error) {
      if (constraintViolation(error) !== "unique") throw error;
      // Either the same reference was registered meanwhile, or the code is taken: then try the next one.
      if (await isDuplicate()) return { ok: false, reason: "duplicate" };
    }
  }
  return { ok: false, reason: "code_unavailable" };
}

/**
 * Adds answers to a client's profile (facts the serving model needs that were not asked before),
 * with the same optimistic concurrency as decisions: a stale version is refused, not merged.
 */
export async function completeClientProfile(options: { id: string; caseworkerId: string; version: number; answers: StoredProfile }) {
  const db = getDb();
  const client = await db.client.findFirst({ where: { id: options.id, caseworkerId: options.caseworkerId }, select: { profileJson: true } });
  if (!client) return { ok: false as const, reason: "not_found" as const };
  const profileJson = JSON.stringify({ ...readProfile(client.profileJson), ...StoredProfileSchema.parse(options.answers) });
  const { count } = await db.client.updateMany({
    where: { id: options.id, caseworkerId: options.caseworkerId, version: options.version },
    data: { profileJson, version: { increment: 1 } },
  });
  return count === 1 ? { ok: true as const } : { ok: false as const, reason: "stale" as const };
}

/** Open clients (not closed) whose stored profile lacks a fact this catalogue needs. */
export async function countClientsLackingFacts(catalogue: Catalogue): Promise<number> {
  const rows = await getDb().client.findMany({ where: { status: { not: "closed" } }, select: { profileJson: true } });
  return rows.filter((r) => missingFacts(catalogue, readProfile(r.profileJson)).length > 0).length;
}
