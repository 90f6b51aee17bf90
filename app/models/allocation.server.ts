import { RecommendationResultSchema } from "../../model/recommendation";
import { getDb } from "~/utils/db.server";
import { OWN_PROFILE_VARIANTS } from "./recommendation.server";

/**
 * Data for capacity-aware allocation: the places a manager set per trajectory for a period, and the
 * clients waiting for a trajectory (advice for their own profile, no decision yet, not closed).
 */

/** The places set for a period that covers `at`, per trajectory (the most recently set one wins). */
export async function getCurrentCapacities({ at }: { at: Date }) {
  const rows = await getDb().trajectoryCapacity.findMany({
    where: { startsOn: { lte: at }, endsOn: { gte: at } },
    select: { arm: true, places: true, startsOn: true, endsOn: true, createdAt: true },
    orderBy: { createdAt: "desc" },
  });
  const byArm = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!byArm.has(row.arm)) byArm.set(row.arm, row);
  return byArm;
}

export async function createCapacity(data: { arm: string; places: number; startsOn: Date; endsOn: Date; createdById: string }) {
  return getDb().trajectoryCapacity.create({ data, select: { id: true } });
}

/**
 * The waiting clients with their latest advice for their own profile, longest waiting first (the order
 * first-come-first-served follows: the time of their first advice). Only the advice is read, never the
 * profile; advice that no longer parses is left out.
 */
export async function listWaitingClients() {
  const clients = await getDb().client.findMany({
    where: {
      status: { not: "closed" },
      decisions: { none: {} },
      recommendations: { some: { variant: { in: [...OWN_PROFILE_VARIANTS] } } },
    },
    select: {
      id: true,
      recommendations: {
        where: { variant: { in: [...OWN_PROFILE_VARIANTS] } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true, resultJson: true },
      },
    },
  });
  const waiting = clients.flatMap((c) => {
    const first = c.recommendations[0];
    const latest = c.recommendations[c.recommendations.length - 1];
    if (!first || !latest) return [];
    try {
      const advice = RecommendationResultSchema.safeParse(JSON.parse(latest.resultJson));
      return advice.success ? [{ id: c.id, since: first.createdAt, advice: advice.data }] : [];
    } catch {
      return [];
    }
  });
  return waiting.sort((a, b) => a.since.getTime() - b.since.getTime() || a.id.localeCompare(b.id));
}
