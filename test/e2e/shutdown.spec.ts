import { type ChildProcess, spawn } from "node:child_process";
import { expect, login, test } from "./fixtures";

/**
 * A second server on the same data (as a second instance would run): SIGTERM lets a request in
 * flight finish, then the process exits 0. A session cookie replayed after logout is dead.
 */
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";
const PORT = Number(process.env.E2E_PORT ?? 3100) + 2;

async function startSecondServer(): Promise<{ child: ChildProcess; output: () => string }> {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, DATA_DIR, PORT: String(PORT), BUILD_DIR: process.env.E2E_BUILD_DIR ?? "build", DEMO_POPULATION: "4000", DEMO_SEED: "7" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes("serves http") && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`second server stopped: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

test("SIGTERM: the request in flight is answered, then the server exits cleanly", async ({ page, playwright }) => {
  test.setTimeout(240_000);
  const { child, output } = await startSecondServer();
  const baseURL = `http://localhost:${PORT}`;
  await page.goto(`${baseURL}/login`);
  await page.getByLabel("Gebruikersnaam").fill("klantmanager1");
  await page.getByLabel("Wachtwoord").fill("Welkom-demo-2026");
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await page.waitForURL(/\/clients/);
  const href = await page.getByRole("table").getByRole("link").first().getAttribute("href");
  const request = await playwright.request.newContext({ baseURL, storageState: await page.context().storageState() });
  // A client page runs the model: started, then SIGTERM while it is in flight.
  const inFlight = request.get(href ?? "/clients");
  await new Promise((r) => setTimeout(r, 30));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const response = await inFlight;
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain('data-testid="ranking"');
  expect(await exited).toBe(0);
  expect(output()).toContain("SIGTERM: finishing requests in flight");
  await request.dispose();
});

test("a session cookie replayed after logout is not a session", async ({ page, request }) => {
  await login(page, "klantmanager1");
  const cookie = (await page.context().cookies()).find((c) => c.name === "tw_session");
  expect(cookie).toBeDefined();
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL(/\/login/);
  const replayed = await request.get("/clients", { headers: { Cookie: `tw_session=${cookie?.value}` }, maxRedirects: 0 });
  expect(replayed.status()).toBe(302);
  expect(replayed.headers().location).toMatch(/^\/login/);
});
