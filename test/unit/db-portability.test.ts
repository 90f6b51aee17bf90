import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { useTestDatabase } from "../setup/test-db";

// The same behaviour on SQLite and PostgreSQL (`npm run test:db:postgres` runs this file on PostgreSQL):
// the places where the two databases differ by default — LIKE and case, concurrent transactions, ordering.

let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let owner: string;

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  owner = (await db.user.create({ data: { username: "cw-port", displayName: "CW", role: "caseworker", passwordHash: "x", team: "Team Noord" } })).id;
  await db.user.create({ data: { username: "cw-port-2", displayName: "CW 2", role: "caseworker", passwordHash: "x", team: "Team Noord" } });
  await db.user.create({ data: { username: "cw-port-3", displayName: "CW 3", role: "caseworker", passwordHash: "x", team: "Team Zuid" } });
});

describe("caseload search", () => {
  it("finds a client by part of its code whatever the case typed", async () => {
    const clients = await import("~/models/client.server");
    const created = await clients.createClient({ caseworkerId: owner, referenceHash: "port-ref-1", code: "TW-7K3F9Q", profile: PROFILE });
    expect(created.ok).toBe(true);
    const search = (code: string) => clients.listCaseload({ caseworkerId: owner, search: { code, referenceHash: "none" }, page: 1, pageSize: 10 });
    for (const typed of ["7k3f", "TW-7K3F9Q", "tw-7k3f9q", "f9q"]) expect((await search(typed)).total, typed).toBe(1);
    for (const typed of ["7K3G", "TW-7K3F9QX"]) expect((await search(typed)).total, typed).toBe(0);
    const byReference = await clients.listCaseload({ caseworkerId: owner, search: { code: "nomatch", referenceHash: "port-ref-1" }, page: 1, pageSize: 10 });
    expect(byReference.total).toBe(1);
  });
});

describe("distinct lists", () => {
  it("lists each team once, in order", async () => {
    const { listTeams } = await import("~/models/quality.server");
    expect(await listTeams()).toEqual(["Team Noord", "Team Zuid"]);
  });
});

describe("model registry transitions", () => {
  it("two concurrent promotions leave exactly one active model", async () => {
    const registry = await import("~/models/model-version.server");
    const base = { dir: "/tmp/none", dataHash: null, metricsJson: "{}", disclosureStatus: "passed" as const, createdById: null };
    for (const id of ["port-a", "port-b", "port-c"]) await registry.createModelVersion({ ...base, id });
    expect((await registry.promoteModelVersion({ id: "port-a" })).ok).toBe(true);
    const results = await Promise.allSettled([registry.promoteModelVersion({ id: "port-b" }), registry.promoteModelVersion({ id: "port-c" })]);
    expect(results.some((r) => r.status === "fulfilled" && r.value.ok)).toBe(true);
    const active = await db.modelVersion.findMany({ where: { status: "active" }, select: { id: true } });
    expect(active).toHaveLength(1);
  });
});
