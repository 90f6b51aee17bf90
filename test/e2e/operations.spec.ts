import { spawnSync } from "node:child_process";
import { totp } from "../../app/utils/auth/totp";
import { expect, expectAccessible, test } from "./fixtures";

/** The server's data directory, as playwright.config.ts gives it to `npm start`. */
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";

/**
 * The operations CLI against the running server's DATA_DIR, as an operator would use it: the account
 * it creates logs in in the browser only after enrolling a second factor and choosing a new password.
 */
function users(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR };
  delete env.DATABASE_URL;
  delete env.MODEL_DIR;
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/users.ts", ...args], { env, encoding: "utf8", timeout: 240_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("users create: the new administrator enrols TOTP and replaces the one-time password before any page", async ({ page }) => {
  test.setTimeout(480_000);
  const username = `beheer${Date.now() % 100000}`;
  const created = users(["create", "--username", username, "--role", "admin"]);
  expect(created.stderr).toBe("");
  expect(created.status).toBe(0);
  const oneTime = /\(shown once\): (\S+)/.exec(created.stdout)?.[1] ?? "";
  expect(oneTime).not.toBe("");

  await page.goto("/login");
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(oneTime);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/totp-setup$/);
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  await page.getByLabel("Code (6 cijfers)").fill(totp(secret));
  await page.getByRole("button", { name: "Activeren en inloggen" }).click();

  await expect(page).toHaveURL(/\/login\/password$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kies een nieuw wachtwoord");
  await expectAccessible(page);
  // No session yet: any page sends back to the login.
  expect((await page.goto("/admin/users"))?.url()).toMatch(/\/login/);
  await page.goto("/login/password");
  await page.getByLabel("Nieuw wachtwoord").fill("kort");
  await page.getByLabel("Herhaal het nieuwe wachtwoord").fill("kort");
  // Past the browser's own length check, to see the server's answer.
  await page.evaluate(() => {
    for (const input of document.querySelectorAll("input")) input.removeAttribute("minlength");
  });
  await page.getByRole("button", { name: "Wachtwoord opslaan" }).click();
  await expect(page.getByRole("alert")).toContainText("minstens 12 tekens");
  await expectAccessible(page);
  await page.getByLabel("Nieuw wachtwoord").fill("Een-eigen-wachtwoord-2026");
  await page.getByLabel("Herhaal het nieuwe wachtwoord").fill("Een-eigen-wachtwoord-2026");
  await page.getByRole("button", { name: "Wachtwoord opslaan" }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
  // The display name is the username too: two cells.
  await expect(page.getByRole("cell", { name: username, exact: true }).first()).toBeVisible();
});
