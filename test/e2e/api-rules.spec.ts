import { expect, test } from "@playwright/test";

/**
 * The JSON API's HTTP rules and /health through the real server (express + Remix), without a token:
 * what the route modules' unit tests (test/unit/api-rules.test.ts) cannot show is that nothing on
 * the way (routing, the express layer, compression) loses a header or turns a problem into HTML.
 */
test("API problems, headers, methods and limits on the real server", async ({ request }) => {
  const problem = async (response: Awaited<ReturnType<typeof request.get>>, status: number) => {
    expect(response.status()).toBe(status);
    expect(response.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.headers()["api-version"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(await response.json()).toMatchObject({ type: "about:blank", status });
  };
  await problem(await request.get("/api/v1/clients"), 401);
  await problem(await request.get("/api/v1/no/such/path"), 404);
  await problem(await request.post("/api/v1/no-such-thing", { data: {} }), 404);
  const del = await request.delete("/api/v1/clients");
  await problem(del, 405);
  expect(del.headers().allow).toBe("GET, POST, HEAD, OPTIONS");
  const options = await request.fetch("/api/v1/recommendations", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers().allow).toBe("POST, OPTIONS");
  // Over 1 MB: refused by the server before the route (and before authentication).
  const big = await request.post("/api/v1/recommendations", { headers: { "Content-Type": "application/json" }, data: `"${"x".repeat(1024 * 1024 + 10)}"` });
  await problem(big, 413);
  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(openapi.headers()["api-version"]).toBe((await openapi.json()).info.version);
});

test("GET /health: 200 with the active model and its disclosure status, nothing personal", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const health = await response.json();
  expect(health).toMatchObject({ status: "ok", database: { reachable: true }, model: { disclosure: "passed" } });
  expect(health.model.version).toMatch(/\S/);
  expect(Object.keys(health).sort()).toEqual(["database", "model", "status"]);
});
