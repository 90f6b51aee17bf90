import { answerChoicesAndNumbers, answerYesNo, expect, expectAccessible, login, test } from "./fixtures";

test("the advice shows per trajectory the effects on work, hours, care need, problem debts and leaving benefits", async ({ page }) => {
  test.setTimeout(180_000);
  await login(page, "klantmanager2");
  await page.goto("/clients/new");
  await page.getByLabel("Dossiernummer gemeente").fill(`E2E-SEC-${Date.now()}`);
  await answerChoicesAndNumbers(page);
  await answerYesNo(page);
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();

  const ranking = page.getByTestId("ranking");
  await expect(ranking).toBeVisible();
  // One column per outcome: work (chance and gain) and the four secondary outcomes of the configuration (hours a week among them).
  const headers = ranking.locator("thead th");
  for (const name of [
    "Kans op werk",
    "Uren betaald werk per week",
    "Uitkering beëindigd binnen 12 maanden",
    "Wmo-ondersteuning na 12 maanden",
    "Problematische schulden na 12 maanden",
  ]) {
    await expect(headers.filter({ hasText: name })).toHaveCount(1);
  }
  // Every eligible trajectory other than regular guidance has a difference with a 95% interval and a verdict per outcome.
  const rows = ranking.locator("tbody tr:not(.not-eligible)");
  const others = rows.filter({ hasNot: page.locator('[data-arm="regulier"]') });
  const eligible = await ranking.locator('tbody tr:not(.not-eligible):not([data-arm="regulier"])').count();
  expect(eligible).toBeGreaterThan(0);
  expect(await others.count()).toBeGreaterThan(0);
  const effects = ranking.getByTestId("secondary-effect");
  expect(await effects.count()).toBe(eligible * 4);
  for (const outcome of ["uitstroom_12m", "wmo_12m", "schulden_12m"]) {
    const first = effects.and(page.locator(`[data-outcome="${outcome}"]`)).first();
    await expect(first).toContainText(/[+−±]\d+ procentpunt \([+−±]\d+ … [+−±]\d+\) (niet duidelijk anders|duidelijk gunstiger|duidelijk ongunstiger)/);
    await expect(first).toHaveAttribute("title", /95%-interval/);
  }
  // Hours a week on their own scale: a difference in hours with its interval, not in percentage points.
  const hours = effects.and(page.locator('[data-outcome="uren_per_week"]')).first();
  await expect(hours).toContainText(/[+−±]\d+,\d uur per week \([+−±]\d+,\d … [+−±]\d+,\d\) (niet duidelijk anders|duidelijk gunstiger|duidelijk ongunstiger)/);
  // Regular guidance is the comparison: no difference of its own.
  await expect(ranking.locator('tr[data-arm="regulier"]').getByTestId("secondary-effect")).toHaveCount(0);
  // The note: what the columns mean, the order is on work only (no weights in the default configuration).
  await expect(page.getByTestId("secondary-note")).toContainText("Een interval dat nul bevat betekent: niet duidelijk anders");
  await expect(page.getByTestId("secondary-ranking")).toHaveText(/alleen over de kans op werk/);
  await expectAccessible(page);
});

test("a manager sees the 'keep effects measurable' setting, off by default, behind a confirmation", async ({ page }) => {
  await login(page, "manager");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Effecten meetbaar houden" })).toBeVisible();
  await expect(page.getByTestId("measurable-state")).toContainText("Nu: uit.");
  await expect(page.getByLabel("Ik heb gelezen wat deze instelling doet en wil haar wijzigen")).toHaveAttribute("required", "");
  await expect(page.getByRole("button", { name: "Aanzetten" })).toBeVisible();
  await expectAccessible(page);
});
