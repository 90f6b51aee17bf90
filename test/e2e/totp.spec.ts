import { hotp, totpStep } from "../../app/utils/auth/totp";
import { DEMO_PASSWORD, expect, expectAccessible, login, nextTotpCode, test } from "./fixtures";

async function passwordStep(page: import("@playwright/test").Page, username: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
}

test("an admin needs a code after the password; a wrong or replayed code is refused", async ({ page, browser }) => {
  await passwordStep(page, "admin");
  await expect(page).toHaveURL(/\/login\/totp$/);
  await expectAccessible(page);
  // The password alone is not a session.
  expect((await page.goto("/admin/users"))?.url()).toMatch(/\/login/);

  await passwordStep(page, "admin");
  await page.getByLabel("Code (6 cijfers)").fill("000000");
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Deze code klopt niet");

  const code = await nextTotpCode("admin");
  await page.getByLabel("Code (6 cijfers)").fill(code);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users/);

  // The same code again, from another browser: refused.
  const other = await browser.newPage();
  await passwordStep(other, "admin");
  await other.getByLabel("Code (6 cijfers)").fill(code);
  await other.getByRole("button", { name: "Inloggen", exact: true }).click();
  await expect(other.getByRole("alert")).toContainText("Deze code klopt niet");
});

test("a new data scientist must set up the second factor at first login", async ({ page, browser }) => {
  await login(page, "admin");
  const username = `ds${Date.now() % 100000}`;
  await page.getByLabel("Gebruikersnaam", { exact: true }).fill(username);
  await page.getByLabel("Weergavenaam").fill("Nieuwe data scientist");
  await page.locator("#new-role").selectOption("datascientist");
  await page.locator("#new-password").fill("een-lang-wachtwoord-2026");
  await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
  await expect(page.getByRole("status")).toContainText("Opgeslagen.");

  const ds = await (await browser.newContext()).newPage();
  await passwordStep(ds, username, "een-lang-wachtwoord-2026");
  await expect(ds).toHaveURL(/\/login\/totp-setup$/);
  await expectAccessible(ds);
  const secret = ((await ds.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await ds.getByLabel("Code (6 cijfers)").fill(hotp(secret, totpStep(Date.now())));
  await ds.getByRole("button", { name: "Activeren en inloggen" }).click();
  await expect(ds).toHaveURL(/\/models/);
});

test("a case worker may turn the second factor on, and then needs it, and off again", async ({ page, browser }) => {
  await login(page, "admin");
  const username = `cw${Date.now() % 100000}`;
  await page.getByLabel("Gebruikersnaam", { exact: true }).fill(username);
  await page.getByLabel("Weergavenaam").fill("Nieuwe klantmanager");
  await page.locator("#new-password").fill("een-lang-wachtwoord-2026");
  await page.getByRole("button", { name: "Gebruiker aanmaken" }).click();
  await expect(page.getByRole("status")).toContainText("Opgeslagen.");

  const cw = await (await browser.newContext()).newPage();
  await passwordStep(cw, username, "een-lang-wachtwoord-2026");
  await expect(cw).toHaveURL(/\/clients/);
  await cw.getByRole("link", { name: "Nieuwe klantmanager" }).click();
  await expect(cw.getByRole("heading", { name: "Mijn account" })).toBeVisible();
  await cw.getByRole("button", { name: "Tweede stap instellen" }).click();
  const secret = ((await cw.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await expectAccessible(cw);
  const step = totpStep(Date.now());
  await cw.getByLabel("Code (6 cijfers)").fill(hotp(secret, step - 1));
  await cw.getByRole("button", { name: "Activeren en inloggen" }).click();
  await expect(cw.getByRole("status")).toHaveText("De tweede stap (code uit een authenticator-app) staat aan.");

  await cw.getByRole("button", { name: "Uitloggen" }).click();
  await cw.waitForURL(/\/login/);
  await passwordStep(cw, username, "een-lang-wachtwoord-2026");
  await expect(cw).toHaveURL(/\/login\/totp$/);
  await cw.getByLabel("Code (6 cijfers)").fill(hotp(secret, step));
  await cw.getByRole("button", { name: "Inloggen", exact: true }).click();
  await expect(cw).toHaveURL(/\/clients/);

  // Turning the factor off needs the password and a new code, not just the session.
  await cw.goto("/account");
  await cw.locator("#disable-password").fill("een-lang-wachtwoord-2026");
  await cw.getByLabel("Code (6 cijfers)").fill(hotp(secret, step + 1));
  await cw.getByRole("button", { name: "Tweede stap uitzetten" }).click();
  await expect(cw.getByText("De tweede stap staat uit.")).toBeVisible();
});
