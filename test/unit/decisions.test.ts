import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { useTestDatabase } from "../setup/test-db";


let db: Awaited<ReturnType<typeof import("~/utils/db.server")["getDb"]>>;
let clients: typeof import("~/models/client.server");
let decisions: typeof import("~/models/decision.server");
let owner: string;
let other: string;

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  clients = await import("~/models/client.server");
  decisions = await import("~/models/decision.server");
  owner = (await db.user.create({ data: { username: "cw1", displayName: "CW 1", role: "caseworker", passwordHash: "x" } })).id;
  other = (await db.user.create({ data: { username: "cw2", displayName: "CW 2", role: "caseworker", passwordHash: "x" } })).id;
});

async function newClient(ref: string) {
  const created = await clients.createClient({ caseworkerId: owner, referenceHash: ref, code: `TW-${ref.slice(0, 6).toUpperCase()}`, profile: PROFILE });
  if (!created.ok) throw new Error("client not created");
  const rec = await db.recommendation.create({ data: { clientId: created.id, modelVersion: "m1", resultJson: "{}", topArm: "schuldhulp" } });
  return { clientId: created.id, recommendationId: rec.id };
}

describe("client ownership", () => {
  it("another case worker's client is simply not found", async () => {
    const { clientId } = await newClient("aaaaaa1");
    expect(await clients.getClient({ id: clientId, caseworkerId: owner })).not.toBeNull();
    expect(await clients.getClient({ id: clientId, caseworkerId: other })).toBeNull();
    const page = await clients.listCaseload({ caseworkerId: other, page: 1, pageSize: 10 });
    expect(page.clients.map((c) => c.id)).not.toContain(clientId);
  });

  it("refuses a second client with the same pseudonymised reference", async () => {
    await newClient("dup0001");
    const again = await clients.createClient({ caseworkerId: owner, referenceHash: "dup0001", code: "TW-OTHER", profile: PROFILE });
    expect(again).toEqual({ ok: false, reason: "duplicate" });
  });
});

describe("the caseload", () => {
  it("shows each client's current advice (never a what-if's) and the latest decision, or none while pending", async () => {
    const pending = await newClient("pend001");
    await db.recommendation.create({ data: { clientId: pending.clientId, modelVersion: "m1", resultJson: "{}", topArm: "jobcoaching", variant: "schulden_opgelost" } });
    const decided = await newClient("deci001");
    const recorded = await decisions.recordDecision({ clientId: decided.clientId, caseworkerId: owner, expectedVersion: 0, recommendationId: decided.recommendationId, chosenArm: "schuldhulp" });
    expect(recorded.ok).toBe(true);
    const { clients: rows } = await clients.listCaseload({ caseworkerId: owner, page: 1, pageSize: 50 });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(pending.clientId)).toMatchObject({ currentAdvice: "schuldhulp", decidedArm: null });
    expect(byId.get(decided.clientId)).toMatchObject({ currentAdvice: "schuldhulp", decidedArm: "schuldhulp" });
  });
});

describe("decisions", () => {
  it("marks whether the top recommendation was followed and keeps every version", async () => {
    const { clientId, recommendationId } = await newClient("bbbbbb2");
    const first = await decisions.recordDecision({ clientId, caseworkerId: owner, expectedVersion: 0, recommendationId, chosenArm: "schuldhulp" });
    expect(first.ok).toBe(true);
    const second = await decisions.recordDecision({
      clientId,
      caseworkerId: owner,
      expectedVersion: 1,
      recommendationId,
      chosenArm: "jobcoaching",
      reasonCode: "client_preference",
      reasonText: "wil direct aan het werk",
    });
    expect(second.ok).toBe(true);
    const history = await decisions.getDecisionHistory({ clientId, caseworkerId: owner });
    expect(history.map((d) => [d.version, d.chosenArm, d.followedAdvice])).toEqual([
      [2, "jobcoaching", false],
      [1, "schuldhulp", true],
    ]);
  });

  it("two concurrent decisions on one client: exactly one wins, the other is told of the conflict", async () => {
    const { clientId, recommendationId } = await newClient("cccccc3");
    const results = await Promise.all(
      ["schuldhulp", "jobcoaching"].map((chosenArm) =>
        decisions.recordDecision({ clientId, caseworkerId: owner, expectedVersion: 0, recommendationId, chosenArm, reasonCode: "other", reasonText: "test" }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "conflict" }]);
    expect(await decisions.getDecisionHistory({ clientId, caseworkerId: owner })).toHaveLength(1);
  });

  it("a case worker cannot record a decision or outcome on another's client", async () => {
    const { clientId, recommendationId } = await newClient("dddddd4");
    const result = await decisions.recordDecision({ clientId, caseworkerId: other, expectedVersion: 0, recommendationId, chosenArm: "schuldhulp" });
    expect(result.ok).toBe(false);
    const outcome = await decisions.recordOutcome({
      clientId,
      caseworkerId: other,
      expectedVersion: 0,
      work: true,
      workStart: new Date(),
      hoursPerWeek: 20,
      leftBenefits: true,
      wmoAfter: false,
      debtsAfter: false,
    });
    expect(outcome.ok).toBe(false);
  });

  it("an outcome needs a decision first and is versioned", async () => {
    const { clientId, recommendationId } = await newClient("eeeeee5");
    const base = { clientId, caseworkerId: owner, work: false, workStart: null, hoursPerWeek: null, leftBenefits: false, wmoAfter: false, debtsAfter: true };
    expect(await decisions.recordOutcome({ ...base, expectedVersion: 0 })).toEqual({ ok: false, reason: "no_decision" });
    await decisions.recordDecision({ clientId, caseworkerId: owner, expectedVersion: 0, recommendationId, chosenArm: "schuldhulp" });
    expect((await decisions.recordOutcome({ ...base, expectedVersion: 1 })).ok).toBe(true);
    expect((await decisions.recordOutcome({ ...base, work: true, workStart: new Date(), hoursPerWeek: 24, expectedVersion: 2 })).ok).toBe(true);
    const outcomes = await decisions.getOutcomeHistory({ clientId, caseworkerId: owner });
    expect(outcomes.map((o) => [o.version, o.work])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});
