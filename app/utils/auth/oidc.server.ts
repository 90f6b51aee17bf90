import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import * as client from "openid-client";
import { z } from "zod";
import { audit } from "../audit.server";
import { createOidcUser, getOidcUser, updateOidcUser } from "~/models/user.server";
import { getEnv, type OidcSettings, type RoleMapping } from "../env.server";
import { HOME_BY_ROLE, type Role } from "./roles";
import { safeRedirect } from "./safe-redirect";
import { createSession } from "./session.server";
import { errorLine } from "../error-line";
import { log } from "../log.server";

/**
 * Login through the municipality's identity provider: OpenID Connect authorization code flow
 * with PKCE (S256), state and nonce; the role comes from a claim (docs/decisions/002-oidc-login.md).
 */

/** passwordHash of an account that only logs in through OIDC: not a PHC string, so argon2 verify fails. */
export const OIDC_ONLY_PASSWORD_HASH = "!oidc-only";

/** The scopes asked for: the identity, a display name, and (at most IdPs) the role claim with it. */
const SCOPE = "openid profile";
/** How long a started login may take at the identity provider. */
const FLOW_MAX_AGE_S = 10 * 60;

/** The first mapping (in OIDC_ROLE_MAP order) whose value the claim holds; null when none does. */
export function mapRole(claim: unknown, roleMap: readonly RoleMapping[]): Role | null {
  const values = typeof claim === "string" ? [claim] : Array.isArray(claim) ? claim.filter((v): v is string => typeof v === "string") : [];
  return roleMap.find((m) => values.includes(m.value))?.role ?? null;
}

/** A local username for an OIDC account: a keyless digest of issuer and subject, no personal data. */
export function oidcUsername(issuer: string, subject: string): string {
  return `oidc-${createHash("sha256").update(`${issuer}\n${subject}`).digest("hex").slice(0, 20)}`;
}

export function getOidcSettings(): OidcSettings | null {
  return getEnv().oidc;
}

const FlowSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), redirectTo: z.string() });
type Flow = z.infer<typeof FlowSchema>;

let flowCookie: ReturnType<typeof createCookie> | undefined;
/** Holds state, nonce and PKCE verifier between the start and the callback: signed, httpOnly, short-lived. */
function oidcFlowCookie() {
  flowCookie ??= createCookie("tw_oidc", {
    httpOnly: true,
    // Lax: the callback is a top-level GET navigation back from the identity provider.
    sameSite: "lax",
    path: "/auth/oidc",
    maxAge: FLOW_MAX_AGE_S,
    secure: getEnv().COOKIE_SECURE,
    secrets: [getEnv().SESSION_SECRET],
  });
  return flowCookie;
}

let discovered: { issuer: string; config: Promise<client.Configuration> } | undefined;
/** The provider's metadata, fetched once per process (again after a failure). */
function clientConfig(settings: OidcSettings): Promise<client.Configuration> {
  if (discovered?.issuer !== settings.issuer) {
    const local = new URL(settings.issuer).protocol === "http:"; // env.server.ts allows http only for localhost
    const config = client.discovery(
      new URL(settings.issuer),
      settings.clientId,
      { client_secret: settings.clientSecret },
      client.ClientSecretBasic(settings.clientSecret),
      local ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    config.catch(() => {
      discovered = undefined;
    });
    discovered = { issuer: settings.issuer, config };
  }
  return discovered.config;
}

/** The URL to send the browser to, and the flow cookie to set; throws when the provider is unreachable. */
export async function startOidcLogin(settings: OidcSettings, options: { redirectTo: string | null }) {
  const config = await clientConfig(settings);
  const flow: Flow = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectTo: safeRedirect(options.redirectTo, ""),
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, cookie: await oidcFlowCookie().serialize(flow) };
}

export type OidcOutcome =
  | { ok: true; redirectTo: string; headers: Headers }
  | { ok: false; reason: "failed" | "no_role"; headers: Headers };

/**
 * Finishes the flow at the callback: checks state, nonce and PKCE through the code exchange,
 * maps the role, links or creates the local account, audits, and starts a session.
 */
export async function finishOidcLogin(settings: OidcSettings, request: Request): Promise<OidcOutcome> {
  const headers = new Headers();
  headers.append("Set-Cookie", await oidcFlowCookie().serialize("", { maxAge: 0 }));
  const fail = async (reason: "failed" | "no_role", entry: { actorId: string | null; object: string }): Promise<OidcOutcome> => {
    await audit({ ...entry, action: "login.failed", result: reason === "no_role" ? "denied" : "failed", request });
    return { ok: false, reason, headers };
  };

  const flow = FlowSchema.safeParse(await oidcFlowCookie().parse(request.headers.get("Cookie")));
  if (!flow.success) return fail("failed", { actorId: null, object: "oidc:no-flow" });

  let claims: Record<string, unknown>;
  try {
    const config = await clientConfig(settings);
    // The URL as registered, with the parameters the provider sent: independent of proxies in between.
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = new URL(request.url).search;
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: flow.data.verifier,
      expectedState: flow.data.state,
      expectedNonce: flow.data.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error("no ID token");
    claims = { ...idToken };
    // Many providers put profile claims (and the role claim) only in UserInfo.
    if (claims[settings.roleClaim] === undefined || claims.name === undefined) {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      claims = { ...userInfo, ...claims };
    }
  } catch (error) {
    // Protocol errors name no personal data; the message helps whoever configures the provider.
    log.warn({ error: errorLine(error) }, "OIDC login failed");
    return fail("failed", { actorId: null, object: "oidc" });
  }

  const issuer = String(claims.iss);
  const subject = String(claims.sub);
  const username = oidcUsername(issuer, subject);
  const existing = await getOidcUser({ issuer, subject });
  const role = mapRole(claims[settings.roleClaim], settings.roleMap);
  if (!role) return fail("no_role", { actorId: existing?.id ?? null, object: `user:${username}` });
  if (existing && !existing.active) return fail("failed", { actorId: existing.id, object: `user:${username}` });

  const displayName = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 200) : username;
  let userId: string;
  if (existing) {
    await updateOidcUser({ userId: existing.id, role, displayName });
    // The identity provider is the source of the role: a change there is a role change here.
    if (existing.role !== role) await audit({ actorId: null, action: `user.role.${role}`, object: `user:${existing.id}`, result: "ok", request });
    userId = existing.id;
  } else {
    const created = await createOidcUser({ username, displayName, role, passwordHash: OIDC_ONLY_PASSWORD_HASH, issuer, subject });
    await audit({ actorId: null, action: "user.create", object: `user:${created.id}`, result: "ok", request });
    userId = created.id;
  }
  await audit({ actorId: userId, action: "login", object: `user:${userId}`, result: "ok", request });
  headers.append("Set-Cookie", await createSession(userId, request));
  return { ok: true, redirectTo: safeRedirect(flow.data.redirectTo, HOME_BY_ROLE[role]), headers };
}
