import { DEMO_PASSWORD, expect, intakeClient, login, test } from "./fixtures";

/**
 * HTTP-level checks of the outside probe's findings against a real server: where redirects may
 * go, that pages with personal or secret data are never stored by a browser or proxy, and that
 * bad input is a 4xx with a message, never a 5xx.
 */

function expectNoStore(headers: Record<string, string>, what: string) {
  expect(headers["cache-control"] ?? "", what).toContain("no-store");
}

test("open redirect: login and the language switch stay on our origin", async ({ request, baseURL }) => {
  const origin = new URL(baseURL ?? "http://localhost").origin;
  for (const redirectTo of ["/\t/evil.example", "/\\evil.example", "//evil.example", "https://evil.example/"]) {
    const lang = await request.post("/lang", { form: { lang: "nl", redirectTo }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(lang.status()).toBe(302);
    expect(new URL(lang.headers().location ?? "", origin).origin, JSON.stringify(redirectTo)).toBe(origin);
    const signIn = await request.post("/login", {
      form: { username: "klantmanager2", password: DEMO_PASSWORD, redirectTo },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(signIn.status()).toBe(302);
    expect(new URL(signIn.headers().location ?? "", origin).origin, JSON.stringify(redirectTo)).toBe(origin);
  }
});

test("no-store on pages and data with personal or secret data", async ({ page }) => {
  await login(page, "klantmanager1");
  await intakeClient(page);
  const clientPath = new URL(page.url()).pathname;
  for (const path of ["/clients", "/clients/new", clientPath, `${clientPath}.data`, `${clientPath}.data?whatif=problematische_schulden`, "/clients.data", "/account"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(400);
    expectNoStore(response.headers(), path);
  }
  await page.context().clearCookies();
  await login(page, "admin");
  for (const path of ["/admin/users", "/admin/users.data", "/audit", "/audit.data", "/models", "/models/train"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(400);
    expectNoStore(response.headers(), path);
  }
  // The page that shows a new API token once: the action's answer too.
  const token = await page.request.post("/admin/users", {
    form: { intent: "token", userId: "nope", name: "probe" },
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expectNoStore(token.headers(), "POST /admin/users");
  // The second-factor step (a pending login).
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Gebruikersnaam").fill("admin");
  await page.getByLabel("Wachtwoord").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await page.waitForURL(/\/login\/totp$/);
  for (const path of ["/login/totp", "/login/totp.data"]) {
    const totp = await page.request.get(path, { maxRedirects: 0 });
    expect(totp.status(), path).toBe(200);
    expectNoStore(totp.headers(), path);
  }
  // Static assets may still be cached.
  const html = await (await page.request.get("/login")).text();
  const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0];
  expect(asset).toBeTruthy();
  expect((await page.request.get(asset ?? "")).headers()["cache-control"]).not.toContain("no-store");
});

test("bad input over HTTP: 4xx with a message, never a 5xx", async ({ page, request, baseURL }) => {
  const origin = new URL(baseURL ?? "http://localhost").origin;
  const bodies: { type?: string; data: string }[] = [
    { type: "application/json", data: "{}" },
    { type: "text/plain", data: "username=x" },
    { data: "username=x" },
    { type: "multipart/form-data; boundary=abc", data: "--xyz\r\nbroken" },
  ];
  for (const body of bodies) {
    for (const path of ["/login", "/lang"]) {
      const response = await request.post(path, {
        headers: { Origin: origin, ...(body.type ? { "Content-Type": body.type } : {}) },
        data: Buffer.from(body.data),
        maxRedirects: 0,
      });
      expect(response.status(), `${path} ${body.type}`).toBeGreaterThanOrEqual(400);
      expect(response.status(), `${path} ${body.type}`).toBeLessThan(500);
    }
  }
  const json = await request.post("/login", { headers: { Origin: origin, "Content-Type": "application/json" }, data: "{}", maxRedirects: 0 });
  expect(json.status()).toBe(415);
  expect(await json.text()).toContain("application/x-www-form-urlencoded of multipart/form-data");
  // A browser that sends Origin: null (a privacy setting) with a same-site Referer.
  const nullOrigin = await request.post("/lang", {
    form: { lang: "en", redirectTo: "/login" },
    headers: { Origin: "null", Referer: `${origin}/login` },
    maxRedirects: 0,
  });
  expect(nullOrigin.status()).toBe(302);
  expect(nullOrigin.headers().location).toBe("/login");
  // A carriage return in the redirect target.
  const carriageReturn = await request.post("/lang", {
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    data: "lang=nl&redirectTo=/%0D/x",
    maxRedirects: 0,
  });
  expect(carriageReturn.status()).toBe(302);
  expect(carriageReturn.headers().location).toBe("/");
  await login(page, "admin");
  expect((await page.request.get("/audit?to=9999-12-31")).status()).toBe(200);
  const token = await page.request.post("/admin/users", { form: { intent: "token", userId: "nope", name: "probe" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(token.status()).toBe(404);
});
