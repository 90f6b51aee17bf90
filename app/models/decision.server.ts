import { getDb } from "~/utils/db.server";
import { isWhatIfVariant } from "./recommendation.server";

type Owner = { clientId: string; caseworkerId: string };

/** Bumps the client's version only if it still is `expectedVersion`: a stale form loses, nothing is overwritten. */
async function claimVersion(tx: Parameters<Parameters<ReturnType<typeof getDb>["$transaction"]>[0]>[0], owner: Owner, expectedVersion: number, status?: string) {
  const claimed = await tx.client.updateMany({
    where: { id: owner.clientId, caseworkerId: owner.caseworkerId, version: expectedVersion },
    data: { version: { increment: 1 }, lastContactAt: new Date(), ...(status ? { status } : {}) },
  });
  return claimed.count === 1;
}

export async function getDecisionHistory({ clientId, caseworkerId }: Owner) {
  return getDb().decision.findMany({
    where: { clientId, client: { caseworkerId } },
    select: { id: true, chosenArm: true, followedAdvice: true, reasonCode: true, reasonText: true, version: true, createdAt: true, recommendation: { select: { modelVersion: true, topArm: true } } },
    orderBy: { version: "desc" },
  });
}

export async function getOutcomeHistory({ clientId, caseworkerId }: Owner) {
  return getDb().outcome.findMany({
    where: { clientId, client: { caseworkerId } },
    select: { id: true, work: true, workStart: true, hoursPerWeek: true, leftBenefits: true, wmoAfter: true, debtsAfter: true, version: true, createdAt: true },
    orderBy: { version: "desc" },
  });
}

export type DecisionInput = Owner & {
  expectedVersion: number;
  recommendationId: string;
  chosenArm: string;
  reasonCode?: string;
  reasonText?: string;
};

/** Records a chosen trajectory as a new version; `conflict` when the client changed since the form was shown. */
export async function recordDecision(input: DecisionInput) {
  return getDb().$transaction(async (tx) => {
    const recommendation = await tx.recommendation.findFirst({
      where: { id: input.recommendationId, clientId: input.clientId, client: { caseworkerId: input.caseworkerId } },
      select: { id: true, topArm: true, variant: true },
    });
    if (!recommendation) return { ok: false as const, reason: "not_found" as const };
    // The advice for a changed profile is not the advice: following it is not "following the advice".
    if (isWhatIfVariant(recommendation.variant)) return { ok: false as const, reason: "what_if" as const };
    // Deviating from the advice always needs a reason, whichever door (form or API) the decision came through.
    if (recommendation.topArm !== input.chosenArm && (!input.reasonCode || !input.reasonText?.trim())) {
      return { ok: false as const, reason: "reason_required" as const };
    }
    if (!(await claimVersion(tx, input, input.expectedVersion, "active"))) return { ok: false as const, reason: "conflict" as const };
    const previous = await tx.decision.findFirst({ where: { clientId: input.clientId }, orderBy: { version: "desc" }, select: { id: true, version: true } });
    const followedAdvice = recommendation.topArm === input.chosenArm;
    const decision = await tx.decision.create({
      data: {
        clientId: input.clientId,
        recommendationId: recommendation.id,
        chosenArm: input.chosenArm,
        followedAdvice,
        reasonCode: followedAdvice ? null : (input.reasonCode ?? null),
        reasonText: followedAdvice ? null : (input.reasonText ?? null),
        decidedById: input.caseworkerId,
        version: (previous?.version ?? 0) + 1,
        supersedesId: previous?.id ?? null,
      },
      select: { id: true },
    });
    return { ok: true as const, id: decision.id };
  });
}

export type OutcomeInput = Owner & {
  expectedVersion: number;
  work: boolean;
  workStart: Date | null;
  hoursPerWeek: number | null;
  leftBenefits: boolean;
  wmoAfter: boolean;
  debtsAfter: boolean;
};

export async function recordOutcome(input: OutcomeInput) {
  return getDb().$transaction(async (tx) => {
    const decision = await tx.decision.findFirst({
      where: { clientId: input.clientId, client: { caseworkerId: input.caseworkerId } },
      orderBy: { version: "desc" },
      select: { id: true },
    });
    if (!decision) return { ok: false as const, reason: "no_decision" as const };
    if (!(await claimVersion(tx, input, input.expectedVersion))) return { ok: false as const, reason: "conflict" as const };
    const previous = await tx.outcome.findFirst({ where: { clientId: input.clientId }, orderBy: { version: "desc" }, select: { id: true, version: true } });
    const outcome = await tx.outcome.create({
      data: {
        clientId: input.clientId,
        decisionId: decision.id,
        work: input.work,
        workStart: input.workStart,
        hoursPerWeek: input.hoursPerWeek,
        leftBenefits: input.leftBenefits,
        wmoAfter: input.wmoAfter,
        debtsAfter: input.debtsAfter,
        recordedById: input.caseworkerId,
        version: (previous?.version ?? 0) + 1,
        supersedesId: previous?.id ?? null,
      },
      select: { id: true },
    });
    return { ok: true as const, id: outcome.id };
  });
}
