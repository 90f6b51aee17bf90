import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { createCaseworkerWithCredentials } from "../setup/caseworker";
import { routeAnswer } from "../setup/route-answer";
import { useTestDatabase } from "../setup/test-db";

/**
 * A client registered under an earlier model lacks facts the serving catalogue needs: the client page
 * names them and asks for them (no advice from invented values), and the answers complete the profile.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let clientPage: typeof import("~/routes/clients.$clientId");
let cookie = "";
let caseworkerId = "";

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  clientPage = await import("~/routes/clients.$clientId");
  ({ caseworkerId, cookie } = await createCaseworkerWithCredentials("cw-missing"));
});

/** A profile taken under a model that did not ask about diabetes medication or earlier debt counselling. */
async function olderClient(n: number) {
  const { med_diabetes: _a, schuldhulp_eerder: _b, ...older } = PROFILE;
  return db.client.create({ data: { caseworkerId, referenceHash: `older-${n}`, code: `TW-OLDER0000${n}`, profileJson: JSON.stringify(older) } });
}

const page = (clientId: string) =>
  routeAnswer(clientPage.loader({ request: new Request(`http://localhost/clients/${clientId}`, { headers: { Cookie: cookie } }), params: { clientId }, context: {} }));

const post = (clientId: string, fields: Record<string, string>) =>
  routeAnswer(
    clientPage.action({
      request: new Request(`http://localhost/clients/${clientId}`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      }),
      params: { clientId },
      context: {},
    }),
  );

describe("facts the serving model needs that a stored profile lacks", () => {
  it("are named on the client page, without advice", async () => {
    const client = await olderClient(1);
    const shown = await page(client.id);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ missing: ["med_diabetes", "schuldhulp_eerder"], recommendation: null, whatIfs: [] });
  });

  it("are completed by the form: only those facts are read, the rest of the profile stays, and nothing is missing afterwards", async () => {
    const client = await olderClient(2);
    const saved = await post(client.id, { intent: "profile", version: "0", med_diabetes: "1", schuldhulp_eerder: "0", regio: "noord" });
    expect(saved).toMatchObject({ status: 302, location: `/clients/${client.id}?saved=profile` });
    const stored = await db.client.findUniqueOrThrow({ where: { id: client.id }, select: { profileJson: true, version: true } });
    expect(JSON.parse(stored.profileJson)).toMatchObject({ med_diabetes: 1, schuldhulp_eerder: 0, regio: PROFILE.regio });
    expect(stored.version).toBe(1);
    expect((await page(client.id)).body).toMatchObject({ missing: [] });
  });

  it("refuses an unanswered or wrong answer (400) and a stale form (409), and changes nothing", async () => {
    const client = await olderClient(3);
    expect((await post(client.id, { intent: "profile", version: "0", med_diabetes: "2", schuldhulp_eerder: "0" })).status).toBe(400);
    expect((await post(client.id, { intent: "profile", version: "0", med_diabetes: "1" })).status).toBe(400);
    expect((await post(client.id, { intent: "profile", version: "7", med_diabetes: "1", schuldhulp_eerder: "0" })).status).toBe(409);
    const stored = await db.client.findUniqueOrThrow({ where: { id: client.id }, select: { profileJson: true, version: true } });
    expect(JSON.parse(stored.profileJson)).not.toHaveProperty("med_diabetes");
    expect(stored.version).toBe(0);
  });
});

describe("facts recorded as unknown", () => {
  async function clientWithUnknown(n: number, status = "intake") {
    return db.client.create({
      data: { caseworkerId, referenceHash: `unknown-${n}`, code: `TW-UNKNWN000${n}`, status, profileJson: JSON.stringify({ ...PROFILE, taaleis_voldaan: null }) },
    });
  }

  it("are named on the client page and can be filled in later; the rest of the profile stays", async () => {
    const client = await clientWithUnknown(1);
    expect((await page(client.id)).body).toMatchObject({ missing: [], unknown: ["taaleis_voldaan"] });
    const saved = await post(client.id, { intent: "profile", version: "0", taaleis_voldaan: "1", regio: "noord" });
    expect(saved).toMatchObject({ status: 302, location: `/clients/${client.id}?saved=profile` });
    const stored = await db.client.findUniqueOrThrow({ where: { id: client.id }, select: { profileJson: true } });
    expect(JSON.parse(stored.profileJson)).toMatchObject({ taaleis_voldaan: 1, regio: PROFILE.regio });
    expect((await page(client.id)).body).toMatchObject({ unknown: [], saved: null });
  });

  it("a closed file is read-only: every form is refused (409) and nothing changes", async () => {
    const client = await clientWithUnknown(2, "closed");
    const refused = await post(client.id, { intent: "profile", version: "0", taaleis_voldaan: "1" });
    expect(refused.status).toBe(409);
    expect((await page(client.id)).body).toMatchObject({ client: { closed: true } });
    const stored = await db.client.findUniqueOrThrow({ where: { id: client.id }, select: { profileJson: true, version: true } });
    expect(JSON.parse(stored.profileJson).taaleis_voldaan).toBeNull();
    expect(stored.version).toBe(0);
  });
});
