import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { createSessionRow, deleteSessionRow, getSessionWithUser, touchSessionRow } from "~/models/session.server";
import { getEnv } from "../env.server";

/** A session ends after this long without a request, and at the latest after ABSOLUTE_MS. */
export const IDLE_MS = 30 * 60 * 1000;
export const ABSOLUTE_MS = 10 * 60 * 60 * 1000;

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("tw_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: getEnv().COOKIE_SECURE,
    secrets: [getEnv().SESSION_SECRET],
  });
  return cookie;
}

/**
 * Starts a fresh session: a new id at every login, so a planted id is never promoted,
 * and the session the browser had before (if any) ends.
 */
export async function createSession(userId: string, request?: Request): Promise<string> {
  const previous = request ? await readSessionId(request) : null;
  if (previous) await deleteSessionRow(previous);
  const id = randomBytes(32).toString("base64url");
  const now = Date.now();
  await createSessionRow({ id, userId, at: new Date(now), expiresAt: new Date(now + ABSOLUTE_MS) });
  return sessionCookie().serialize(id);
}

export async function readSessionId(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * The signed-in user of a live session, or null; touches the idle timer unless `touch` is false
 * (a long-lived event stream must not keep an idle session alive).
 */
export async function getSessionUser(request: Request, { touch = true }: { touch?: boolean } = {}) {
  const id = await readSessionId(request);
  if (!id) return null;
  const session = await getSessionWithUser(id);
  if (!session) return null;
  const now = Date.now();
  if (!session.user.active || session.expiresAt.getTime() < now || session.lastSeenAt.getTime() + IDLE_MS < now) {
    await deleteSessionRow(id);
    return null;
  }
  // Touch at most once a minute: a page load fires several requests.
  if (touch && now - session.lastSeenAt.getTime() > 60_000) {
    await touchSessionRow(id, new Date(now));
  }
  return session.user;
}

export async function destroySession(request: Request): Promise<string> {
  const id = await readSessionId(request);
  if (id) await deleteSessionRow(id);
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function logoutRedirect(request: Request) {
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request) } });
}
