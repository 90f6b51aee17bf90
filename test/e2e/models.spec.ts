import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, expectAccessible, login, test } from "./fixtures";

/** The data scientist's journey through the model registry (issue 6, parts 5–7). */
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";
const MODEL_DIR = path.join(DATA_DIR, "models");
const PLACEHOLDER = "IN TE VULLEN door de gemeente";

test.describe.configure({ mode: "serial" });

test("a data scientist inspects, retrains, compares, promotes and rolls back a model", async ({ page, browser }) => {
  test.setTimeout(300_000);
  await login(page, "datascientist");
  await page.goto("/models");
  await expect(page.getByRole("heading", { name: "Modellen", level: 1 })).toBeVisible();
  const activeRow = page.locator('[data-testid="models"] tr[data-status="active"]');
  await expect(activeRow).toHaveCount(1);
  await expect(activeRow).toContainText("Actief");
  // npm start registers the demo model only after its disclosure check passed.
  await expect(activeRow).toContainText("geslaagd");
  await expect(activeRow).not.toContainText("niet geslaagd");
  const activeId = (await activeRow.getByRole("link").textContent())?.trim() ?? "";
  expect(activeId).not.toBe("");
  await expectAccessible(page);

  // The model card, and the algorithm-register entry as JSON and markdown.
  await activeRow.getByRole("link").click();
  await expect(page.getByTestId("model-version")).toHaveText(activeId);
  await expect(page.getByTestId("model-card")).toContainText("Gebruikte kenmerken");
  await expectAccessible(page);
  const registerHref = await page.getByRole("link", { name: "Registerinvoer downloaden (JSON)" }).getAttribute("href");
  const registerResponse = await page.request.get(registerHref ?? "");
  expect(registerResponse.ok()).toBe(true);
  const entry = (await registerResponse.json()) as Record<string, string>;
  // The publication standard's machine-readable field names.
  expect(entry.description_short?.length ?? 999).toBeLessThan(350);
  expect(entry.lawful_basis).toBe(PLACEHOLDER);
  expect(entry.proportionality).toBe(PLACEHOLDER);
  expect(entry.impacttoetsen).toContain(PLACEHOLDER);
  expect(entry.status).toBe("In gebruik");
  expect(entry.source_id).toBe(activeId);
  const markdown = await page.request.get((await page.getByRole("link", { name: "Registerinvoer downloaden (markdown)" }).getAttribute("href")) ?? "");
  expect(await markdown.text()).toContain("## Wettelijke basis");
  const card = await page.request.get((await page.getByRole("link", { name: "Modelkaart downloaden (markdown)" }).getAttribute("href")) ?? "");
  expect(await card.text()).toContain("# Model card");

  // Retraining in a worker process, with live progress.
  await page.goto("/models/train");
  await expectAccessible(page);
  await page.getByLabel("Ensembleleden (1–10)").fill("1");
  await page.getByLabel("Maximaal aantal epochs").fill("2");
  await page.getByRole("button", { name: "Training starten" }).click();
  await page.waitForURL(/\/models\/runs\/[a-z0-9]+$/);
  const runUrl = page.url();
  await expect(page.getByTestId("run-progress")).toBeVisible();
  await expectAccessible(page);
  // The event stream moves the page on without a reload.
  await expect(page.getByTestId("run-status")).toHaveText("Geslaagd", { timeout: 180_000 });
  expect(page.url()).toBe(runUrl);
  await expect(page.getByTestId("run-progress")).toContainText("Klaar");
  const candidateLink = page.getByTestId("run-candidate").getByRole("link");
  const candidateId = (await candidateLink.textContent())?.trim() ?? "";
  expect(candidateId).not.toBe(activeId);
  const events = await page.request.get(`${runUrl}/events`);
  expect(events.headers()["content-type"]).toContain("text/event-stream");
  expect(await events.text()).toContain('"status":"succeeded"');

  // Compare the candidate with the active model on the linked table.
  await candidateLink.click();
  await expect(page.getByTestId("model-status")).toHaveText("Kandidaat");
  await page.getByRole("link", { name: "Vergelijken met het actieve model" }).click();
  await page.getByRole("button", { name: "Vergelijken" }).click();
  const comparison = page.getByTestId("comparison");
  await expect(comparison).toBeVisible({ timeout: 60_000 });
  for (const metric of ["AUC", "Brier-score", "Kalibratiefout (ECE)", "Beleidswaarde (DR)"]) await expect(comparison).toContainText(metric);
  await expectAccessible(page);

  // Promote, then roll back.
  await page.getByRole("link", { name: "Terug naar modellen" }).click();
  await page.getByRole("button", { name: "In gebruik nemen" }).click();
  await expect(page.getByTestId("model-result")).toContainText(`Versie ${candidateId} is nu het actieve model.`);
  await expect(page.getByTestId("model-status")).toHaveText("Actief");
  // The promoted model carries its own passing disclosure report, so the app serves it at once.
  const caseworker = await (await browser.newContext()).newPage();
  await login(caseworker, "klantmanager1");
  await caseworker.getByRole("table").getByRole("link").first().click();
  await expect(caseworker.getByTestId("model-version")).toHaveText(candidateId);
  await caseworker.context().close();
  await page.goto("/models");
  await expect(page.locator('[data-testid="models"] tr[data-status="active"]')).toContainText(candidateId);
  await page.getByRole("button", { name: "Terugdraaien naar de vorige versie" }).click();
  await expect(page.getByTestId("models-result")).toContainText(`versie ${activeId} is weer het actieve model`);
  await expect(page.locator('[data-testid="models"] tr[data-status="active"]')).toContainText(activeId);
  await expect(page.locator('[data-testid="models"] tr[data-status="retired"]')).toContainText(candidateId);
  await expectAccessible(page);
});

