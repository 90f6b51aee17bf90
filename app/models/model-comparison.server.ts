import { z } from "zod";
import type { ModelComparison, Verdict } from "../../model/evaluate/compare";
import { getDb } from "~/utils/db.server";

/**
 * Head-to-head comparisons of a candidate with the active model on a held-out table
 * (app/utils/registry/comparison.server.ts runs them in a worker process). Status:
 *   running → done (with a verdict) | failed (with a plain reason)
 * A comparison has passed when it is done and its verdict is not "worse"; promotion asks for a
 * passed comparison of the candidate against the model that is active at that moment.
 */
export const COMPARISON_STATUSES = ["running", "done", "failed"] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

export const ComparisonProgressSchema = z.object({
  phase: z.enum(["starting", "reading", "predicting", "bootstrap", "done"]).optional(),
  step: z.number().int().min(0).optional(),
  steps: z.number().int().min(1).optional(),
});
export type ComparisonProgress = z.infer<typeof ComparisonProgressSchema>;

const select = {
  id: true,
  candidateId: true,
  activeId: true,
  tableName: true,
  status: true,
  verdict: true,
  progressJson: true,
  resultJson: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} as const;

export async function createComparison(data: { candidateId: string; activeId: string; tableName: string; tableHash: string | null; createdById: string }) {
  return getDb().modelComparison.create({ data: { ...data, status: "running" }, select: { id: true } });
}

export async function getComparison({ id, candidateId }: { id: string; candidateId: string }) {
  return getDb().modelComparison.findFirst({ where: { id, candidateId }, select });
}

/** The newest comparison of a candidate (any status). */
export async function getLatestComparison({ candidateId }: { candidateId: string }) {
  return getDb().modelComparison.findFirst({ where: { candidateId }, select, orderBy: { createdAt: "desc" } });
}

/** A comparison that lets the candidate be promoted while `activeId` is active: done and not worse. */
export async function getPassedComparison({ candidateId, activeId }: { candidateId: string; activeId: string }) {
  return getDb().modelComparison.findFirst({
    where: { candidateId, activeId, status: "done", verdict: { in: ["better", "indistinguishable"] } },
    select,
    orderBy: { createdAt: "desc" },
  });
}

/** Another comparison of this candidate still running (one at a time per candidate). */
export async function getRunningComparison({ candidateId }: { candidateId: string }) {
  return getDb().modelComparison.findFirst({ where: { candidateId, status: "running" }, select: { id: true } });
}

export async function updateComparisonProgress({ id, progress }: { id: string; progress: ComparisonProgress }) {
  await getDb().modelComparison.updateMany({ where: { id, status: "running" }, data: { progressJson: JSON.stringify(progress) } });
}

export async function finishComparison({ id, result }: { id: string; result: ModelComparison }) {
  await getDb().modelComparison.updateMany({
    where: { id, status: "running" },
    data: { status: "done", verdict: result.verdict satisfies Verdict, resultJson: JSON.stringify(result), finishedAt: new Date(), progressJson: JSON.stringify({ phase: "done" }) },
  });
}

export async function failComparison({ id, error }: { id: string; error: string }) {
  await getDb().modelComparison.updateMany({ where: { id, status: "running" }, data: { status: "failed", error: error.slice(0, 300), finishedAt: new Date() } });
}

/** Comparisons left running by a stopped server (their worker is gone) are marked failed. */
export async function failStaleComparisons({ olderThan }: { olderThan: Date }) {
  await getDb().modelComparison.updateMany({
    where: { status: "running", createdAt: { lt: olderThan } },
    data: { status: "failed", error: "server restarted", finishedAt: new Date() },
  });
}

export function parseComparisonProgress(json: string): ComparisonProgress {
  try {
    const parsed = ComparisonProgressSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
