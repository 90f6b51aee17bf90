import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { getEnv } from "../env.server";

/**
 * Between a correct password and a correct second factor: a signed, short-lived cookie naming
 * the account. It grants nothing by itself; only /login/totp, /login/totp-setup and /login/password read it.
 */
const PENDING_MS = 5 * 60 * 1000;
/** `secondFactorDone`: the second factor passed and only the one-time password's replacement is left (/login/password). */
const PendingSchema = z.object({ userId: z.string().min(1), redirectTo: z.string(), exp: z.number(), secondFactorDone: z.boolean().optional() });
export type PendingLogin = z.infer<typeof PendingSchema>;

let cookie: ReturnType<typeof createCookie> | undefined;
function pendingCookie() {
  cookie ??= createCookie("tw_2fa", {
    httpOnly: true,
    sameSite: "lax",
    path: "/login",
    secure: getEnv().COOKIE_SECURE,
    secrets: [getEnv().SESSION_SECRET],
    maxAge: PENDING_MS / 1000,
  });
  return cookie;
}

export async function startPendingLogin(userId: string, redirectTo: string, options: { secondFactorDone?: boolean } = {}): Promise<string> {
  return pendingCookie().serialize({ userId, redirectTo, exp: Date.now() + PENDING_MS, ...(options.secondFactorDone ? { secondFactorDone: true } : {}) });
}

export async function readPendingLogin(request: Request): Promise<PendingLogin | null> {
  const parsed = PendingSchema.safeParse(await pendingCookie().parse(request.headers.get("Cookie")));
  if (!parsed.success || parsed.data.exp < Date.now()) return null;
  return parsed.data;
}

/** When the pending login was started (its expiry minus its lifetime). */
export function pendingSince(pending: PendingLogin): Date {
  return new Date(pending.exp - PENDING_MS);
}

export async function clearPendingLogin(): Promise<string> {
  return pendingCookie().serialize("", { maxAge: 0 });
}
