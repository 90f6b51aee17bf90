import { expect, expectAccessible, login, test } from "./fixtures";

const PAGES = ["/clients", "/clients/new", "/audit", "/admin/users", "/models"];
const ALLOWED: Record<string, string[]> = {
  klantmanager1: ["/clients", "/clients/new"],
  manager: ["/audit"],
  datascientist: ["/models"],
  admin: ["/admin/users", "/audit", "/models"],
};

test("not signed in: every page redirects to the login, every API endpoint answers 401", async ({ request, baseURL }) => {
  const requestBase = baseURL ?? "http://localhost";
  const everyPage = [
    ...PAGES,
    "/clients/some-id",
    "/dashboard",
    "/dashboard/csv/adoption.csv",
    "/account",
    "/models/train",
    "/models/some-id",
    "/models/some-id/compare",
    "/models/some-id/card.md",
    "/models/some-id/register.json",
    "/models/some-id/register.md",
    "/models/runs/some-id",
    "/models/runs/some-id/events",
  ];
  for (const path of everyPage) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(302);
    expect(response.headers().location, path).toMatch(/^\/login\?redirectTo=/);
  }
  // State-changing posts without a session (same origin, so CSRF passes): refused, nothing done.
  for (const path of ["/clients/new", "/clients/some-id", "/admin/users", "/models/train", "/models/some-id", "/account"]) {
    const response = await request.post(path, { form: { intent: "create" }, headers: { Origin: new URL(requestBase).origin }, maxRedirects: 0 });
    expect(response.status(), `POST ${path}`).toBe(302);
    expect(response.headers().location, `POST ${path}`).toMatch(/^\/login/);
  }
  const api: [string, string][] = [
    ["GET", "/api/v1/clients"],
    ["POST", "/api/v1/clients"],
    ["POST", "/api/v1/recommendations"],
    ["GET", "/api/v1/clients/x/recommendation"],
    ["GET", "/api/v1/clients/x/decisions"],
    ["POST", "/api/v1/clients/x/decisions"],
  ];
  for (const [method, path] of api) {
    const response = await request.fetch(path, { method, headers: { Authorization: "Bearer tw_forgedforgedforgedforgedforged" }, data: {} });
    expect(response.status(), `${method} ${path}`).toBe(401);
    expect(response.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.headers()["api-version"]).toBeTruthy();
    const body = await response.json();
    expect(body).toMatchObject({ status: 401, title: "Unauthorized" });
  }
});

/**
 * Each distinct page gets one accessibility scan in this file, not one per visit: an allowed page once
 * (whoever opens it first), the 403 page once per role (its navigation is the role's). The status of
 * every visit is still checked.
 */
const scanned = new Set<string>();

for (const [username, allowed] of Object.entries(ALLOWED)) {
  test(`role of ${username}: allowed pages open, the others are 403`, async ({ page }) => {
    await login(page, username);
    for (const path of PAGES) {
      const response = await page.goto(path);
      const status = allowed.includes(path) ? 200 : 403;
      expect(response?.status(), `${username} ${path}`).toBe(status);
      const distinct = status === 200 ? path : `403 ${username}`;
      if (scanned.has(distinct)) continue;
      await expectAccessible(page);
      scanned.add(distinct);
    }
  });
}

