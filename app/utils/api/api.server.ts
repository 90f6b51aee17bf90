import { createHash, randomBytes } from "node:crypto";
import type { z } from "zod";
import { API_VERSION } from "./api-version";
import { audit } from "../audit.server";
import { getApiTokenByHash } from "~/models/api-token.server";
import { type Role, RoleSchema } from "../auth/roles";
import { type ApiScope, scopeAllows } from "./token-scope";
import { SHORT_CACHE_MS, shortCache } from "../short-cache.server";
import { errorLine } from "../error-line";
import { loggablePath, requestLog } from "../log.server";

/**
 * The JSON API's HTTP rules, in one place (Dutch REST API Design Rules): every response carries
 * `API-Version` and `Cache-Control: no-store`; every error is an RFC 9457 problem
 * (`application/problem+json`) that says what and where, never how; methods a path does not have get
 * 405 with `Allow`, OPTIONS gets 204 with `Allow`; bodies are JSON only; each token has a rate limit.
 */
export { API_VERSION };
/** Larger JSON bodies are refused with 413 (the express server refuses them earlier for every route). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Requests per token per minute; per server instance (two instances on one database allow twice as many). */
export const API_RATE_LIMIT_PER_MINUTE = 120;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

type TokenRecord = { revokedAt: Date | null; expiresAt: Date | null; scope: string; user: { id: string; role: string; active: boolean } };
/** Tokens are looked up on every API call; revoking a token or changing its account here forgets them. */
const tokens = shortCache<TokenRecord>(SHORT_CACHE_MS);
export const forgetApiTokens = () => tokens.forget();

export function newApiToken() {
  const token = `tw_${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashToken(token) };
}

// --- Problems (RFC 9457) -----------------------------------------------------------------------------

export type InvalidParam = { name: string; reason: string };

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  411: "Length Required",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Headers every /api/v1 response carries. */
export function withApiHeaders(headers: HeadersInit = {}): Headers {
  const result = new Headers(headers);
  result.set("API-Version", API_VERSION);
  result.set("Cache-Control", "no-store");
  return result;
}

/**
 * An `application/problem+json` response. `type` is `about:blank`, so `title` is the status's phrase;
 * `detail` says what happened in plain words; `invalidParams` names each bad field.
 */
export function problem(options: { status: number; detail: string; invalidParams?: InvalidParam[]; headers?: HeadersInit }): Response {
  const body = {
    type: "about:blank",
    title: TITLES[options.status] ?? "Error",
    status: options.status,
    detail: options.detail,
    ...(options.invalidParams ? { invalidParams: options.invalidParams } : {}),
  };
  const headers = withApiHeaders(options.headers);
  headers.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(body), { status: options.status, headers });
}

/** A JSON success body with the API headers. */
export function apiJson(data: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = withApiHeaders(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { status: init.status ?? 200, headers });
}

/** zod issues as `invalidParams`: a dotted field path and a reason in plain English. */
export function invalidParams(issues: readonly z.core.$ZodIssue[], explain?: (issue: z.core.$ZodIssue) => string | undefined): InvalidParam[] {
  return issues.map((issue) => ({
    name: issue.path.map(String).join(".") || "body",
    reason: explain?.(issue) ?? issue.message,
  }));
}

// --- Routing -----------------------------------------------------------------------------------------

type Method = "GET" | "POST";
export type HandlerArgs = { request: Request; params: Record<string, string | undefined>; context?: unknown };
type Handler = (args: HandlerArgs) => Promise<Response>;

/**
 * The loader and action of an /api/v1 resource route dispatch here with one handler per method:
 * GET (and HEAD) in the loader, the rest in the action; OPTIONS is 204 and a method the path lacks
 * is 405, both with `Allow`. Every response, also a thrown one, leaves with the API headers; a
 * non-problem error Response (e.g. the predictor's 503) becomes a problem; a bug becomes a 500 problem
 * without internals. Routes export `loader` and `action` as plain functions that call this, so that
 * Remix can strip them (and the server modules they use) from the browser bundle.
 */
export async function handleApiRequest(args: HandlerArgs, handlers: Partial<Record<Method, Handler>>): Promise<Response> {
  const methods = Object.keys(handlers) as Method[];
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const method = args.request.method.toUpperCase();
  if (method === "OPTIONS") return new Response(null, { status: 204, headers: withApiHeaders({ Allow: allow }) });
  const handler = handlers[(method === "HEAD" ? "GET" : method) as Method];
  if (!handler) return problem({ status: 405, detail: `This path does not support ${method}; use ${allow}.`, headers: { Allow: allow } });
  try {
    return await asApiResponse(await handler(args));
  } catch (thrown) {
    if (thrown instanceof Response) return asApiResponse(thrown);
    requestLog(args.request).error({ method, path: loggablePath(new URL(args.request.url).pathname), error: errorLine(thrown) }, "api request failed");
    return problem({ status: 500, detail: "An unexpected error occurred; it has been logged." });
  }
}

async function asApiResponse(response: Response): Promise<Response> {
  if (response.status < 400 || (response.headers.get("Content-Type") ?? "").startsWith("application/problem+json")) {
    for (const [name, value] of withApiHeaders()) response.headers.set(name, value);
    return response;
  }
  // An error Response from outside the API (plain text): its text is a message written for people.
  const text = (await response.text()).trim().slice(0, 300);
  return problem({ status: response.status, detail: text || TITLES[response.status] || "Error", headers: retryAfter(response) });
}

const retryAfter = (response: Response): HeadersInit => {
  const value = response.headers.get("Retry-After");
  return value ? { "Retry-After": value } : {};
};

// --- Authentication and rate limit ---------------------------------------------------------------------

/** The token's account must have one of `roles`, and the token the `scope` (app/utils/api/token-scope.ts). */
export async function requireApiUser(request: Request, roles: readonly Role[], scope: ApiScope): Promise<{ id: string; role: Role }> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer (tw_[A-Za-z0-9_-]{20,100})$/.exec(header);
  const tokenHash = match?.[1] ? hashToken(match[1]) : null;
  const token = tokenHash
    ? await tokens.get(tokenHash, () =>
        getApiTokenByHash({ tokenHash }),
      )
    : null;
  const role = RoleSchema.safeParse(token?.user.role);
  const expired = token?.expiresAt != null && token.expiresAt.getTime() <= Date.now();
  if (!tokenHash || !token || token.revokedAt || expired || !token.user.active || !role.success) {
    await audit({ actorId: null, action: "api.auth", object: new URL(request.url).pathname, result: "denied", request });
    throw problem({
      status: 401,
      detail: "Send 'Authorization: Bearer <token>' with a valid API token.",
      headers: { "WWW-Authenticate": 'Bearer realm="trajectwijzer"' },
    });
  }
  const wait = rateLimiter.take(tokenHash);
  if (wait > 0) {
    throw problem({
      status: 429,
      detail: `More than ${API_RATE_LIMIT_PER_MINUTE} requests per minute with this token; try again later.`,
      headers: { "Retry-After": String(wait) },
    });
  }
  if (!roles.includes(role.data)) {
    await audit({ actorId: token.user.id, action: "authorization.refused", object: new URL(request.url).pathname, result: "denied", request });
    throw problem({ status: 403, detail: "This token's account may not use this endpoint." });
  }
  if (!scopeAllows(token.scope, scope)) {
    await audit({ actorId: token.user.id, action: "authorization.refused", object: new URL(request.url).pathname, result: "denied", request });
    throw problem({ status: 403, detail: `This token's scope (${token.scope}) does not allow this; it needs the scope '${scope}' or wider.` });
  }
  return { id: token.user.id, role: role.data };
}

