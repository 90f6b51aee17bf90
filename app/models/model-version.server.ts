import { z } from "zod";
import { getDb } from "~/utils/db.server";
import { SHORT_CACHE_MS, shortCache } from "~/utils/short-cache.server";

/**
 * The model registry. A ModelVersion's id is the bundle's version. Lifecycle:
 *   candidate → active (promote, with a reason; the previous active becomes retired)
 *   active → retired and an earlier retired version with a passed disclosure check → active (roll back, with a reason)
 *   candidate → failed (its bundle no longer verifies)
 * Recommendations keep the version they were made with; nothing here rewrites them.
 */
export const MODEL_STATUSES = ["candidate", "active", "retired", "failed"] as const;
export const ModelStatusSchema = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof ModelStatusSchema>;
export const DISCLOSURE_STATUSES = ["unchecked", "passed", "failed"] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

const summarySelect = {
  id: true,
  status: true,
  dataHash: true,
  metricsJson: true,
  disclosureStatus: true,
  createdAt: true,
  activatedAt: true,
  retiredAt: true,
  createdById: true,
  trainingTable: true,
  activationReason: true,
} as const;

const activeCache = shortCache<{ id: string; dir: string; activatedAt: Date | null }>(SHORT_CACHE_MS);

/** The active model; asked on every recommendation, so remembered briefly (promote and roll back forget it). */
export async function getActiveModelVersion() {
  return activeCache.get("active", () =>
    getDb().modelVersion.findFirst({
      where: { status: "active" },
      select: { id: true, dir: true, activatedAt: true },
      orderBy: { activatedAt: "desc" },
    }),
  );
}

export async function listModelVersions() {
  return getDb().modelVersion.findMany({ select: { ...summarySelect, dir: true }, orderBy: { createdAt: "desc" } });
}

export async function getModelVersion({ id }: { id: string }) {
  return getDb().modelVersion.findUnique({ where: { id }, select: { ...summarySelect, dir: true } });
}

export async function createModelVersion(data: {
  id: string;
  dir: string;
  dataHash: string | null;
  metricsJson: string;
  disclosureStatus: DisclosureStatus;
  createdById: string | null;
  trainingTable?: string | null;
}) {
  return getDb().modelVersion.create({ data: { ...data, status: "candidate" }, select: { id: true } });
}

// --- PostgreSQL portability (issue 7.5) ------------------------------------------------------------
// SQLite runs one write transaction at a time; PostgreSQL's default (read committed) lets two promotions
// each retire the active model they saw and leave two active. Serializable isolation makes the later one
// fail with a write conflict (P2034); it is retried and then sees the first one's result.
type Tx = Parameters<Parameters<ReturnType<typeof getDb>["$transaction"]>[0]>[0];
async function serializable<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getDb().$transaction(fn, { isolationLevel: "Serializable" });
    } catch (error) {
      const conflict = typeof error === "object" && error !== null && "code" in error && error.code === "P2034";
      if (!conflict || attempt >= 5) throw error;
    } finally {
      // After the commit, so that no request in between re-remembers the old active model.
      activeCache.forget();
    }
  }
}
// -----------------------------------------------------------------------------------------------------

export type TransitionResult =
  | { ok: true; activated: string; retired: string | null }
  | { ok: false; reason: "not_found" | "not_candidate" | "no_previous" | "no_active" | "active_changed" };

/** Why and by whom a version is made active (stored on the version; the audit log has it too). */
export type Activation = { reason: string; userId: string | null };

/**
 * Promotes a candidate: it becomes active, the current active model becomes retired. One transaction.
 * `expectedActive` (the active model the candidate was compared with) must still be the active one.
 */
export async function promoteModelVersion({ id, activation, expectedActive }: { id: string; activation?: Activation; expectedActive?: string | null }): Promise<TransitionResult> {
  return serializable(async (tx) => {
    const target = await tx.modelVersion.findUnique({ where: { id }, select: { status: true } });
    if (!target) return { ok: false, reason: "not_found" };
    if (target.status !== "candidate") return { ok: false, reason: "not_candidate" };
    const now = new Date();
    const previous = await tx.modelVersion.findFirst({ where: { status: "active" }, select: { id: true } });
    if (expectedActive !== undefined && (previous?.id ?? null) !== expectedActive) return { ok: false, reason: "active_changed" };
    await tx.modelVersion.updateMany({ where: { status: "active" }, data: { status: "retired", retiredAt: now } });
    await tx.modelVersion.update({
      where: { id },
      data: { status: "active", activatedAt: now, activationReason: activation?.reason ?? null, activatedById: activation?.userId ?? null },
    });
    return { ok: true, activated: id, retired: previous?.id ?? null };
  });
}

/** The versions a roll-back may re-activate: retired ones that were active before, newest first (the registry also checks their bundle). */
export async function listRollbackTargets() {
  return getDb().modelVersion.findMany({
    where: { status: "retired", activatedAt: { not: null } },
    select: { id: true, retiredAt: true, activatedAt: true },
    orderBy: [{ retiredAt: "desc" }, { activatedAt: "desc" }],
  });
}

/** The version a plain roll-back would re-activate: the most recently retired one of listRollbackTargets. */
export async function getRollbackTarget() {
  return (await listRollbackTargets())[0] ?? null;
}

/**
 * Rolls back: the active model becomes retired and `targetId` (default: the most recently retired one) active
 * again. Only a version listRollbackTargets offers: retired and once active.
 */
export async function rollbackModelVersion({ targetId, activation }: { targetId?: string; activation?: Activation } = {}): Promise<TransitionResult> {
  return serializable(async (tx) => {
    const active = await tx.modelVersion.findFirst({ where: { status: "active" }, select: { id: true } });
    if (!active) return { ok: false, reason: "no_active" };
    const previous = await tx.modelVersion.findFirst({
      where: { status: "retired", activatedAt: { not: null }, ...(targetId ? { id: targetId } : {}) },
      select: { id: true },
      orderBy: [{ retiredAt: "desc" }, { activatedAt: "desc" }],
    });
    if (!previous) return { ok: false, reason: "no_previous" };
    const now = new Date();
    await tx.modelVersion.update({ where: { id: active.id }, data: { status: "retired", retiredAt: now } });
    await tx.modelVersion.update({
      where: { id: previous.id },
      data: { status: "active", activatedAt: now, activationReason: activation?.reason ?? null, activatedById: activation?.userId ?? null },
    });
    return { ok: true, activated: previous.id, retired: active.id };
  });
}

/** Marks a candidate whose bundle no longer verifies as failed (never an active model: that stays until replaced). */
export async function markModelVersionFailed({ id }: { id: string }): Promise<boolean> {
  const { count } = await getDb().modelVersion.updateMany({ where: { id, status: "candidate" }, data: { status: "failed" } });
  return count === 1;
}
