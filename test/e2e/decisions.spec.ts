import { answerChoicesAndNumbers, answerYesNo, expect, expectAccessible, intakeClient, login, test } from "./fixtures";

test("intake of a new client, inline errors, then advice, a deviating decision with a reason, and an outcome", async ({ page }) => {
  // Many steps through three forms: more than the default minute on a busy machine.
  test.setTimeout(240_000);
  await login(page, "klantmanager2");
  await page.getByRole("link", { name: "Nieuwe cliënt" }).click();
  await expect(page.getByRole("heading", { name: "Nieuwe cliënt" })).toBeVisible();
  await expectAccessible(page);

  // A bad reference and a contradiction: errors at the fields, in Dutch, and nothing saved.
  await page.getByLabel("Dossiernummer gemeente").fill("x");
  await answerChoicesAndNumbers(page);
  await page.getByLabel("Aantal kinderen").fill("0");
  await answerYesNo(page, ["Jongste kind 0–4 jaar"]);
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();
  await expect(page.getByRole("alert")).toContainText("Het formulier bevat 2 fout(en)");
  await expect(page.getByText("Vul het dossiernummer in: 4 tot 40 letters, cijfers of streepjes.")).toBeVisible();
  await expect(page.getByText("Er zijn geen kinderen opgegeven.")).toBeVisible();
  await expectAccessible(page);

  const reference = `E2E-${Date.now()}`;
  await page.getByLabel("Dossiernummer gemeente").fill(reference);
  await answerYesNo(page, ["Problematische schulden"]);
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();
  await expect(page.getByTestId("ranking")).toBeVisible();
  // The reference itself is never shown back; the client gets a code.
  await expect(page.getByText(reference)).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Cliënt TW-[A-Z0-9]{10}$/);

  const top = await page.locator('tr[data-rank="1"]').getAttribute("data-arm");
  const other = top === "regulier" ? "jobcoaching" : "regulier";
  await page.getByLabel("Gekozen traject").selectOption(other);
  await page.getByRole("button", { name: "Besluit opslaan" }).click();
  await expect(page.getByText("Kies waarom u afwijkt van het advies.")).toBeVisible();
  await page.getByLabel("Gekozen traject").selectOption(other);
  await page.getByLabel("Reden van afwijken").selectOption("client_preference");
  await page.getByLabel("Toelichting").fill("Cliënt wil eerst met een vrijwilliger oefenen.");
  await page.getByRole("button", { name: "Besluit opslaan" }).click();
  const decisions = page.getByTestId("decisions");
  await expect(decisions).toContainText("Voorkeur of motivatie van de cliënt");
  await expect(decisions.locator("tbody tr")).toHaveCount(1);

  // The outcome's yes/no questions start unanswered; the work start lies between the decision and today.
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
  await page.locator("#work-yes").check();
  for (const name of ["leftBenefits", "wmoAfter", "debtsAfter"]) await page.locator(`#${name}-no`).check();
  await page.getByLabel("Startdatum werk").fill(today);
  await page.getByLabel("Uren per week").fill("24");
  await page.getByRole("button", { name: "Uitkomst opslaan" }).click();
  await expect(page.getByTestId("outcomes").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("outcomes")).toContainText(today.split("-").reverse().join("-"));
  await expect(page.getByTestId("saved-notice")).toHaveText("Uitkomst opgeslagen als versie 1.");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/login/);
  const response = await page.goto("/clients");
  expect(new URL(page.url()).pathname).toBe("/login");
  expect(response?.status()).toBe(200);
});

test("what-if: resolving the debts recomputes the chances through the model", async ({ page }) => {
  await login(page, "klantmanager1");
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  await intakeClient(page, ["Problematische schulden"]);
  const before = await page.locator(".chance-value").allTextContents();
  await page.getByLabel("Stel: de schulden zijn onder controle").check();
  await expect(page).toHaveURL(/whatif=schulden_opgelost/);
  await expect.poll(async () => (await page.locator(".chance-value").allTextContents()).join(",")).not.toBe(before.join(","));
  await expect(page.getByText("Zet de wat-als-opties uit")).toBeVisible();
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("login, caseload and client advice work as plain HTML forms", async ({ page }) => {
    await login(page, "klantmanager1", undefined, { fresh: true });
    await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
    await page.getByRole("table").getByRole("link").first().click();
    await expect(page.getByTestId("ranking").locator("tbody tr")).toHaveCount(8);
  });
});

test("a manager browses the audit log and finds client views, without personal data", async ({ page }) => {
  await login(page, "manager");
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Auditlog" })).toBeVisible();
  await page.getByLabel("Handeling").selectOption("client.view");
  await page.getByRole("button", { name: "Filteren" }).click();
  const rows = page.getByTestId("audit").locator("tbody tr");
  await expect(rows.first()).toContainText("Cliëntdossier ingezien");
  await expect(rows.first()).toContainText(/TW-[A-Z0-9]{10}/);
  await expectAccessible(page);
  // A manager is not a case worker: the caseload is refused on the server.
  const response = await page.goto("/clients");
  expect(response?.status()).toBe(403);
});
