import { createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { audit } from "./audit.server";
import { getDb } from "./db.server";
import { type Role, RoleSchema } from "./roles";
import { SHORT_CACHE_MS, shortCache } from "./short-cache.server";

/** JSON API helpers: bearer-token authentication and error bodies that say what and where, never how. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

type TokenRecord = { revokedAt: Date | null; user: { id: string; role: string; active: boolean } };
/** Tokens are looked up on every API call; revoking a token or changing its account here forgets them. */
const tokens = shortCache<TokenRecord>(SHORT_CACHE_MS);
export const forgetApiTokens = () => tokens.forget();

export function newApiToken() {
  const token = `tw_${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashToken(token) };
}

export function jsonError(status: number, error: string, details?: unknown) {
  return Response.json({ error, ...(details === undefined ? {} : { details }) }, { status });
}

export async function requireApiUser(request: Request, roles: readonly Role[]): Promise<{ id: string; role: Role }> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer (tw_[A-Za-z0-9_-]{20,100})$/.exec(header);
  const tokenHash = match?.[1] ? hashToken(match[1]) : null;
  const token = tokenHash
    ? await tokens.get(tokenHash, () =>
        getDb().apiToken.findUnique({
          where: { tokenHash },
          select: { revokedAt: true, user: { select: { id: true, role: true, active: true } } },
        }),
      )
    : null;
  const role = RoleSchema.safeParse(token?.user.role);
  if (!token || token.revokedAt || !token.user.active || !role.success) {
    await audit({ actorId: null, action: "api.auth", object: new URL(request.url).pathname, result: "denied", request });
    throw jsonError(401, "unauthorized: send 'Authorization: Bearer <token>' with a valid API token");
  }
  if (!roles.includes(role.data)) {
    await audit({ actorId: token.user.id, action: "authorization.refused", object: new URL(request.url).pathname, result: "denied", request });
    throw jsonError(403, "forbidden: this token's account may not use this endpoint");
  }
  return { id: token.user.id, role: role.data };
}

export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    throw jsonError(415, "unsupported media type: send the body as application/json");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw jsonError(400, "invalid JSON body");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw jsonError(
      400,
      "invalid body",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return parsed.data;
}
