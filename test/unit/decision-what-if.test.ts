import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { createCaseworkerWithCredentials } from "../setup/caseworker";
import { routeAnswer } from "../setup/route-answer";
import { useTestDatabase } from "../setup/test-db";

/**
 * A decision may only reference the client's own advice: a what-if recommendation (the advice
 * for a changed profile) recorded as "followed the advice" would skew adoption figures.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let decisions: typeof import("~/models/decision.server");
let clientPage: typeof import("~/routes/clients.$clientId");
let decisionsApi: typeof import("~/routes/api.v1.clients.$clientId.decisions");
let caseworkerId = "";
let cookie = "";
let token = "";

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  decisions = await import("~/models/decision.server");
  clientPage = await import("~/routes/clients.$clientId");
  decisionsApi = await import("~/routes/api.v1.clients.$clientId.decisions");
  ({ caseworkerId, cookie, token } = await createCaseworkerWithCredentials("cw-whatif"));
});

let counter = 0;
/** A client whose own advice is schuldhulp, and a what-if recommendation (debts solved) that ranks jobcoaching first. */
async function clientWithWhatIf() {
  counter += 1;
  const client = await db.client.create({
    data: { caseworkerId, referenceHash: `whatif-${counter}`, code: `TW-WHATIF${counter}`, profileJson: JSON.stringify(PROFILE) },
  });
  const own = await db.recommendation.create({ data: { clientId: client.id, modelVersion: "m1", resultJson: "{}", topArm: "schuldhulp", variant: "" } });
  const whatIf = await db.recommendation.create({
    data: { clientId: client.id, modelVersion: "m1", resultJson: "{}", topArm: "jobcoaching", variant: "problematische_schulden" },
  });
  return { clientId: client.id, ownId: own.id, whatIfId: whatIf.id };
}

describe("a decision on a what-if recommendation", () => {
  it("is refused by the model, nothing is stored", async () => {
    const { clientId, whatIfId } = await clientWithWhatIf();
    const result = await decisions.recordDecision({ clientId, caseworkerId, expectedVersion: 0, recommendationId: whatIfId, chosenArm: "jobcoaching" });
    expect(result).toEqual({ ok: false, reason: "what_if" });
    expect(await db.decision.count({ where: { clientId } })).toBe(0);
  });

  it("the client's own advice (form or API) is still accepted and marked as followed", async () => {
    const { clientId, ownId } = await clientWithWhatIf();
    const apiShown = await db.recommendation.create({ data: { clientId, modelVersion: "m1", resultJson: "{}", topArm: "schuldhulp", variant: "api" } });
    expect(await decisions.recordDecision({ clientId, caseworkerId, expectedVersion: 0, recommendationId: ownId, chosenArm: "schuldhulp" })).toMatchObject({ ok: true });
    expect(await decisions.recordDecision({ clientId, caseworkerId, expectedVersion: 1, recommendationId: apiShown.id, chosenArm: "schuldhulp" })).toMatchObject({ ok: true });
    const history = await decisions.getDecisionHistory({ clientId, caseworkerId });
    expect(history.map((d) => d.followedAdvice)).toEqual([true, true]);
  });

  it("through the form: 400 with a clear message", async () => {
    const { clientId, whatIfId } = await clientWithWhatIf();
    const body = new URLSearchParams({ intent: "decision", version: "0", recommendationId: whatIfId, topArm: "jobcoaching", chosenArm: "jobcoaching" });
    const request = new Request(`http://localhost/clients/${clientId}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    const answer = await routeAnswer(clientPage.action({ request, params: { clientId }, context: {} }));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/wat-als/i);
    expect(await db.decision.count({ where: { clientId } })).toBe(0);
  });

  it("through the API: 400 problem with the field named", async () => {
    const { clientId, whatIfId } = await clientWithWhatIf();
    const request = new Request(`http://localhost/api/v1/clients/${clientId}/decisions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ version: 0, recommendationId: whatIfId, chosenArm: "jobcoaching" }),
    });
    const answer = await routeAnswer(decisionsApi.action({ request, params: { clientId }, context: {} }));
    expect(answer.status).toBe(400);
    expect(String(answer.body)).toMatch(/recommendationId/);
    expect(String(answer.body)).toMatch(/what-if/);
    expect(await db.decision.count({ where: { clientId } })).toBe(0);
  });
});