/**
 * A token bucket per API token: `perMinute` requests, refilled continuously. In memory, so per
 * server instance; `take` answers 0 when the request may go ahead, else the seconds to wait.
 */
export function createRateLimiter(options: { perMinute: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key: string): number {
      const t = now();
      if (buckets.size > 10_000) {
        // Buckets that have refilled completely carry no information.
        for (const [k, b] of buckets) if (b.tokens + (t - b.at) * perMs >= options.perMinute) buckets.delete(k);
      }
      const bucket = buckets.get(key) ?? { tokens: options.perMinute, at: t };
      bucket.tokens = Math.min(options.perMinute, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}
const rateLimiter = createRateLimiter({ perMinute: API_RATE_LIMIT_PER_MINUTE });

// --- Bodies ----------------------------------------------------------------------------------------------

/** `application/json`, with or without parameters (charset); not `application/json-patch+json` and the like. */
export function isJsonMediaType(contentType: string | null): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  explain?: (issue: z.core.$ZodIssue) => string | undefined,
): Promise<z.infer<T>> {
  if (!isJsonMediaType(request.headers.get("Content-Type"))) {
    throw problem({ status: 415, detail: "Send the body as application/json.", headers: { "Accept-Post": "application/json" } });
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw problem({ status: 400, detail: "The body is not valid JSON." });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw problem({ status: 400, detail: "The body is invalid; see invalidParams.", invalidParams: invalidParams(parsed.error.issues, explain) });
  }
  return parsed.data;
}

const tooLarge = () => problem({ status: 413, detail: `The body is larger than ${MAX_BODY_BYTES} bytes.` });
