import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

let admin: { id: string };
let worker: { id: string };
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let act: typeof import("~/utils/auth/user-admin.server")["userAdminAction"];

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  act = (await import("~/utils/auth/user-admin.server")).userAdminAction;
  admin = await db.user.create({ data: { username: "beheer", displayName: "B", role: "admin", passwordHash: "x" }, select: { id: true } });
  worker = await db.user.create({ data: { username: "km9", displayName: "K", role: "caseworker", passwordHash: "x" }, select: { id: true } });
});

const post = (fields: Record<string, string>) =>
  new Request("http://localhost/admin/users/x", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
const run = async (fields: Record<string, string>) => {
  const answer = await act(post(fields), admin, "nl");
  return { status: answer.init?.status ?? 200, ...answer.data };
};

describe("user administration", () => {
  it("sets and clears a team", async () => {
    expect(await run({ intent: "team", userId: worker.id, team: " Team Oost " })).toMatchObject({ status: 200, intent: "team", ok: true });
    expect((await db.user.findUnique({ where: { id: worker.id }, select: { team: true } }))?.team).toBe("Team Oost");
    await run({ intent: "team", userId: worker.id, team: "" });
    expect((await db.user.findUnique({ where: { id: worker.id }, select: { team: true } }))?.team).toBeNull();
  });

  it("makes a token with a name, an expiry and a scope, never for a deactivated account; refuses changes to one's own account", async () => {
    const made = await run({ intent: "token", userId: worker.id, name: "zaaksysteem", expiresDays: "30", scope: "read" });
    expect(made).toMatchObject({ status: 200, intent: "token", ok: true, tokenName: "zaaksysteem" });
    expect(made.token).toMatch(/^tw_/);
    const stored = await db.apiToken.findFirstOrThrow({ where: { name: "zaaksysteem" }, select: { scope: true, expiresAt: true } });
    expect(stored.scope).toBe("read");
    expect((stored.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    await run({ intent: "active", userId: worker.id, active: "false" });
    expect(await run({ intent: "token", userId: worker.id, name: "later", scope: "read" })).toMatchObject({ status: 400, ok: false, message: expect.stringMatching(/gedeactiveerd/) });
    expect(await run({ intent: "active", userId: admin.id, active: "false" })).toMatchObject({ status: 400, ok: false, message: expect.stringMatching(/eigen/) });
    expect((await db.user.findUnique({ where: { id: admin.id }, select: { active: true } }))?.active).toBe(true);
  });
});
