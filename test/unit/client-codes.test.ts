import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { createCaseworkerWithCredentials } from "../setup/caseworker";
import { routeAnswer } from "../setup/route-answer";
import { useTestDatabase } from "../setup/test-db";

/**
 * Display codes: long enough that two clients practically never share one, and a collision that
 * does happen is retried with the next candidate instead of failing every time for that case number.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let clients: typeof import("~/models/client.server");
let pseudonym: typeof import("~/utils/pseudonym.server");
let intake: typeof import("~/routes/clients.new");
let clientsApi: typeof import("~/routes/api.v1.clients");
let caseworkerId = "";
let cookie = "";
let token = "";

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  clients = await import("~/models/client.server");
  pseudonym = await import("~/utils/pseudonym.server");
  intake = await import("~/routes/clients.new");
  clientsApi = await import("~/routes/api.v1.clients");
  ({ caseworkerId, cookie, token } = await createCaseworkerWithCredentials("cw-codes"));
});

/** Takes a display code away from `reference` by giving it to another client first. */
async function occupyCodeOf(reference: string) {
  const { getEnv } = await import("~/utils/env.server");
  const code = pseudonym.displayCode(pseudonym.pseudonymise(reference, getEnv().PSEUDONYM_KEY));
  await db.client.create({ data: { caseworkerId, referenceHash: `other-${reference}`, code, profileJson: JSON.stringify(PROFILE) } });
  return code;
}

function intakeBody(reference: string): URLSearchParams {
  const body = new URLSearchParams({ reference });
  for (const [key, value] of Object.entries(PROFILE)) body.set(key, String(value));
  return body;
}

describe("displayCode", () => {
  it("has 10 characters after TW- from the unambiguous alphabet, a different one per attempt", () => {
    const hash = pseudonym.pseudonymise("GEM-2025-0001", "k".repeat(32));
    const codes = [0, 1, 2, 3].map((attempt) => pseudonym.displayCode(hash, attempt));
    for (const code of codes) expect(code).toMatch(/^TW-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$/);
    expect(new Set(codes).size).toBe(4);
    expect(pseudonym.displayCode(hash)).toBe(codes[0]);
  });

  it("no two of 20 000 references share a code", () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) codes.add(pseudonym.displayCode(pseudonym.pseudonymise(`GEM-${i}`, "k".repeat(32))));
    expect(codes.size).toBe(20_000);
  });
});

describe("createClient with a colliding code", () => {
  it("retries with the generator's next code", async () => {
    await db.client.create({ data: { caseworkerId, referenceHash: "taken-1", code: "TW-TAKEN00001", profileJson: JSON.stringify(PROFILE) } });
    const tried: number[] = [];
    const created = await clients.createClient({
      caseworkerId,
      referenceHash: "new-1",
      code: (attempt) => {
        tried.push(attempt);
        return attempt === 0 ? "TW-TAKEN00001" : `TW-FREE0000${attempt}`;
      },
      profile: PROFILE,
    });
    expect(created).toMatchObject({ ok: true, code: "TW-FREE00001" });
    expect(tried).toEqual([0, 1]);
  });

  it("gives up after a bounded number of attempts with a reason, never an exception", async () => {
    await db.client.create({ data: { caseworkerId, referenceHash: "taken-2", code: "TW-TAKEN00002", profileJson: JSON.stringify(PROFILE) } });
    let calls = 0;
    const created = await clients.createClient({
      caseworkerId,
      referenceHash: "new-2",
      code: () => {
        calls += 1;
        return "TW-TAKEN00002";
      },
      profile: PROFILE,
    });
    expect(created).toEqual({ ok: false, reason: "code_unavailable" });
    expect(calls).toBeGreaterThan(1);
    expect(calls).toBeLessThanOrEqual(10);
  });

  it("the same case number registered twice at once: one client, the other told it is a duplicate", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => clients.createClient({ caseworkerId, referenceHash: "race-1", code: (attempt) => `TW-RACE${attempt}`, profile: PROFILE })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: "duplicate" },
      { ok: false, reason: "duplicate" },
    ]);
  });
});

describe("registering a client whose derived code is taken", () => {
  it("intake: the client is registered under another code", async () => {
    const taken = await occupyCodeOf("GEM-COLLIDE-1");
    const request = new Request("http://localhost/clients/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: intakeBody("GEM-COLLIDE-1"),
    });
    const result = await routeAnswer(intake.action({ request, params: {}, context: {} }));
    expect(result.status).toBe(302);
    const id = result.location?.split("/").pop() ?? "";
    const stored = await db.client.findUnique({ where: { id }, select: { code: true } });
    expect(stored?.code).toMatch(/^TW-/);
    expect(stored?.code).not.toBe(taken);
  });

  it("intake: the same case number again is a 409 with a message on the field", async () => {
    const post = () =>
      routeAnswer(
        intake.action({
          request: new Request("http://localhost/clients/new", {
            method: "POST",
            headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
            body: intakeBody("GEM-TWICE-1"),
          }),
          params: {},
          context: {},
        }),
      );
    expect((await post()).status).toBe(302);
    const again = await post();
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/dossiernummer/i);
  });

  it("API: 201 with the new code; the same case number again is 409", async () => {
    const taken = await occupyCodeOf("GEM-COLLIDE-2");
    const post = () =>
      routeAnswer(
        clientsApi.action({
          request: new Request("http://localhost/api/v1/clients", {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
            body: JSON.stringify({ reference: "GEM-COLLIDE-2", profile: PROFILE }),
          }),
          params: {},
          context: {},
        }),
      );
    const first = await post();
    expect(first.status).toBe(201);
    const body = JSON.parse(String(first.body)) as { id: string; code: string };
    expect(body.code).not.toBe(taken);
    expect((await db.client.findUnique({ where: { id: body.id }, select: { code: true } }))?.code).toBe(body.code);
    expect((await post()).status).toBe(409);
  });
});