test("a tampered bundle is refused on import with the reason", async ({ page }) => {
  const demo = (await readdir(MODEL_DIR)).find((name) => name.startsWith("demo-"));
  expect(demo).toBeDefined();
  const name = `tampered-${Date.now()}`;
  const target = path.join(MODEL_DIR, "import", name);
  await mkdir(path.dirname(target), { recursive: true });
  await cp(path.join(MODEL_DIR, demo ?? ""), target, { recursive: true });
  const cardFile = path.join(target, "model-card.json");
  await writeFile(cardFile, (await readFile(cardFile, "utf8")).replace("Estimates", "Guarantees"));

  await login(page, "datascientist");
  await page.goto("/models");
  await page.getByLabel("Map van de bundel").fill(name);
  await page.getByRole("button", { name: "Importeren" }).click();
  const alert = page.getByTestId("models-result");
  await expect(alert).toContainText("Import geweigerd");
  await expect(alert).toContainText("model-card.json");
  await expect(alert).toContainText("checksum");
  await expect(alert).not.toContainText(path.resolve(MODEL_DIR));
  await expectAccessible(page);

  await page.getByLabel("Map van de bundel").fill("../../");
  await page.getByRole("button", { name: "Importeren" }).click();
  await expect(page.getByTestId("models-result")).toContainText("niet binnen de importmap");
});

test("a long training run can be cancelled while the app keeps answering", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, "datascientist");
  await page.goto("/models/train");
  await page.getByLabel("Ensembleleden (1–10)").fill("10");
  await page.getByLabel("Maximaal aantal epochs").fill("500");
  await page.getByRole("button", { name: "Training starten" }).click();
  await page.waitForURL(/\/models\/runs\/[a-z0-9]+$/);
  await expect(page.getByTestId("run-status")).toHaveText("Bezig");
  // A second run is refused while this one is busy.
  const again = await page.request.post("/models/train", {
    form: { tableName: "linked", seed: "1", members: "1", maxEpochs: "1" },
    headers: { Accept: "text/html", Origin: new URL(page.url()).origin },
  });
  expect(await again.text()).toContain("Er loopt al een training");
  // The web server answers while the worker trains.
  const started = Date.now();
  expect((await page.request.get("/models")).ok()).toBe(true);
  expect(Date.now() - started).toBeLessThan(5_000);
  await page.getByRole("button", { name: "Training annuleren" }).click();
  await expect(page.getByText("De training is geannuleerd.")).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("Geannuleerd");
  await page.reload();
  await expect(page.getByTestId("run-status")).toHaveText("Geannuleerd");
  await expect(page.getByRole("button", { name: "Training annuleren" })).toHaveCount(0);
});

test("only data scientists change the registry; admins may look, other roles are refused", async ({ page }) => {
  await login(page, "admin");
  await page.goto("/models");
  const activeId = (await page.locator('[data-testid="models"] tr[data-status="active"]').getByRole("link").textContent())?.trim() ?? "";
  await expect(page.getByRole("button", { name: "Importeren" })).toHaveCount(0);
  await expectAccessible(page);
  const origin = new URL(page.url()).origin;
  const post = (url: string, form: Record<string, string>) => page.request.post(url, { form, headers: { Origin: origin }, maxRedirects: 0 });
  expect((await post(`/models/${activeId}`, { intent: "promote" })).status()).toBe(403);
  expect((await post("/models", { intent: "rollback" })).status()).toBe(403);
  expect((await post("/models/train", { tableName: "linked", seed: "1", members: "1", maxEpochs: "1" })).status()).toBe(403);
  expect((await page.request.get(`/models/${activeId}/register.json`)).status()).toBe(200);
  await page.goto("/models/train");
  await expect(page.getByRole("button", { name: "Training starten" })).toHaveCount(0);

  await page.context().clearCookies();
  await login(page, "klantmanager1");
  for (const url of ["/models", `/models/${activeId}`, `/models/${activeId}/register.json`, `/models/${activeId}/card.md`, "/models/train", `/models/${activeId}/compare`]) {
    expect((await page.request.get(url, { maxRedirects: 0 })).status(), url).toBe(403);
  }
});
