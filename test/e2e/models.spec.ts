import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { splitTableFile } from "../../model/index";
import { expect, expectAccessible, login, test } from "./fixtures";

/** The data scientist's journey through the model registry (issue 6, parts 5–7). */
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";
const MODEL_DIR = path.join(DATA_DIR, "models");
const PLACEHOLDER = "IN TE VULLEN door de gemeente";

test.describe.configure({ mode: "serial" });

test("a data scientist inspects, retrains, compares, promotes and rolls back a model", async ({ page, browser }) => {
  test.setTimeout(600_000);
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
  // Metrics in the page's notation: a decimal comma on a Dutch page (AUC, Brier score, calibration error).
  const overall = await page.getByTestId("model-card").locator("tr", { has: page.getByRole("rowheader", { name: "Alle", exact: true }) }).first().locator("td").allTextContents();
  expect(overall.slice(1)).toEqual([expect.stringMatching(/^\d,\d{3}$/), expect.stringMatching(/^\d,\d{3}$/), expect.stringMatching(/^\d,\d{3}$/)]);
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
  // Enough epochs to see the time estimate while it runs; a fixed learner validated alone keeps it quick.
  await page.getByLabel("Maximaal aantal epochs").fill("15");
  await expect(page.getByLabel("Leermethode")).toHaveValue("auto");
  await expect(page.getByText("Automatisch (aanbevolen)")).toBeVisible();
  await page.getByLabel("Leermethode").selectOption("s-linear");
  await page.getByRole("button", { name: "Training starten" }).click();
  await page.waitForURL(/\/models\/runs\/[a-z0-9]+$/);
  const runUrl = page.url();
  await expect(page.getByTestId("run-progress")).toBeVisible();
  await expect(page.getByTestId("run-learner")).toHaveText("Lineaire S-learner (één model voor alle trajecten)");
  // While it trains: the time left, from the share done so far.
  await expect(page.getByTestId("run-estimate")).toHaveText(/^Nog ongeveer \d+ (s|min)$/, { timeout: 120_000 });
  await expectAccessible(page);
  // The event stream moves the page on without a reload.
  await expect(page.getByTestId("run-status")).toHaveText("Geslaagd", { timeout: 360_000 });
  expect(page.url()).toBe(runUrl);
  // The loss curve of the one member, its values also in words; no time estimate once it has finished.
  const curve = page.getByTestId("loss-curve");
  await expect(curve.getByRole("img")).toBeVisible();
  await expect(curve.getByRole("img")).toHaveAccessibleName(/Verliescurve.*voor 1 ensembleleden over \d+ epochs/);
  await expect(page.getByTestId("run-estimate")).toHaveCount(0);
  await expect(page.getByTestId("run-progress")).toContainText("Klaar");
  // Which learner the candidate predicts with, and why: its validation table, and whether its ranking counts as advice.
  const learner = page.getByTestId("learner");
  await expect(learner).toHaveAttribute("data-learner", "s-linear");
  await expect(learner).toContainText("Getoetst met 3-voudige kruisvalidatie");
  await expect(learner.getByRole("table", { name: "Validatie van de leermethoden" })).toContainText("Lineaire S-learner (gekozen)");
  const advises = (await learner.getAttribute("data-advise")) === "true";
  const candidateLink = page.getByTestId("run-candidate").getByRole("link");
  const candidateId = (await candidateLink.textContent())?.trim() ?? "";
  expect(candidateId).not.toBe(activeId);
  const events = await page.request.get(`${runUrl}/events`);
  expect(events.headers()["content-type"]).toContain("text/event-stream");
  expect(await events.text()).toContain('"status":"succeeded"');

  // Promotion guardrails: forged requests without a held-out comparison or without a reason are refused (400, in words).
  await candidateLink.click();
  await expect(page.getByTestId("model-status")).toHaveText("Kandidaat");
  const candidateUrl = page.url();
  const origin = new URL(candidateUrl).origin;
  const promote = (form: Record<string, string>) =>
    page.request.post(candidateUrl, { form: { intent: "promote", confirmInformation: "1", ...form }, headers: { Origin: origin }, maxRedirects: 0 });
  let refused = await promote({ reason: "Beter op nieuwe gegevens", confirm: "1" });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("geen geslaagde vergelijking");
  await expect(page.getByTestId("comparison-needed")).toBeVisible();

  // Compare on a held-out table: the tables either model was trained on are never offered, nor accepted.
  await page.getByRole("link", { name: "Vergelijken met het actieve model" }).click();
  await expect(page.getByLabel("Toetstabel")).toBeVisible();
  const offered = await page.getByLabel("Toetstabel").locator("option").allTextContents();
  expect(offered).toContain("linked-heldout");
  expect(offered).not.toContain("linked");
  const forged = await page.request.post(page.url(), { form: { intent: "compare", table: "linked" }, headers: { Origin: origin } });
  expect(forged.status()).toBe(400);
  expect(await forged.text()).toContain("gebruikt om een van beide modellen te trainen");
  await page.getByRole("button", { name: "Vergelijken" }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toBeVisible({ timeout: 360_000 });
  await expect(verdict).toContainText(/(Beter dan|Niet te onderscheiden van|Slechter dan) het actieve model\..*95%-interval/);
  await expect(page.getByTestId("advice-changed")).toContainText("%");
  const comparison = page.getByTestId("comparison");
  for (const metric of ["AUC", "Brier-score", "Kalibratiefout (ECE)", "Beleidswaarde (DR)"]) await expect(comparison).toContainText(metric);
  await expect(page.getByRole("table", { name: "Per traject dat de cliënten kregen" })).toContainText("Jobcoaching");
  await expect(page.getByRole("table", { name: /Per groep/ }).first()).toBeVisible();
  await expectAccessible(page);
  expect(await verdict.getAttribute("data-verdict")).not.toBe("worse");

  // A reason is still required; then promote through the form with a confirmation.
  refused = await promote({ confirm: "1", reason: "" });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("Geef een reden");
  await page.getByRole("link", { name: "Naar in gebruik nemen" }).click();
  await expect(page.getByTestId("comparison-passed")).toContainText("linked-heldout");
  await page.getByLabel("Reden voor in gebruik nemen").fill("Op de toetstabel niet slechter; getraind op recentere gegevens.");
  await page.getByLabel("Ik heb de vergelijking bekeken en maak deze versie het actieve model.").check();
  // A ranking that is information, not advice, is confirmed as such before promotion.
  await expect(page.getByTestId("information-only")).toHaveCount(advises ? 0 : 2);
  if (!advises) await page.getByLabel(/Ik begrijp dat klantmanagers met dit model informatie krijgen/).check();
  await page.getByRole("button", { name: "In gebruik nemen" }).click();
  await expect(page.getByTestId("model-result")).toContainText(`Versie ${candidateId} is nu het actieve model.`);
  await expect(page.getByTestId("model-status")).toHaveText("Actief");
  await expect(page.getByTestId("activation-reason")).toHaveText("Op de toetstabel niet slechter; getraind op recentere gegevens.");
  // The promoted model carries its own passing disclosure report, so the app serves it at once.
  const caseworker = await (await browser.newContext()).newPage();
  await login(caseworker, "klantmanager1");
  await caseworker.goto((await caseworker.getByRole("table").getByRole("link").first().getAttribute("href")) ?? "");
  await expect(caseworker.getByTestId("model-version")).toHaveText(candidateId);
  await caseworker.context().close();

  // Roll back to a chosen earlier version, with a reason; the active model is highlighted in the list.
  await page.goto("/models");
  await expect(page.locator('[data-testid="models"] tr[aria-current="true"]')).toContainText(candidateId);
  await page.getByLabel("Versie", { exact: true }).selectOption(activeId);
  await page.getByLabel("Reden voor terugdraaien").fill("Terug naar het vorige model na klachten.");
  await page.getByRole("button", { name: "Terugdraaien", exact: true }).click();
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
  test.setTimeout(240_000);
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

/**
 * Information instead of advice: a small generated table (about 1 000 rows) on which the model's own
 * cross-fitted validation cannot show that following its first choice beats current practice. The
 * registry marks it, the card says why, and case workers see the ranking without a recommended
 * trajectory and without a pre-selected choice. Afterwards the previous model is active again.
 */
test("a model whose validation does not beat current practice is shown as information, not advice", async ({ page, browser }) => {
  test.setTimeout(600_000);
  const run = promisify(execFile);
  const work = await mkdtemp(path.join(tmpdir(), "tw-information-only-"));
  const cli = (args: string[]) =>
    run(process.execPath, ["--import", "tsx", ...args], {
      env: { ...process.env, DATA_DIR, PSEUDONYM_KEY: "e2e-information-only-0123456789abcdef", TRAJECTWIJZER_QUIET_BACKEND: "1" },
      maxBuffer: 1 << 24,
    });
  try {
    // A seeded delivery of 1 350 people links to about 1 000 trajectories; half of them train the model.
    await cli(["scripts/generate.ts", "--out", path.join(work, "source"), "--n", "1350", "--seed", "11"]);
    await cli(["scripts/link.ts", "--in", path.join(work, "source"), "--out", path.join(work, "linked")]);
    const table = path.join(work, "linked", "analysis.csv");
    expect((await readFile(table, "utf8")).trim().split("\n").length - 1).toBeGreaterThan(900);
    const train = path.join(work, "train.csv");
    const holdout = path.join(work, "holdout.csv");
    const bundle = path.join(work, "bundle");
    await splitTableFile({ table, trainOut: train, holdoutOut: holdout, seed: 3 });
    await cli(["scripts/train.ts", "--table", train, "--schema", path.join(work, "linked", "schema.json"), "--out", bundle, "--members", "1", "--epochs", "5", "--seed", "2"]);
    const learnerFile = JSON.parse(await readFile(path.join(bundle, "learner.json"), "utf8"));
    // Every learner was validated (the network, the linear ones, DR, and any further ones).
    const validated = learnerFile.validation.candidates.length;
    expect(validated).toBeGreaterThanOrEqual(4);
    expect(learnerFile.validation.advise).toBe(false);
    await cli(["scripts/check-bundle.ts", "--model", bundle, "--train", train, "--holdout", holdout]);

    await login(page, "datascientist");
    await page.goto("/models");
    const previous = (await page.locator('[data-testid="models"] tr[data-status="active"]').getByRole("link").textContent())?.trim() ?? "";
    // The operator's way in, which warns in words as well.
    const imported = await cli(["scripts/models.ts", "import", bundle, "--activate", "--reason", "small first extract"]);
    expect(imported.stderr).toContain("information, not advice");
    const version = /activated (\S+)/.exec(imported.stdout)?.[1] ?? "";
    expect(version).not.toBe("");

    await page.goto("/models");
    const row = page.locator('[data-testid="models"] tr[data-status="active"]');
    await expect(row).toContainText(version);
    await expect(row.getByTestId("information-only-badge")).toHaveText("Informatie, geen advies");
    await row.getByRole("link").click();
    await expect(page.getByTestId("model-version")).toHaveText(version);
    await expect(page.getByTestId("information-only-badge")).toBeVisible();
    const learner = page.getByTestId("learner");
    await expect(learner).toHaveAttribute("data-advise", "false");
    await expect(learner.getByRole("table", { name: "Validatie van de leermethoden" }).locator("tbody tr")).toHaveCount(validated);
    // Whether the chosen learner's lead over the next is more than noise, in words.
    await expect(learner.getByTestId("learner-lead")).toContainText("standaardfout");
    // Why this learner: the lowest loss, or the default for a table this size, kept over a lower loss within the noise.
    const lowest = [...learnerFile.validation.candidates].sort((a: { drLoss: number }, b: { drLoss: number }) => a.drLoss - b.drLoss)[0].kind;
    await expect(learner).toContainText(
      lowest === learnerFile.validation.chosen ? "Gekozen omdat deze methode het kleinste dubbel robuuste verlies" : "Gekozen als standaardmethode voor gegevens van deze omvang",
    );
    await expect(learner.getByTestId("information-only")).toContainText("zien klantmanagers de rangorde als informatie");
    await expectAccessible(page);
    // Promoting it without confirming "information, not advice" is refused in words (a forged request).
    const refused = await page.request.post(page.url(), {
      form: { intent: "promote", reason: "Proef met informatie", confirm: "1" },
      headers: { Origin: new URL(page.url()).origin },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain("Bevestig dat dit model informatie geeft en geen advies.");

    // The case worker's advice page: information, no recommended trajectory, nothing pre-selected.
    const caseworker = await (await browser.newContext()).newPage();
    await login(caseworker, "klantmanager1");
    const href = (await caseworker.getByRole("table").getByRole("link").first().getAttribute("href")) ?? "";
    await expect(async () => {
      await caseworker.goto(href);
      await expect(caseworker.getByTestId("model-version")).toHaveText(version, { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(caseworker.getByTestId("advice-verdict")).toHaveAttribute("data-advice", "information");
    await expect(caseworker.getByTestId("advice-verdict")).toContainText("Ter informatie, geen advies");
    await expect(caseworker.getByTestId("ranking").locator("tr.top-row")).toHaveCount(0);
    const choice = caseworker.getByLabel("Gekozen traject");
    await expect(choice).toHaveValue("");
    expect((await choice.locator("option").allTextContents()).filter((o) => o.includes("(advies)"))).toEqual([]);
    await expectAccessible(caseworker);
    await caseworker.context().close();

    // Back to the model that was active before, through the registry's roll-back.
    await page.goto("/models");
    await page.getByLabel("Versie", { exact: true }).selectOption(previous);
    await page.getByLabel("Reden voor terugdraaien").fill("Einde van de proef met informatie in plaats van advies.");
    await page.getByRole("button", { name: "Terugdraaien", exact: true }).click();
    await expect(page.locator('[data-testid="models"] tr[data-status="active"]')).toContainText(previous);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
