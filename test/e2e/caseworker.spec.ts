import { expect, expectAccessible, login, test } from "./fixtures";

test("a case worker logs in, opens a client and sees trajectories ranked by the real model", async ({ page }) => {
  // The first visit after start-up and two axe passes over the full advice page: more than a minute on a busy machine.
  test.setTimeout(240_000);
  await login(page, "klantmanager1", undefined, { fresh: true });
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  await expectAccessible(page);

  const firstClient = page.getByRole("table").getByRole("link").first();
  const code = await firstClient.textContent();
  expect(code).toMatch(/^TW-[A-Z0-9]{10}$/);
  await firstClient.click();
  await expect(page.getByRole("heading", { name: `Cliënt ${code}` })).toBeVisible();

  const rows = page.getByTestId("ranking").locator("tbody tr");
  await expect(rows).toHaveCount(8);
  // Ranks 1..k on the eligible arms, in order, and the chances are model outputs (percentages, not all equal).
  const ranks = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-rank")).filter((r) => r !== ""));
  expect(ranks.length).toBeGreaterThan(1);
  expect(ranks).toEqual(ranks.map((_, i) => String(i + 1)));
  const chances = await page.locator(".chance-value").allTextContents();
  expect(chances.every((c) => /^\d{1,3}%$/.test(c))).toBe(true);
  expect(new Set(chances).size).toBeGreaterThan(1);
  await expect(page.getByTestId("model-version")).not.toBeEmpty();
  await expectAccessible(page);
});

test("another case worker opens that client only after stating why: read only, the reason in the audit log", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await login(page, "klantmanager1");
  const link = page.getByRole("table").getByRole("link").first();
  const href = await link.getAttribute("href");
  const code = ((await link.textContent()) ?? "").trim();
  expect(href).toMatch(/^\/clients\//);
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/login/);

  await login(page, "klantmanager2");
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  // Not in this case worker's caseload: a reason first, nothing of the file before it.
  const response = await page.goto(href ?? "/");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Dit dossier hoort niet bij uw caseload" })).toBeVisible();
  await expect(page.getByTestId("ranking")).toHaveCount(0);
  await expect(page.getByRole("main")).not.toContainText(code);
  await expectAccessible(page);
  const form = page.getByTestId("access-reason");
  await form.getByLabel("Anders").check();
  await form.getByRole("button", { name: "Dossier openen" }).click();
  await expect(form).toContainText("Geef bij 'Anders' een toelichting");
  await form.getByLabel("Vervanging collega").check();
  await form.getByRole("button", { name: "Dossier openen" }).click();
  // The file opens, read only, saying why.
  await expect(page.getByRole("heading", { name: `Cliënt ${code}` })).toBeVisible();
  await expect(page.getByTestId("stated-reason")).toContainText("met als reden: Vervanging collega");
  await expect(page.getByTestId("ranking")).toBeVisible();
  await expect(page.getByRole("button", { name: "Besluit opslaan" })).toHaveCount(0);

  // The privacy officer's view: this view with its reason.
  const manager = await (await browser.newContext()).newPage();
  await login(manager, "manager");
  await manager.goto(`/audit?client=${code}&action=client.view`);
  const row = manager.getByTestId("audit").locator("tbody tr").first();
  await expect(row).toContainText("Klantmanager Twee");
  await expect(row.getByTestId("audit-reason")).toHaveText("Vervanging collega");
  await manager.context().close();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await login(page, "klantmanager1", "not-the-password", { expectSuccess: false });
  await expect(page.getByRole("alert")).toHaveText("Gebruikersnaam of wachtwoord onjuist.");
  await expectAccessible(page);
});

test("English is one click away: headings and the page title follow the language", async ({ page }) => {
  await login(page, "klantmanager1");
  await expect(page).toHaveTitle("Mijn cliënten — Trajectwijzer");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "My clients" })).toBeVisible();
  await expect(page).toHaveTitle("My clients — Trajectwijzer");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Nederlands" }).click();
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
});
