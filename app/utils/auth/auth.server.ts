import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { audit } from "../audit.server";
import { countRecentAuditEvents } from "~/models/audit.server";
import { LOGIN_LIMIT, releaseLoginAttempt, reserveLoginAttempt } from "~/models/login-attempt.server";
import { getUserForLogin } from "~/models/user.server";
import { requestOrigin } from "../request.server";
import { type Role, RoleSchema, TOTP_REQUIRED_ROLES } from "./roles";
import { getSessionUser } from "./session.server";

export { LOGIN_LIMIT };

export type SessionUser = { id: string; username: string; displayName: string; role: Role };

export async function getUser(request: Request): Promise<SessionUser | null> {
  const user = await getSessionUser(request);
  if (!user) return null;
  const role = RoleSchema.safeParse(user.role);
  if (!role.success) return null;
  return { id: user.id, username: user.username, displayName: user.displayName, role: role.data };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    await audit({ actorId: user.id, action: "authorization.refused", object: new URL(request.url).pathname, result: "denied", request });
    throw new Response("Forbidden", { status: 403 });
  }
  return user;
}

/**
 * After a correct password: `session` (no second factor for this account), `totp` (enrolled:
 * ask for a code) or `totp-setup` (the role requires a second factor that is not set up yet).
 */
export type SecondFactor = "session" | "totp" | "totp-setup";
export type LoginOutcome =
  | { ok: true; userId: string; role: Role; next: SecondFactor }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * An unknown, deactivated or OIDC-only account is checked against this hash, so it costs the same time as a
 * known one and account names cannot be found by timing. Made once, with the library's default parameters
 * (the same as every stored hash).
 */
let dummyHash: Promise<string> | null = null;
export function hashToCheck(stored: string | undefined): Promise<string> {
  if (stored?.startsWith("$argon2")) return Promise.resolve(stored);
  dummyHash ??= hash(`no account ${Math.random()}`);
  return dummyHash;
}

export async function verifyLogin(request: Request, username: string, password: string): Promise<LoginOutcome> {
  const reservation = await reserveLoginAttempt({ username, origin: requestOrigin(request) });
  const user = await getUserForLogin({ username });
  // The typed name is stored only when it names an account: a password typed into the name field must not reach the log.
  const object = user ? `user:${user.id}` : "user:unknown";
  if (!reservation.ok) {
    await audit({ actorId: null, action: "login.rate_limited", object, result: "denied", request });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: reservation.retryAfterSeconds };
  }
  const matches = await verify(await hashToCheck(user?.passwordHash), password).catch(() => false);
  const valid = matches && user?.active === true && user.passwordHash.startsWith("$argon2");
  const role = RoleSchema.safeParse(user?.role);
  if (!user || !valid || !role.success) {
    await audit({ actorId: user?.id ?? null, action: "login.failed", object, result: "failed", request });
    return { ok: false, reason: "invalid" };
  }
  await releaseLoginAttempt(reservation.slots);
  const next: SecondFactor = user.totpEnabled ? "totp" : TOTP_REQUIRED_ROLES.includes(role.data) ? "totp-setup" : "session";
  if (next === "session") await audit({ actorId: user.id, action: "login", object: `user:${user.id}`, result: "ok", request });
  else await audit({ actorId: user.id, action: "login.password_ok", object: `user:${user.id}`, result: "ok", request });
  return { ok: true, userId: user.id, role: role.data, next };
}

/** Failed second-factor attempts allowed per account in the login window. */
export async function totpAttemptsLeft(userId: string): Promise<boolean> {
  const since = new Date(Date.now() - LOGIN_LIMIT.windowMs);
  const failures = await countRecentAuditEvents({ actorId: userId, action: "totp.failed", since });
  return failures < LOGIN_LIMIT.perAccount;
}
