import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/**
 * Account changes that must end or protect sessions: a new role ends the account's sessions (a
 * password-only session must not become an administrator's), turning the second factor off needs
 * the current password and a code, and a user can change their own password.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let session: typeof import("~/utils/auth/session.server");
let users: typeof import("~/models/user.server");
let adminId = "";
const PASSWORD = "een-lang-genoeg-wachtwoord";

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  session = await import("~/utils/auth/session.server");
  users = await import("~/models/user.server");
  adminId = (await db.user.create({ data: { username: "admin-sec", displayName: "Admin", role: "admin", passwordHash: "x" } })).id;
});

const cookieOf = (setCookie: string) => setCookie.split(";")[0] ?? "";
const post = (url: string, cookie: string, fields: Record<string, string>) =>
  new Request(url, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

async function settle(promise: Promise<unknown>): Promise<{ status: number; body: unknown; headers: Headers }> {
  let value: unknown;
  try {
    value = await promise;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, body: await value.text(), headers: value.headers };
  if (value && typeof value === "object" && "init" in value && "data" in value) {
    const init = (value as { init?: { status?: number; headers?: HeadersInit } | null }).init;
    return { status: init?.status ?? 200, body: (value as { data: unknown }).data, headers: new Headers(init?.headers) };
  }
  return { status: 200, body: value, headers: new Headers() };
}

const userOf = async (cookie: string) => session.getSessionUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));

let counter = 0;
async function newUser(role: "caseworker" | "manager" = "manager") {
  counter += 1;
  const created = await users.createUser({ username: `user-sec-${counter}`, displayName: "U", role, password: PASSWORD });
  if (!created.ok) throw new Error("user not created");
  return created.id;
}

describe("a role change", () => {
  it("ends every session of the account", async () => {
    const userId = await newUser();
    const theirs = cookieOf(await session.createSession(userId));
    expect(await userOf(theirs)).not.toBeNull();
    const { action } = await import("~/routes/admin.users");
    const admin = cookieOf(await session.createSession(adminId));
    const answer = await settle(action({ request: post("http://localhost/admin/users", admin, { intent: "role", userId, role: "admin" }), params: {}, context: {} }));
    expect(answer.status).toBeLessThan(400);
    expect((await db.user.findUnique({ where: { id: userId }, select: { role: true } }))?.role).toBe("admin");
    expect(await userOf(theirs)).toBeNull();
    // The administrator's own session stays.
    expect(await userOf(admin)).not.toBeNull();
  });
});

describe("turning the second factor off", () => {
  async function withTotp() {
    const userId = await newUser();
    const { newTotpSecret } = await import("~/utils/auth/totp");
    const { encryptTotpSecret } = await import("~/utils/auth/totp-secret.server");
    const secret = newTotpSecret();
    await db.user.update({ where: { id: userId }, data: { totpSecret: encryptTotpSecret(secret), totpEnabled: true } });
    return { userId, secret, cookie: cookieOf(await session.createSession(userId)) };
  }
  const enabled = async (userId: string) => (await db.user.findUnique({ where: { id: userId }, select: { totpEnabled: true } }))?.totpEnabled;

  it("needs the current password and a current code", async () => {
    const { action } = await import("~/routes/account");
    const { totp } = await import("~/utils/auth/totp");
    const { userId, secret, cookie } = await withTotp();
    const tries: Record<string, string>[] = [
      { intent: "disable" },
      { intent: "disable", password: PASSWORD },
      { intent: "disable", password: "wrong-password-123", code: totp(secret) },
      { intent: "disable", password: PASSWORD, code: "000000" === totp(secret) ? "111111" : "000000" },
    ];
    for (const fields of tries) {
      const answer = await settle(action({ request: post("http://localhost/account", cookie, fields), params: {}, context: {} }));
      expect(JSON.stringify(answer.body), JSON.stringify(fields)).toMatch(/error/);
      expect(await enabled(userId), JSON.stringify(fields)).toBe(true);
    }
    const ok = await settle(action({ request: post("http://localhost/account", cookie, { intent: "disable", password: PASSWORD, code: totp(secret) }), params: {}, context: {} }));
    expect(JSON.stringify(ok.body)).toMatch(/disabled/);
    expect(await enabled(userId)).toBe(false);
  });
});

describe("changing one's own password", () => {
  it("needs the current password, a confirmed new one of 12+ characters; other sessions end, this one goes on", async () => {
    const { action } = await import("~/routes/account");
    const userId = await newUser("caseworker");
    const elsewhere = cookieOf(await session.createSession(userId));
    const here = cookieOf(await session.createSession(userId));
    const next = "nieuw-en-lang-wachtwoord";
    const refused: Record<string, string>[] = [
      { intent: "password", currentPassword: "wrong-password-123", password: next, confirm: next },
      { intent: "password", currentPassword: PASSWORD, password: "kort", confirm: "kort" },
      { intent: "password", currentPassword: PASSWORD, password: next, confirm: `${next}x` },
      { intent: "password", currentPassword: PASSWORD, password: PASSWORD, confirm: PASSWORD },
    ];
    for (const fields of refused) {
      const answer = await settle(action({ request: post("http://localhost/account", here, fields), params: {}, context: {} }));
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(await users.isCurrentPassword({ userId, password: PASSWORD })).toBe(true);
    }
    const ok = await settle(action({ request: post("http://localhost/account", here, { intent: "password", currentPassword: PASSWORD, password: next, confirm: next }), params: {}, context: {} }));
    expect(JSON.stringify(ok.body)).toMatch(/password_changed/);
    expect(await users.isCurrentPassword({ userId, password: next })).toBe(true);
    expect(await userOf(elsewhere)).toBeNull();
    expect(await userOf(here)).toBeNull();
    const renewed = ok.headers.get("Set-Cookie") ?? "";
    expect(renewed).toMatch(/^tw_session=/);
    expect((await userOf(cookieOf(renewed)))?.id).toBe(userId);
  });
});
