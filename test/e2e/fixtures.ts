import AxeBuilder from "@axe-core/playwright";
import { test as base, type Cookie, expect, type Page } from "@playwright/test";
import { hotp, totpStep } from "../../app/utils/auth/totp";

import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../../app/utils/auth/demo-credentials";

export { DEMO_PASSWORD, DEMO_TOTP_SECRET };
const lastStep = new Map<string, number>();

/**
 * A code for the demo key that the server has not seen yet: the server accepts one step of drift
 * and refuses a step at or before the last one used, so several logins per 30 s take the next step.
 */
export async function nextTotpCode(username: string): Promise<string> {
  for (;;) {
    const now = totpStep(Date.now());
    const step = [now - 1, now, now + 1].find((s) => s > (lastStep.get(username) ?? -1));
    if (step !== undefined) {
      lastStep.set(username, step);
      return hotp(DEMO_TOTP_SECRET, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The session of each demo account after its first login, for the next test that logs in as it: a
 * login through the form costs the login page, the post and a redirect in every one of some forty
 * tests, and for an account with a second factor the server refuses a code whose 30-second step was
 * used before, so a fifth login within a minute would wait for the clock. A session that has ended
 * (logged out, deactivated, reset) is not reused. Tests about the login itself pass `fresh`.
 */
const sessions = new Map<string, Cookie[]>();

async function reuseSession(page: Page, username: string): Promise<boolean> {
  const cookies = sessions.get(username);
  if (!cookies) return false;
  await page.context().addCookies(cookies);
  await page.goto("/");
  if (!new URL(page.url()).pathname.startsWith("/login")) return true;
  sessions.delete(username);
  await page.context().clearCookies();
  return false;
}

/**
 * Logs in (and the second step for roles that need it), through the form unless an earlier test's
 * session of the account is still live and `fresh` is not set; waits until the app has left the login pages.
 */
export async function login(page: Page, username: string, password = DEMO_PASSWORD, options: { expectSuccess?: boolean; fresh?: boolean } = {}) {
  const expectSuccess = options.expectSuccess ?? password === DEMO_PASSWORD;
  if (expectSuccess && password === DEMO_PASSWORD && !options.fresh && (await reuseSession(page, username))) return;
  await page.goto("/login");
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  if (!expectSuccess) return;
  await page.waitForURL((url) => url.pathname !== "/login");
  if (new URL(page.url()).pathname === "/login/totp") {
    // Another test worker may have just used this code for the same account (the server refuses a
    // replayed code): then the next code is tried.
    for (let attempt = 1; ; attempt++) {
      await page.getByLabel("Code (6 cijfers)").fill(await nextTotpCode(username));
      await page.getByRole("button", { name: "Inloggen", exact: true }).click();
      try {
        await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30_000 });
        break;
      } catch (error) {
        if (attempt >= 3 || new URL(page.url()).pathname !== "/login/totp") throw error;
      }
    }
  }
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  if (password === DEMO_PASSWORD) sessions.set(username, (await page.context().cookies()).filter((c) => c.name === "tw_session"));
}

/** Fails on any WCAG 2.1 A/AA violation axe finds on the current page. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/**
 * Answers every yes/no question of the intake form on the page: "Ja" for the facts named in `yes`,
 * "Nee" for all others (the form pre-selects nothing, so each needs an answer).
 */
export async function answerYesNo(page: Page, yes: string[] = []) {
  const groups = await page.locator("fieldset.yes-no").all();
  const legends: string[] = [];
  for (const group of groups) {
    const legend = ((await group.locator("legend").textContent()) ?? "").trim();
    legends.push(legend);
    await group.getByLabel(yes.includes(legend) ? "Ja" : "Nee", { exact: true }).check();
  }
  for (const label of yes) expect(legends, `a yes/no question "${label}"`).toContain(label);
}

/**
 * Answers the intake's choices and numbers, which start empty: the first real option of each select
 * and a number just above the lowest of each field's range.
 */
export async function answerChoicesAndNumbers(page: Page) {
  for (const select of await page.locator('form:has([name="reference"]) select:not([name^="fairness"])').all()) {
    const values = await select.locator("option:not([disabled])").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await select.selectOption(values.find((v) => v !== "") ?? "");
  }
  for (const input of await page.locator('form:has([name="reference"]) input[type="number"]').all()) {
    const min = Number((await input.getAttribute("min")) ?? 0);
    const max = Number((await input.getAttribute("max")) ?? min + 1);
    await input.fill(String(Math.min(max, min + 1)));
  }
}

/** Registers a new client through the intake form (the facts to answer "yes") and lands on its advice page. */
export async function intakeClient(page: Page, yes: string[] = []) {
  await page.goto("/clients/new");
  await page.getByLabel("Dossiernummer gemeente").fill(`E2E-${Date.now()}-${Math.floor(Math.random() * 1e6)}`);
  await answerChoicesAndNumbers(page);
  await answerYesNo(page, yes);
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();
  await expect(page.getByTestId("ranking")).toBeVisible();
}

export const test = base;
export { expect };
