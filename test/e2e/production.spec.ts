import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { splitTableFile } from "../../model/index";
import { GENERIC_SCHEMA, writeGenericTable } from "../fixtures/generic-table";
import { DEMO_PASSWORD, expect, expectAccessible, test } from "./fixtures";
import { type ProductionServer, startProductionServer } from "./production-server";

const run = promisify(execFile);
/** A CLI of ours as a real process, on the production server's data directory. */
const cli = (args: string[]) =>
  run(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, DATA_DIR: dataDir, TRAJECTWIJZER_QUIET_BACKEND: "1" }, maxBuffer: 1 << 24 });

let server: ProductionServer;
let BASE = "";
let dataDir = "";
// Starting a second server and training a small model take longer than one test step on a busy machine,
// and this spec runs at a lower priority beside the demo server's (3.3 min in a CI run under load 10–14).
test.describe.configure({ timeout: 840_000 });

test.beforeAll(async () => {
  test.setTimeout(480_000);
  server = await startProductionServer({ portOffset: 7, name: "production" });
  BASE = server.base;
  dataDir = server.dataDir;
});

test.afterAll(async () => {
  await server?.stop();
});

test("production mode serves the login page without generating data or training a model", async () => {
  expect(server.output()).toContain("productiemodus");
  expect(server.output()).toContain("nog geen actief model");
  // Nothing synthetic was made: no source files, no linked table, no model.
  expect(existsSync(path.join(dataDir, "source"))).toBe(false);
  expect(existsSync(path.join(dataDir, "linked"))).toBe(false);
  const models = path.join(dataDir, "models");
  expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
});

test("the demo password logs nobody in", async ({ request }) => {
  for (const username of ["admin", "klantmanager1", "manager", "datascientist"]) {
    const response = await request.post(`${BASE}/login`, {
      headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
      data: `username=${username}&password=${DEMO_PASSWORD}`,
      maxRedirects: 0,
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["set-cookie"] ?? "").not.toContain("tw_session");
  }
});

test("another municipality's model: trained on its own table, checked, imported and activated by the CLI; the intake asks its facts and the advice ranks its trajectories", async ({ page }) => {
  // Its own instruments, its own variables, an id column named `id`: nothing of the default catalogue.
  // 10 000 rows: on far fewer the network fits this noisy table closely enough to fail membership inference.
  const { root, table, schema } = await writeGenericTable({ n: 10_000, seed: 11 });
  const trainCsv = path.join(root, "train.csv");
  const holdoutCsv = path.join(root, "holdout.csv");
  await splitTableFile({ table, trainOut: trainCsv, holdoutOut: holdoutCsv, seed: 3 });
  const bundle = path.join(root, "bundle");
  await cli(["scripts/train.ts", "--table", trainCsv, "--schema", schema, "--out", bundle, "--members", "2", "--epochs", "10"]);
  await cli(["scripts/check-bundle.ts", "--model", bundle, "--train", trainCsv, "--holdout", holdoutCsv]);
  const imported = await cli(["scripts/models.ts", "import", bundle, "--activate", "--reason", "first model of this municipality"]);
  expect(imported.stdout).toMatch(/activ/i);
  const listed = await cli(["scripts/models.ts", "list"]);
  expect(listed.stdout).toContain("active");

  // The first case worker of this municipality, made by the operations CLI.
  const created = await cli(["scripts/users.ts", "create", "--username", "kmb1", "--role", "caseworker"]);
  const oneTime = /one-time password \(shown once\): (\S+)/.exec(created.stdout)?.[1] ?? "";
  expect(oneTime.length).toBeGreaterThan(11);
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Gebruikersnaam").fill("kmb1");
  await page.getByLabel("Wachtwoord").fill(oneTime);
  await page.getByRole("button", { name: "Inloggen", exact: true }).click();
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill("Gemeente-B-werkt-2026");
  await page.getByLabel("Herhaal het nieuwe wachtwoord").fill("Gemeente-B-werkt-2026");
  await page.getByRole("main").locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));

  // The running server serves the imported model within seconds: the intake asks its features, by name.
  await expect(async () => {
    await page.goto(`${BASE}/clients/new`);
    for (const feature of GENERIC_SCHEMA.features) await expect(page.locator(`[name="${feature.name}"]`).first()).toBeAttached({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.locator('[name="leeftijdsklasse"]')).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel("Dossiernummer gemeente").fill(`B-${Date.now()}`);
  await page.locator('[name="leeftijd"]').fill("34");
  await page.locator('select[name="wijk"]').selectOption({ index: 1 });
  await page.locator('[name="taal_nl"][value="1"]').check();
  await page.locator('[name="uren_vrijwilligerswerk"]').fill("4");
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();
  const ranking = page.getByTestId("ranking");
  await expect(ranking).toBeVisible();
  const arms = await ranking.locator("tr[data-arm]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-arm")));
  expect([...arms].sort()).toEqual([...GENERIC_SCHEMA.treatment.arms].sort());
  await expect(page.locator('tr[data-rank="1"]')).toHaveCount(1);
  await expectAccessible(page);
});
