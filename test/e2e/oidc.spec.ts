import type { Page } from "@playwright/test";
import { OIDC_TEST_ACCOUNTS, OIDC_TEST_ISSUER } from "../oidc/config";
import { expect, expectAccessible, login, test } from "./fixtures";

/** Logs in at the local test provider (test/oidc/provider.ts): its development form, then consent. */
async function loginAtProvider(page: Page, account: { login: string }) {
  await expect(page).toHaveURL(new RegExp(`^${OIDC_TEST_ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(account.login);
  await page.locator('input[name="password"]').fill("any-password-at-the-test-provider");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a case worker logs in with the organisation account and lands on the caseload", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Inloggen met uw organisatieaccount" }).click();
  await loginAtProvider(page, OIDC_TEST_ACCOUNTS.caseworker);

  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  await expect(page.getByRole("navigation")).toContainText(OIDC_TEST_ACCOUNTS.caseworker.name);
  await expectAccessible(page);

  // Logged out of Trajectwijzer but still signed in at the provider: the next login skips its form,
  // keeps where the user was going, and finds the same linked account.
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/login/);
  await page.goto("/clients/new");
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await page.getByRole("link", { name: "Inloggen met uw organisatieaccount" }).click();
  await expect(page).toHaveURL(/\/clients\/new$/);
  await expect(page.getByRole("heading", { name: "Nieuwe cliënt" })).toBeVisible();
});

test("an account without a mapped role is refused with a clear message, and audited without personal data", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Inloggen met uw organisatieaccount" }).click();
  await loginAtProvider(page, OIDC_TEST_ACCOUNTS.unmapped);

  await expect(page).toHaveURL(/\/auth\/oidc\/callback\?/);
  await expect(page.getByRole("alert")).toHaveText(
    "U bent aangemeld bij uw organisatie, maar uw account heeft geen rol in Trajectwijzer. Vraag uw functioneel beheerder om toegang.",
  );
  await expectAccessible(page);
  // No session was started.
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/login\?redirectTo=/);

  await login(page, "manager");
  await page.goto("/audit?action=login.failed&result=denied");
  const row = page.getByTestId("audit").locator("tbody tr").first();
  await expect(row).toContainText(/user:oidc-[0-9a-f]{20}/);
  await expect(page.getByTestId("audit")).not.toContainText(OIDC_TEST_ACCOUNTS.unmapped.name);
  await expect(page.getByTestId("audit")).not.toContainText(OIDC_TEST_ACCOUNTS.unmapped.login);
});

test("a callback that this browser did not start, or with another state, is refused", async ({ page }) => {
  const message = "Inloggen met uw organisatieaccount is niet gelukt. Probeer het opnieuw.";
  let response = await page.goto("/auth/oidc/callback?code=forged&state=forged");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("alert")).toHaveText(message);

  // A login started in this browser (its state is in the flow cookie) does not accept a forged state.
  await page.goto("/login");
  await page.getByRole("link", { name: "Inloggen met uw organisatieaccount" }).click();
  await expect(page).toHaveURL(new RegExp(`^${OIDC_TEST_ISSUER}/interaction/`));
  response = await page.goto("/auth/oidc/callback?code=forged&state=forged");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("alert")).toHaveText(message);
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});
