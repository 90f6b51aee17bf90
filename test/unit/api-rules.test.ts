import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PROFILE } from "../fixtures/client-profile";
import { useTestDatabase } from "../setup/test-db";

/**
 * The JSON API's HTTP rules (Dutch REST API Design Rules) on the real route modules with real
 * Requests against a migrated test database: problems, headers, methods, media types, strict bodies,
 * pagination, the rate limit and the OpenAPI document.
 */
type RouteModule = {
  loader: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
  action: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
};
let token = "";
let otherToken = "";
let recommendations: RouteModule;
let clients: RouteModule;
let decisions: RouteModule;
let splat: RouteModule;
let openapi: RouteModule;
let api: typeof import("~/utils/api/api.server");

beforeAll(async () => {
  await useTestDatabase();
  const { getDb } = await import("~/utils/db.server");
  api = await import("~/utils/api/api.server");
  const db = getDb();
  for (const [username, assign] of [
    ["cw-api", (t: string) => (token = t)],
    ["cw-api-2", (t: string) => (otherToken = t)],
  ] as const) {
    const user = await db.user.create({ data: { username, displayName: username, role: "caseworker", passwordHash: "x" } });
    const generated = api.newApiToken();
    assign(generated.token);
    await db.apiToken.create({ data: { name: "t", tokenHash: generated.tokenHash, userId: user.id } });
  }
  recommendations = await import("~/routes/api.v1.recommendations");
  clients = await import("~/routes/api.v1.clients");
  decisions = await import("~/routes/api.v1.clients.$clientId.decisions");
  splat = await import("~/routes/api.v1.$");
  openapi = await import("~/routes/api.v1.openapi[.json]");
});

const context = {};
const auth = (t = token) => ({ Authorization: `Bearer ${t}` });

