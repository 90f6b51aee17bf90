import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/**
 * Bad input at every HTTP boundary: random bodies, queries and headers never become a 500 or a
 * thrown non-Response, and error bodies say what and where without internals.
 */
let token = "";
let sessionCookie = "";
let api: typeof import("~/routes/api.v1.recommendations");
let clientsApi: typeof import("~/routes/api.v1.clients");
let caseload: typeof import("~/routes/clients._index");
let audit: typeof import("~/routes/audit");

beforeAll(async () => {
  await useTestDatabase();
  const { getDb } = await import("~/utils/db.server");
  const { newApiToken } = await import("~/utils/api/api.server");
  const { createSession } = await import("~/utils/auth/session.server");
  const db = getDb();
  const user = await db.user.create({ data: { username: "cw-prop", displayName: "CW", role: "caseworker", passwordHash: "x" } });
  const generated = newApiToken();
  token = generated.token;
  await db.apiToken.create({ data: { name: "t", tokenHash: generated.tokenHash, userId: user.id } });
  sessionCookie = (await createSession(user.id)).split(";")[0] ?? "";
  api = await import("~/routes/api.v1.recommendations");
  clientsApi = await import("~/routes/api.v1.clients");
  caseload = await import("~/routes/clients._index");
  audit = await import("~/routes/audit");
});

async function settle(promise: Promise<unknown>): Promise<Response> {
  try {
    const value = await promise;
    if (value instanceof Response) return value;
    return new Response(JSON.stringify(value), { status: 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const context = {};

describe("JSON API bodies", () => {
  it("any body to POST /api/v1/recommendations and /api/v1/clients: 400/409/415/429/503, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonValue.map((v) => JSON.stringify(v)), fc.string({ maxLength: 60 })), fc.boolean(), async (body, asJson) => {
        for (const [route, url] of [
          [api, "http://localhost/api/v1/recommendations"],
          [clientsApi, "http://localhost/api/v1/clients"],
        ] as const) {
          const request = new Request(url, {
            method: "POST",
            headers: { Authorization: `Bearer ${token}`, "Content-Type": asJson ? "application/json" : "text/plain" },
            body,
          });
          const response = await settle(route.action({ request, params: {}, context }));
          // 429: the token's rate limit may be reached within the runs.
          expect([201, 400, 409, 415, 429, 503]).toContain(response.status);
          const text = await response.text();
          expect(text).not.toMatch(/\n\s+at |node_modules|\/work\//);
          if (response.status >= 400) expect(JSON.parse(text)).toMatchObject({ status: response.status, type: "about:blank" });
          if (response.status === 400) expect(JSON.parse(text).detail).toMatch(/invalid|not valid JSON/);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a forged, malformed or missing bearer token is 401 with a message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (header) => {
        const request = new Request("http://localhost/api/v1/recommendations", {
          method: "POST",
          headers: { Authorization: header, "Content-Type": "application/json" },
          body: "{}",
        });
        const response = await settle(api.action({ request, params: {}, context }));
        expect(response.status).toBe(401);
        expect(response.headers.get("Content-Type")).toBe("application/problem+json");
        expect(await response.json()).toMatchObject({ status: 401, title: "Unauthorized" });
      }),
      { numRuns: 40 },
    );
  });
});

describe("query strings", () => {
  it("any query to the caseload and the audit log renders or is refused, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom("q", "status", "contact", "page", "action", "result", "from", "to", "x"), fc.string({ maxLength: 20 })), async (query) => {
        const params = new URLSearchParams(query).toString();
        const response = await settle(
          caseload.loader({ request: new Request(`http://localhost/clients?${params}`, { headers: { Cookie: sessionCookie } }), params: {}, context }),
        );
        expect(response.status).toBe(200);
        const refused = await settle(audit.loader({ request: new Request(`http://localhost/audit?${params}`, { headers: { Cookie: sessionCookie } }), params: {}, context }));
        expect(refused.status).toBe(403);
      }),
      { numRuns: 40 },
    );
  });
});

describe("environment", () => {
  it("a bad value names the variable and the rule, never the value", async () => {
    const { parseEnv } = await import("~/utils/env.server");
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 31 }).filter((s) => s.trim().length > 3), fc.constantFrom("SESSION_SECRET", "PSEUDONYM_KEY", "PORT"), async (value, name) => {
        const env = { SESSION_SECRET: "s".repeat(40), PSEUDONYM_KEY: "p".repeat(40), [name]: name === "PORT" ? `x${value}` : value };
        let message = "";
        try {
          parseEnv(env);
        } catch (error) {
          message = error instanceof Error ? error.message : String(error);
        }
        expect(message).toContain(name);
        expect(message).not.toContain(env[name]);
      }),
      { numRuns: 40 },
    );
  });
});
