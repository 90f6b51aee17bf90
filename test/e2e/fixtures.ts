import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Welkom-demo-2026";

/** Logs in through the form; waits until the app has left the login page unless a refusal is expected. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD, options = { expectSuccess: password === DEMO_PASSWORD }) {
  await page.goto("/login");
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  if (options.expectSuccess) await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Fails on any WCAG 2.1 A/AA violation axe finds on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** Registers a new client through the intake form (checkbox labels to tick) and lands on its advice page. */
export async function intakeClient(page: Page, tick: string[] = []) {
  await page.goto("/clients/new");
  await page.getByLabel("Dossiernummer gemeente").fill(`E2E-${Date.now()}-${Math.floor(Math.random() * 1e6)}`);
  for (const label of tick) await page.getByLabel(label, { exact: true }).check();
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();
  await expect(page.getByTestId("ranking")).toBeVisible();
}

export const test = base;
export { expect };
