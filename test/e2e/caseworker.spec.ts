import { expect, expectAccessible, login, test } from "./fixtures";

test("a case worker logs in, opens a client and sees trajectories ranked by the real model", async ({ page }) => {
  // The first visit after start-up and two axe passes over the full advice page: more than a minute on a busy machine.
  test.setTimeout(120_000);
  await login(page, "klantmanager1");
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

test("another case worker cannot open that client: 404, nothing learned", async ({ page }) => {
  await login(page, "klantmanager1");
  const href = await page.getByRole("table").getByRole("link").first().getAttribute("href");
  expect(href).toMatch(/^\/clients\//);
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/login/);

  await login(page, "klantmanager2");
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  const response = await page.goto(href ?? "/");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("ranking")).toHaveCount(0);
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
