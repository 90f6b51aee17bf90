import { getDb } from "~/utils/db.server";

/**
 * The only Prisma caller for the managers' quality aggregates. Returns, per client, the latest
 * version of its decision (with the recommendation that was shown) and the latest version of the
 * outcome of that decision. Record-level rows never leave the server: app/utils/quality/quality.server.ts
 * turns them into suppressed aggregates.
 */
export type QualityQuery = {
  /** Decisions made on or after this moment. */
  from?: Date;
  /** Decisions made before this moment. */
  to?: Date;
  /** Team of the deciding case worker. */
  team?: string;
};

export async function listQualityRows(query: QualityQuery) {
  const db = getDb();
  const decisions = await db.decision.findMany({
    where: query.team ? { decidedBy: { team: query.team } } : {},
    select: {
      id: true,
      clientId: true,
      version: true,
      chosenArm: true,
      followedAdvice: true,
      reasonCode: true,
      createdAt: true,
      decidedBy: { select: { team: true } },
      recommendation: { select: { topArm: true, resultJson: true, modelVersion: true } },
      client: { select: { profileJson: true, fairnessSex: true, fairnessOrigin: true } },
    },
  });
  // Latest version per client only; the date filter applies to that latest decision.
  const latest = new Map<string, (typeof decisions)[number]>();
  for (const d of decisions) {
    const seen = latest.get(d.clientId);
    if (!seen || d.version > seen.version) latest.set(d.clientId, d);
  }
  const inRange = [...latest.values()].filter(
    (d) => (!query.from || d.createdAt >= query.from) && (!query.to || d.createdAt < query.to),
  );
  const outcomes = await db.outcome.findMany({
    where: { decisionId: { in: inRange.map((d) => d.id) } },
    select: { clientId: true, decisionId: true, version: true, work: true },
  });
  const latestOutcome = new Map<string, (typeof outcomes)[number]>();
  for (const o of outcomes) {
    const seen = latestOutcome.get(o.decisionId);
    if (!seen || o.version > seen.version) latestOutcome.set(o.decisionId, o);
  }
  return inRange.map((d) => ({
    team: d.decidedBy.team,
    decidedAt: d.createdAt,
    chosenArm: d.chosenArm,
    followedAdvice: d.followedAdvice,
    reasonCode: d.reasonCode,
    topArm: d.recommendation?.topArm ?? null,
    resultJson: d.recommendation?.resultJson ?? null,
    profileJson: d.client.profileJson,
    fairnessSex: d.client.fairnessSex,
    fairnessOrigin: d.client.fairnessOrigin,
    work: latestOutcome.get(d.id)?.work ?? null,
  }));
}
export type QualityRow = Awaited<ReturnType<typeof listQualityRows>>[number];

/** Teams of case workers, for the filter. */
export async function listTeams(): Promise<string[]> {
  const rows = await getDb().user.findMany({
    where: { team: { not: null } },
    select: { team: true },
    distinct: ["team"],
    orderBy: { team: "asc" },
  });
  return rows.map((r) => r.team).filter((t): t is string => t !== null);
}
