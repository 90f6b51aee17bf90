import { redirect } from "@remix-run/node";
import { countRecentAuditEvents } from "~/models/audit.server";
import { getTotpState, storeTotpSecret, claimTotpStep } from "~/models/second-factor.server";
import { mustChangePassword } from "~/models/user.server";
import { audit } from "../audit.server";
import { totpAttemptsLeft } from "./auth.server";
import { clearPendingLogin, pendingSince, readPendingLogin, startPendingLogin } from "./pending-login.server";
import { createSession } from "./session.server";
import { matchTotp, newTotpSecret } from "./totp";
import { decryptTotpSecret, encryptTotpSecret } from "./totp-secret.server";

export type TotpCheck = { ok: true } | { ok: false; reason: "invalid" | "rate_limited" };

/** Checks a code for the account; `enable` turns the factor on after a successful set-up. */
export async function checkTotpCode(request: Request, userId: string, code: string, enable: boolean): Promise<TotpCheck> {
  if (!(await totpAttemptsLeft(userId))) return { ok: false, reason: "rate_limited" };
  const state = await getTotpState(userId);
  const secret = state?.totpSecret ? decryptTotpSecret(state.totpSecret) : null;
  const step = secret ? matchTotp(secret, code.trim()) : null;
  if (step === null || !(await claimTotpStep({ userId, step, enable }))) {
    await audit({ actorId: userId, action: "totp.failed", object: `user:${userId}`, result: "failed", request });
    return { ok: false, reason: "invalid" };
  }
  if (enable) await audit({ actorId: userId, action: "totp.enabled", object: `user:${userId}`, result: "ok", request });
  return { ok: true };
}

/** The secret to enrol, created once per account until it is enabled. */
export async function enrolmentSecret(userId: string): Promise<string | null> {
  const state = await getTotpState(userId);
  if (!state || state.totpEnabled) return null;
  const existing = state.totpSecret ? decryptTotpSecret(state.totpSecret) : null;
  if (existing) return existing;
  const secret = newTotpSecret();
  await storeTotpSecret({ userId, encryptedSecret: encryptTotpSecret(secret) });
  return secret;
}

/**
 * The pending login, once: a login of the account completed since it was started (this one, or
 * another) uses it up, so a copy of the cookie cannot skip the password step again.
 */
export async function requirePendingLogin(request: Request) {
  const pending = await readPendingLogin(request);
  if (!pending) throw redirect("/login");
  const since = pendingSince(pending);
  if ((await countRecentAuditEvents({ actorId: pending.userId, action: "login", since })) > 0) {
    throw redirect("/login", { headers: { "Set-Cookie": await clearPendingLogin() } });
  }
  return pending;
}

/**
 * Both factors passed: audit, a fresh session, and the pending cookie cleared. An account with a
 * one-time password gets no session yet: it goes on to /login/password to choose its own.
 */
export async function finishLogin(request: Request, userId: string, redirectTo: string) {
  if (await mustChangePassword({ userId })) {
    const pending = await startPendingLogin(userId, redirectTo, { secondFactorDone: true });
    return redirect("/login/password", { headers: { "Set-Cookie": pending } });
  }
  await audit({ actorId: userId, action: "login", object: `user:${userId}`, result: "ok", request });
  const headers = new Headers();
  headers.append("Set-Cookie", await createSession(userId, request));
  headers.append("Set-Cookie", await clearPendingLogin());
  return redirect(redirectTo, { headers });
}
