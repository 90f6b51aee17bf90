import { z } from "zod";
import { getDb } from "~/utils/db.server";

/**
 * The only Prisma caller for the data scientist's export of shown advice (`npm run export-decisions`):
 * per client, the latest version of its decision, the advice that was shown with it (the arm shown
 * first and its logged probability) and the latest version of that decision's outcome. Clients without
 * an outcome yet are left out. Returns the client's keyed pseudonym (never the display code or any
 * reference), the profile as entered and the fairness fields; nothing else of the client.
 */
export async function listShownDecisions() {
  const db = getDb();
  const decisions = await db.decision.findMany({
    select: {
      id: true,
      clientId: true,
      version: true,
      chosenArm: true,
      recommendation: { select: { shownFirst: true, shownFirstProbability: true, resultJson: true } },
      client: { select: { referenceHash: true, profileJson: true, fairnessSex: true, fairnessOrigin: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const latest = new Map<string, (typeof decisions)[number]>();
  for (const d of decisions) {
    const seen = latest.get(d.clientId);
    if (!seen || d.version > seen.version) latest.set(d.clientId, d);
  }
  const outcomes = await db.outcome.findMany({
    where: { decisionId: { in: [...latest.values()].map((d) => d.id) } },
    select: { decisionId: true, version: true, work: true, hoursPerWeek: true, leftBenefits: true, wmoAfter: true, debtsAfter: true },
  });
  const latestOutcome = new Map<string, (typeof outcomes)[number]>();
  for (const o of outcomes) {
    const seen = latestOutcome.get(o.decisionId);
    if (!seen || o.version > seen.version) latestOutcome.set(o.decisionId, o);
  }
  return [...latest.values()].flatMap((d) => {
    const outcome = latestOutcome.get(d.id);
    if (!outcome) return [];
    const shownFirst = d.recommendation?.shownFirst ?? null;
    return [
      {
        pseudonym: d.client.referenceHash,
        profile: profileOf(d.client.profileJson),
        fairness: { sex: d.client.fairnessSex, origin: d.client.fairnessOrigin },
        chosenArm: d.chosenArm,
        outcome: {
          work: outcome.work,
          hoursPerWeek: outcome.hoursPerWeek,
          leftBenefits: outcome.leftBenefits,
          wmoAfter: outcome.wmoAfter,
          debtsAfter: outcome.debtsAfter,
        },
        shown:
          shownFirst === null || d.recommendation?.shownFirstProbability == null
            ? null
            : {
                first: shownFirst,
                probability: d.recommendation.shownFirstProbability,
                chosenProbability: chosenProbabilityOf(d.recommendation.resultJson, { chosen: d.chosenArm, first: shownFirst, probability: d.recommendation.shownFirstProbability }),
              },
      },
    ];
  });
}
export type ShownDecision = Awaited<ReturnType<typeof listShownDecisions>>[number];

const ProfileSchema = z.record(z.string(), z.unknown());
const ShownSchema = z.object({ shown: z.object({ probabilities: z.record(z.string(), z.number().min(0).max(1)) }).optional() });

function profileOf(json: string): Record<string, unknown> {
  try {
    const parsed = ProfileSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * The logged probability that the arm the client got had of being shown first: from the stored
 * advice's per-arm probabilities; an arm outside the draw had none (0), the arm shown first has the
 * stored probability.
 */
function chosenProbabilityOf(resultJson: string, shown: { chosen: string; first: string; probability: number }): number {
  if (shown.chosen === shown.first) return shown.probability;
  try {
    const parsed = ShownSchema.safeParse(JSON.parse(resultJson));
    return (parsed.success ? parsed.data.shown?.probabilities[shown.chosen] : undefined) ?? 0;
  } catch {
    return 0;
  }
}
