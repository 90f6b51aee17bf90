import { expect, expectAccessible, login, test } from "./fixtures";
import { PROFILE } from "../fixtures/client-profile";

/** The administrator's page per user (teams, API tokens) and the manager's allocation of places. */
test.describe.configure({ mode: "serial" });

const RUN = Date.now() % 100000;
const TEAM = `Team Oost ${RUN}`;
const USERNAME = `km-e2e-${RUN}`;
let token = "";

test("an administrator assigns a team and makes an API token; the token appears beside its button, the team on the dashboard", async ({ page, browser }) => {
  await login(page, "admin");
  await page.goto("/admin/users");
  await page.getByLabel("Gebruikersnaam", { exact: true }).fill(USERNAME);
  await page.getByLabel("Weergavenaam").fill("Klantmanager E2E");
  await page.getByLabel("Wachtwoord", { exact: true }).fill("een-lang-genoeg-wachtwoord");
  await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
  // The confirmation appears beside the button that was used.
  await expect(page.getByRole("form", { name: "Gebruiker aanmaken" }).getByTestId("create-result")).toContainText("Opgeslagen");
  await page.getByLabel("Zoek op gebruikersnaam, naam of team").fill(USERNAME);
  await page.getByRole("button", { name: "Zoeken" }).click();
  await expect(page.getByTestId("users").getByRole("row")).toHaveCount(2);
  await expectAccessible(page);
  await page.getByRole("link", { name: USERNAME, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(USERNAME);
  await page.getByRole("textbox", { name: "Team", exact: true }).fill(TEAM);
  await page.getByRole("button", { name: "Team opslaan" }).click();
  await expect(page.getByTestId("result-team")).toContainText("Opgeslagen");
  await expect(page.getByTestId("user-team")).toHaveText(TEAM);

  await page.getByLabel("Naam", { exact: true }).fill("e2e toewijzing");
  await page.getByLabel("Geldig (dagen; leeg: tot intrekken)").fill("30");
  await page.getByLabel("Wat het token mag").selectOption("recommend");
  const form = page.getByRole("form", { name: "API-token maken" });
  await form.getByRole("button", { name: "API-token maken" }).click();
  // The one-time token is shown inside the form whose button made it.
  const shown = form.getByTestId("api-token");
  await expect(shown).toHaveText(/^tw_/);
  token = (await shown.textContent()) ?? "";
  await expect(page.getByTestId("tokens")).toContainText("advies vragen en lezen");
  await expectAccessible(page);

  // The administrator's own account offers no deactivation, and a forged one is refused.
  await page.goto("/admin/users?q=admin");
  await page.getByRole("link", { name: "admin", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(admin)");
  await expect(page.getByRole("button", { name: "Deactiveren" })).toHaveCount(0);
  const ownId = new URL(page.url()).pathname.split("/").pop() ?? "";
  const forged = await page.request.post(page.url(), {
    form: { intent: "active", userId: ownId, active: "false" },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(forged.status()).toBe(400);
  expect(await forged.text()).toContain("eigen rol of account");

  const manager = await (await browser.newContext()).newPage();
  await login(manager, "manager");
  await manager.goto("/dashboard");
  await expect(manager.getByLabel("Team").locator("option", { hasText: TEAM })).toHaveCount(1);
  await manager.context().close();
});

test("the manager sees the waiting clients divided within the places, against first come first served", async ({ page, request }) => {
  test.setTimeout(360_000);
  expect(token).toMatch(/^tw_/);
  // Twelve clients wait for a trajectory: registered and advised through the API, no decision yet.
  const headers = { Authorization: `Bearer ${token}` };
  for (let i = 0; i < 12; i++) {
    const profile = { ...PROFILE, maanden_sinds_werk: 3 + i * 5, problematische_schulden: i % 2 };
    const created = await request.post("/api/v1/clients", { headers, data: { reference: `e2e-toewijzing-${Date.now()}-${i}`, profile } });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    expect((await request.get(`/api/v1/clients/${id}/recommendation`, { headers })).status()).toBe(200);
  }
  await login(page, "manager");
  await page.getByRole("link", { name: "Toewijzing" }).click();
  await expect(page.getByRole("heading", { name: "Toewijzing van plaatsen", level: 1 })).toBeVisible();
  // One place in every trajectory but regular guidance, for today.
  const arms = await page.getByLabel("Traject", { exact: true }).locator("option").allTextContents();
  expect(arms.length).toBeGreaterThan(1);
  for (const arm of arms) {
    await page.getByLabel("Traject", { exact: true }).selectOption({ label: arm });
    await page.getByLabel("Plaatsen", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Plaatsen opslaan" }).click();
    await expect(page.getByTestId("alloc-result")).toContainText("opgeslagen");
  }
  await expect(page.getByTestId("places")).toContainText("ingesteld door een manager");
  await expect(page.getByTestId("alloc-waiting")).toBeVisible();
  const number = async (id: string) => Number(((await page.getByTestId(id).textContent()) ?? "").replace(",", "."));
  const optimal = await number("alloc-optimal");
  const fcfs = await number("alloc-fcfs");
  expect(optimal).toBeGreaterThan(0);
  expect(optimal).toBeGreaterThanOrEqual(fcfs);
  await expect(page.getByTestId("alloc-per-arm")).toContainText("Reguliere begeleiding");
  await expectAccessible(page);

  // A forged request for regular guidance (never limited) is refused.
  const forged = await page.request.post("/allocation", {
    form: { arm: "regulier", places: "0", startsOn: "2026-01-01", endsOn: "2026-12-31" },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(forged.status()).toBe(400);
});