/** A request to a route module the way Remix calls it: GET/HEAD/OPTIONS go to the loader, the rest to the action. */
async function call(route: RouteModule, url: string, init: RequestInit = {}, params: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://localhost${url}`, init);
  const method = request.method;
  const run = method === "GET" || method === "HEAD" || method === "OPTIONS" ? route.loader : route.action;
  try {
    return await run({ request, params, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { ...auth(), "Content-Type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  expect(response.headers.get("API-Version")).toBe(api.API_VERSION);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const body = (await response.json()) as { type: string; title: string; status: number; detail: string; invalidParams?: { name: string; reason: string }[] };
  expect(body).toMatchObject({ type: "about:blank", status });
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

describe("problems and headers", () => {
  it("an anonymous call is a 401 problem with API-Version and no-store", async () => {
    const response = await call(clients, "/api/v1/clients");
    const body = await expectProblem(response, 401);
    expect(body.title).toBe("Unauthorized");
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  });

  it("a success carries API-Version and Cache-Control: no-store too", async () => {
    const response = await call(clients, "/api/v1/clients", { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get("API-Version")).toBe(api.API_VERSION);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("no active model is a 503 problem", async () => {
    await expectProblem(await call(recommendations, "/api/v1/recommendations", post({ profile: PROFILE })), 503);
  });

  it("an unknown /api/v1 path is a JSON 404 problem for any method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      await expectProblem(await call(splat, "/api/v1/nothing/here", { method }, { "*": "nothing/here" }), 404);
    }
  });
});

describe("methods", () => {
  it("a method the path lacks is 405 with Allow", async () => {
    const get = await call(recommendations, "/api/v1/recommendations", { headers: auth() });
    await expectProblem(get, 405);
    expect(get.headers.get("Allow")).toBe("POST, OPTIONS");
    const del = await call(clients, "/api/v1/clients", { method: "DELETE", headers: auth() });
    await expectProblem(del, 405);
    expect(del.headers.get("Allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("OPTIONS is 204 with Allow, not the GET handler", async () => {
    const response = await call(clients, "/api/v1/clients", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("Allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(response.headers.get("API-Version")).toBe(api.API_VERSION);
    expect(await response.text()).toBe("");
  });
});

describe("bodies as strict as the forms", () => {
  it("refuses a content type other than application/json with 415", async () => {
    for (const type of ["application/json-patch+json", "text/plain", "application/jsonx", "multipart/form-data"]) {
      await expectProblem(await call(recommendations, "/api/v1/recommendations", post({ profile: PROFILE }, { "Content-Type": type })), 415);
    }
    // Parameters such as the charset are fine (then 503: no model is active).
    expect((await call(recommendations, "/api/v1/recommendations", post({ profile: PROFILE }, { "Content-Type": "application/json; charset=utf-8" }))).status).toBe(503);
  });

  it("does not coerce strings, null, booleans or arrays into numbers", async () => {
    for (const value of ["3", null, true, [7], "", "0x1"]) {
      const response = await call(recommendations, "/api/v1/recommendations", post({ profile: { ...PROFILE, aantal_kinderen: value } }));
      const body = await expectProblem(response, 400);
      expect(body.invalidParams?.map((p) => p.name)).toEqual(["profile.aantal_kinderen"]);
    }
    const flag = await call(recommendations, "/api/v1/recommendations", post({ profile: { ...PROFILE, med_diabetes: "1" } }));
    expect((await expectProblem(flag, 400)).invalidParams?.map((p) => p.name)).toEqual(["profile.med_diabetes"]);
  });

  it("names every bad field at once: wrong values beside missing ones", async () => {
    const response = await call(recommendations, "/api/v1/recommendations", post({ profile: { leeftijdsklasse: "12-17", aantal_kinderen: "2" } }));
    const names = (await expectProblem(response, 400)).invalidParams?.map((p) => p.name) ?? [];
    expect(names).toContain("profile.leeftijdsklasse");
    expect(names).toContain("profile.aantal_kinderen");
    expect(names).toContain("profile.regio");
  });

  it("refuses unknown profile fields", async () => {
    const body = await expectProblem(await call(recommendations, "/api/v1/recommendations", post({ profile: { ...PROFILE, nationaliteit: "x" } })), 400);
    expect(body.invalidParams?.[0]?.name).toBe("profile");
  });

  it("refuses the contradictions the intake form refuses, with the form's reason", async () => {
    const neverWorked = await call(recommendations, "/api/v1/recommendations", post({ profile: { ...PROFILE, nooit_gewerkt: 1, maanden_gewerkt_5j: 12 } }));
    const body = await expectProblem(neverWorked, 400);
    expect(body.invalidParams).toEqual([{ name: "profile.maanden_gewerkt_5j", reason: "With 'never had paid work' there can be no months worked." }]);
    const noChildren = await call(clients, "/api/v1/clients", post({ reference: "REF-0001", profile: { ...PROFILE, aantal_kinderen: 0, jongste_kind_0_4: 1 } }));
    expect((await expectProblem(noChildren, 400)).invalidParams?.map((p) => p.name)).toEqual(["profile.jongste_kind_0_4"]);
  });

  it("refuses invalid JSON with 400 and a body over 1 MB with 413", async () => {
    await expectProblem(await call(recommendations, "/api/v1/recommendations", post("{not json")), 400);
    const big = JSON.stringify({ profile: PROFILE, padding: "x".repeat(api.MAX_BODY_BYTES) });
    await expectProblem(await call(recommendations, "/api/v1/recommendations", post(big)), 413);
  });

  it("enforces the deviation reason's minimum length like the form", async () => {
    const created = await call(clients, "/api/v1/clients", post({ reference: "REF-DEC-1", profile: PROFILE }));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const short = await call(
      decisions,
      `/api/v1/clients/${id}/decisions`,
      post({ version: 0, recommendationId: "r1", chosenArm: "scholing", reasonCode: "other", reasonText: "  ab  " }),
      { clientId: id },
    );
    expect((await expectProblem(short, 400)).invalidParams?.map((p) => p.name)).toEqual(["reasonText"]);
    const stringVersion = await call(decisions, `/api/v1/clients/${id}/decisions`, post({ version: "0", recommendationId: "r1", chosenArm: "scholing" }), { clientId: id });
    expect((await expectProblem(stringVersion, 400)).invalidParams?.map((p) => p.name)).toEqual(["version"]);
  });
});

describe("pagination", () => {
  it("pages the caseload with pageSize and next/prev links", async () => {
    const headers = { ...auth(otherToken), "Content-Type": "application/json" };
    for (const reference of ["PAGE-0001", "PAGE-0002", "PAGE-0003"]) {
      const created = await call(clients, "/api/v1/clients", { method: "POST", headers, body: JSON.stringify({ reference, profile: PROFILE }) });
      expect(created.status).toBe(201);
    }
    const first = (await (await call(clients, "/api/v1/clients?pageSize=2", { headers: auth(otherToken) })).json()) as {
      total: number;
      pageSize: number;
      clients: unknown[];
      _links: Record<string, { href: string } | undefined>;
    };
    expect(first).toMatchObject({ total: 3, pageSize: 2 });
    expect(first.clients).toHaveLength(2);
    expect(first._links.prev).toBeUndefined();
    expect(first._links.next?.href).toBe("/api/v1/clients?page=2&pageSize=2");
    const second = (await (await call(clients, first._links.next?.href ?? "", { headers: auth(otherToken) })).json()) as typeof first;
    expect(second.clients).toHaveLength(1);
    expect(second._links.next).toBeUndefined();
    expect(second._links.prev?.href).toBe("/api/v1/clients?page=1&pageSize=2");
    const tooBig = await call(clients, "/api/v1/clients?pageSize=1000", { headers: auth(otherToken) });
    expect((await expectProblem(tooBig, 400)).invalidParams?.map((p) => p.name)).toEqual(["pageSize"]);
  });
});

describe("rate limit per token", () => {
  it("a token bucket allows the limit per minute and says how long to wait", () => {
    let now = 0;
    const limiter = api.createRateLimiter({ perMinute: 3, now: () => now });
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBe(20);
    expect(limiter.take("b")).toBe(0);
    now = 20_000;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBeGreaterThan(0);
  });

  it("a burst over the limit with one token gets a 429 problem with Retry-After; another token goes on", async () => {
    const { getDb } = await import("~/utils/db.server");
    const user = await getDb().user.create({ data: { username: "cw-burst", displayName: "B", role: "caseworker", passwordHash: "x" } });
    const generated = api.newApiToken();
    await getDb().apiToken.create({ data: { name: "burst", tokenHash: generated.tokenHash, userId: user.id } });
    // The bucket refills continuously (limit/60 per second), so a few more than the limit pass while the
    // loop runs: how many depends on how long it ran (a busy CI machine), hence the bound from its time.
    let passed = 0;
    let refused: Response | undefined;
    const started = performance.now();
    for (let i = 0; i < api.API_RATE_LIMIT_PER_MINUTE * 5 && !refused; i++) {
      const response = await call(clients, "/api/v1/clients?pageSize=1", { headers: auth(generated.token) });
      if (response.status === 200) passed++;
      else refused = response;
    }
    const refilled = ((performance.now() - started) / 60_000) * api.API_RATE_LIMIT_PER_MINUTE;
    expect(passed).toBeGreaterThanOrEqual(api.API_RATE_LIMIT_PER_MINUTE);
    expect(passed).toBeLessThanOrEqual(api.API_RATE_LIMIT_PER_MINUTE + Math.ceil(refilled));
    if (!refused) throw new Error("never refused");
    await expectProblem(refused, 429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect((await call(clients, "/api/v1/clients", { headers: auth(otherToken) })).status).toBe(200);
  });
});

describe("OpenAPI document", () => {
  it("has a response schema for every path and method, problems for errors, and API-Version", async () => {
    const response = await call(openapi, "/api/v1/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("API-Version")).toBe(api.API_VERSION);
    const doc = (await response.json()) as {
      info: { version: string };
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: object }> }>>;
    };
    expect(doc.info.version).toBe(api.API_VERSION);
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations++;
        for (const [status, answer] of Object.entries(operation.responses)) {
          const where = `${method} ${path} ${status}`;
          expect(answer.headers, where).toHaveProperty("API-Version");
          const type = Number(status) >= 400 ? "application/problem+json" : "application/json";
          expect(answer.content?.[type]?.schema, where).toBeDefined();
        }
      }
    }
    expect(operations).toBe(7);
  });

  it("documents /recommendations with the schema the route validates with: strict numbers, no extra fields", async () => {
    const { openApiDocument } = await import("~/utils/api/openapi.server");
    const { RecommendationRequestSchema } = await import("~/utils/api/api-schemas");
    const documented = openApiDocument().paths["/recommendations"].post.requestBody.content["application/json"].schema;
    expect(documented).toEqual(z.toJSONSchema(RecommendationRequestSchema, { io: "input", unrepresentable: "any" }));
    const profile = (documented as unknown as { properties: { profile: { properties: Record<string, { type?: string }>; additionalProperties: unknown } } }).properties.profile;
    expect(profile.properties.aantal_kinderen?.type).toBe("integer");
    expect(profile.additionalProperties).toBe(false);
  });
});

describe("token scopes", () => {
  it("a read token lists the caseload but may not ask for advice or record a decision (403 naming the scope)", async () => {
    const { scopeAllows } = await import("~/utils/api/token-scope");
    expect([scopeAllows("read", "read"), scopeAllows("read", "recommend"), scopeAllows("recommend", "recommend"), scopeAllows("decide", "recommend")]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(scopeAllows("anything", "read")).toBe(false);
    const { getDb } = await import("~/utils/db.server");
    const user = await getDb().user.create({ data: { username: "cw-read", displayName: "R", role: "caseworker", passwordHash: "x" } });
    const generated = api.newApiToken();
    await getDb().apiToken.create({ data: { name: "read only", tokenHash: generated.tokenHash, userId: user.id, scope: "read" } });
    expect((await call(clients, "/api/v1/clients", { headers: auth(generated.token) })).status).toBe(200);
    const json = { method: "POST", headers: { ...auth(generated.token), "Content-Type": "application/json" }, body: "{}" };
    const advice = await expectProblem(await call(recommendations, "/api/v1/recommendations", json), 403);
    expect(JSON.stringify(advice)).toContain("'recommend'");
    await expectProblem(await call(decisions, "/api/v1/clients/x/decisions", json, { clientId: "x" }), 403);
  });
});
