import { expect, login, test } from "./fixtures";

test("security headers: a nonce-based CSP, no framing, no sniffing; every inline script carries the nonce", async ({ request }) => {
  const response = await request.get("/login");
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? "");
  expect(scripts.length).toBeGreaterThan(0);
  for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  // A new nonce per response.
  const again = /'nonce-([^']+)'/.exec((await request.get("/login")).headers()["content-security-policy"] ?? "")?.[1];
  expect(again).not.toBe(nonce);
});

test("CSRF: a state-changing request from another origin, or without any origin, is refused", async ({ page, request, baseURL }) => {
  await login(page, "klantmanager1");
  const cookies = await page.context().cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const forged = await request.post("/clients/new", {
    headers: { Cookie: cookie, Origin: "http://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "reference=CSRF-0001",
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  const noOrigin = await request.post("/logout", { headers: { Cookie: cookie }, maxRedirects: 0 });
  expect(noOrigin.status()).toBe(403);
  // The same logout from our own origin works.
  const own = await request.post("/logout", { headers: { Cookie: cookie, Origin: baseURL ?? "" }, maxRedirects: 0 });
  expect(own.status()).toBe(302);
});

test("the session cookie is httpOnly and SameSite; a forged cookie is not a session", async ({ page, request }) => {
  await login(page, "klantmanager1", undefined, { fresh: true });
  const session = (await page.context().cookies()).find((c) => c.name === "tw_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  const forged = await request.get("/clients", { headers: { Cookie: "tw_session=forged.value" }, maxRedirects: 0 });
  expect(forged.status()).toBe(302);
  expect(forged.headers().location).toMatch(/^\/login/);
});

test("bad input never yields a stack trace or an internal path", async ({ request }) => {
  const probes = [
    request.get("/clients/%E0%A4%A"),
    request.get("/does-not-exist"),
    request.post("/api/v1/recommendations", { headers: { Authorization: "Bearer x", "Content-Type": "application/json" }, data: "{not json" }),
    request.get("/audit?page=-1&from=notadate"),
  ];
  for (const response of await Promise.all(probes)) {
    expect(response.status()).toBeLessThan(500);
    const body = await response.text();
    // No stack frames and no server paths (Remix's own "No route matches URL" text is fine).
    expect(body).not.toMatch(/\/work\/|node_modules|\bat [\w.<>]+ \(|\.tsx?:\d+/);
  }
});