test("API: a case worker's token works for own clients, 404 for another's, 401 once revoked; OpenAPI is served", async ({ page, request }) => {
  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  const doc = await openapi.json();
  expect(Object.keys(doc.paths)).toContain("/recommendations");
  expect(doc.paths["/recommendations"].post.requestBody.content["application/json"].schema.properties.profile.properties).toHaveProperty("problematische_schulden");

  await login(page, "admin");
  let previous = "";
  const tokenFor = async (username: string) => {
    await page.goto(`/admin/users?q=${username}`);
    await page.getByRole("link", { name: username, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`(${username})`);
    await page.getByLabel("Naam", { exact: true }).fill(`e2e ${username}`);
    await page.getByLabel("Wat het token mag").selectOption("decide");
    await page.getByRole("button", { name: "API-token maken" }).click();
    // The one-time token appears beside the button that made it.
    const shown = page.getByTestId("result-token").getByTestId("api-token");
    await expect(shown).not.toHaveText(previous);
    previous = (await shown.textContent()) ?? "";
    return previous;
  };
  const token1 = await tokenFor("klantmanager1");
  const token2 = await tokenFor("klantmanager2");
  expect(token1).toMatch(/^tw_/);
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  const list = await request.get("/api/v1/clients", { headers: auth(token1) });
  expect(list.status()).toBe(200);
  const { clients } = await list.json();
  const clientId = clients[0].id as string;

  const rec = await request.get(`/api/v1/clients/${clientId}/recommendation`, { headers: auth(token1) });
  expect(rec.status()).toBe(200);
  const recommendation = await rec.json();
  expect(recommendation.arms).toHaveLength(8);
  expect(recommendation.arms[0].rank).toBe(1);

  expect((await request.get(`/api/v1/clients/${clientId}/recommendation`, { headers: auth(token2) })).status()).toBe(404);
  expect((await request.get(`/api/v1/clients/${clientId}/decisions`, { headers: auth(token2) })).status()).toBe(404);

  // A bad body names the field; a deviating decision without a reason is refused; a stale version conflicts.
  const bad = await request.post("/api/v1/recommendations", { headers: auth(token1), data: { profile: { leeftijdsklasse: "12-17" } } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).invalidParams.map((d: { name: string }) => d.name)).toContain("profile.leeftijdsklasse");
  const decisions = await (await request.get(`/api/v1/clients/${clientId}/decisions`, { headers: auth(token1) })).json();
  const top = recommendation.arms.find((a: { rank: number | null }) => a.rank === 1).arm as string;
  const other = top === "regulier" ? "jobcoaching" : "regulier";
  const noReason = await request.post(`/api/v1/clients/${clientId}/decisions`, {
    headers: auth(token1),
    data: { version: decisions.clientVersion, recommendationId: recommendation.recommendationId, chosenArm: other },
  });
  expect(noReason.status()).toBe(400);
  const followed = await request.post(`/api/v1/clients/${clientId}/decisions`, {
    headers: auth(token1),
    data: { version: decisions.clientVersion, recommendationId: recommendation.recommendationId, chosenArm: top },
  });
  expect(followed.status()).toBe(201);
  const stale = await request.post(`/api/v1/clients/${clientId}/decisions`, {
    headers: auth(token1),
    data: { version: decisions.clientVersion, recommendationId: recommendation.recommendationId, chosenArm: top },
  });
  expect(stale.status()).toBe(409);

  // Revoke klantmanager1's token in the UI: the next call is 401.
  await page.goto("/admin/users?q=klantmanager1");
  await page.getByRole("link", { name: "klantmanager1", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(klantmanager1)");
  const tokenRow = page.getByTestId("tokens").getByRole("row").filter({ hasText: "e2e klantmanager1" }).first();
  await tokenRow.getByRole("button", { name: "Intrekken" }).click();
  await expect(page.getByTestId("result-revoke")).toContainText("Opgeslagen");
  await expect(page.getByTestId("tokens").getByRole("row").filter({ hasText: "e2e klantmanager1" }).first()).toContainText("Ingetrokken op");
  expect((await request.get("/api/v1/clients", { headers: auth(token1) })).status()).toBe(401);
});

test("deactivating an account ends its sessions at once", async ({ browser }) => {
  const worker = await browser.newPage();
  await login(worker, "klantmanager2");
  await expect(worker.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();

  const admin = await browser.newPage();
  await login(admin, "admin");
  await admin.goto("/admin/users?q=klantmanager2");
  await admin.getByRole("link", { name: "klantmanager2", exact: true }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toContainText("(klantmanager2)");
  await admin.getByRole("button", { name: "Deactiveren" }).click();
  await expect(admin.getByTestId("result-active")).toContainText("Opgeslagen");
  await expect(admin.getByTestId("user-status")).toHaveText("Gedeactiveerd");
  // A deactivated account is offered no API token.
  await expect(admin.getByRole("button", { name: "API-token maken" })).toHaveCount(0);
  await expect(admin.getByTestId("no-token-inactive")).toBeVisible();

  await worker.reload();
  await expect(worker).toHaveURL(/\/login/);
  await login(worker, "klantmanager2", undefined, { expectSuccess: false });
  await expect(worker.getByRole("alert")).toHaveText("Gebruikersnaam of wachtwoord onjuist.");

  // Reactivate so other tests keep their case worker.
  await admin.getByRole("button", { name: "Activeren" }).click();
  await expect(admin.getByTestId("user-status")).toHaveText("Actief");
});
