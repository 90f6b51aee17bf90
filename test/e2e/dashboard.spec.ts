import { readFile } from "node:fs/promises";
import { expect, expectAccessible, login, test } from "./fixtures";

/** Text a person sees on the page outside any <details> (open or closed). */
const visibleTextOutsideDetails = () =>
  (() => {
    const main = document.querySelector("main") ?? document.body;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("details") || parent.closest("title, desc, script, style")) continue;
      if (!parent.checkVisibility()) continue;
      parts.push(node.textContent ?? "");
    }
    // Accessible names of the charts are read out too.
    for (const svg of main.querySelectorAll('svg[role="img"]')) if (!svg.closest("details")) parts.push(svg.textContent ?? "");
    return parts.join(" ");
  })();

/** A count as shown in Dutch ("1.234"), or "<10 personen". */
function expectProtectedCount(text: string, where: string) {
  const value = text.trim();
  if (value === "<10 personen") return;
  expect(value, where).toMatch(/^\d{1,3}(\.\d{3})*$/);
  expect(Number(value.replaceAll(".", "")), where).toBeGreaterThanOrEqual(10);
}

test("manager: the first screen answers in plain words with trend and fairness charts, statistics only in the analyst details; never a count under 10; suppressed CSV", async ({ page }) => {
  // Two accessibility scans of a page with many charts and tables: slow on a busy machine.
  test.setTimeout(240_000);
  await login(page, "manager");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Kwaliteit van de adviezen" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Kwaliteit" })).toBeVisible();

  // The seeded history gives real figures: answers in words, and every section with a chart and its table (behind a toggle).
  const followed = (await page.getByTestId("answer-followed").textContent()) ?? "";
  const population = /van de ([\d.]+) besluiten/.exec(followed)?.[1] ?? "";
  expectProtectedCount(population, "population");
  expect(Number(population.replaceAll(".", ""))).toBeGreaterThanOrEqual(100);
  await expect(page.getByTestId("answer-followed")).toContainText("%");
  for (const id of ["adoption-month", "outcome-month", "adoption-team", "followed", "offpolicy", "interventions", "fairness", "drift"]) {
    await expect(page.getByTestId(`table-${id}`)).toHaveCount(1);
  }
  await expect(page.locator('svg[role="img"] title').first()).toHaveText(/.+/);
  await expect(page.getByTestId("table-adoption-team")).toContainText("Team Noord");
  for (const text of await page.locator('[data-kind="count"]').allTextContents()) expectProtectedCount(text, "page");

  await expect(page.getByTestId("answers").locator("h2")).toHaveCount(5);
  const firstScreen = await page.evaluate(visibleTextOutsideDetails);
  for (const jargon of ["IPW", "propensity", "Propensity", "PSI", "dubbel robuust", "Kalibratieverschil", "Population stability"]) {
    expect(firstScreen, jargon).not.toContain(jargon);
  }
  // "<10" is always followed by "personen": never readable as a percentage.
  expect(firstScreen).not.toMatch(/<10(?! personen)/);
  // Trends by month and the fairness chart per group, each an accessible image with its data behind a toggle.
  for (const id of ["section-adoption-month", "section-outcome-month", "section-fairness-chart"]) {
    await expect(page.getByTestId(id).locator('svg[role="img"]').first()).toBeVisible();
    await expect(page.getByTestId(id).locator('svg[role="img"] title').first()).toHaveText(/.+/);
  }
  await expect(page.getByTestId("section-fairness-chart").locator("figure")).toHaveCount(4);
  await expect(page.getByTestId("table-fairness-chart")).toHaveCount(1);
  // With everything folded the page is a fraction of its former 9 000 px (at 1280 px wide).
  await page.setViewportSize({ width: 1280, height: 800 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  test.info().annotations.push({ type: "page height (px, 1280 wide)", description: String(height) });
  console.log(`dashboard page height: ${height} px`);
  expect(height).toBeLessThan(4500);
  await expect(page.getByTestId("table-adoption-month")).toBeHidden();
  await page.getByTestId("section-adoption-month").getByText("Toon tabel").click();
  await expect(page.getByTestId("table-adoption-month")).toBeVisible();

  // The analyst details hold the estimators, calibration (ticks, one scale) and drift.
  await page.getByTestId("analyst").locator("summary").first().click();
  await expect(page.getByTestId("section-offpolicy")).toContainText("IPW");
  await expect(page.getByTestId("section-calibration").locator("svg .chart-tick").first()).toBeVisible();
  await expectAccessible(page);

  // Periods are rows of one table, suppressed with their totals; there is no date selection to difference.
  await expect(page.getByTestId("table-adoption-period")).toHaveCount(1);
  await expect(page.getByLabel("Vanaf maand")).toHaveCount(0);
  // One team: small groups appear, and they read "<10", in the page and in the CSV export.
  await page.getByLabel("Team", { exact: true }).selectOption("Team Noord");
  await page.getByRole("button", { name: "Filteren" }).click();
  await expect(page).toHaveURL(/team=Team\+Noord/);
  await expect(page.locator("main")).toContainText("<10 personen");
  for (const text of await page.locator('[data-kind="count"]').allTextContents()) expectProtectedCount(text, "Team Noord");
  await expectAccessible(page);

  await page.getByText("Meer per team, traject en reden").click();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Download als CSV: Aantallen en uitkomsten per gekozen traject/ }).click();
  const file = await (await download).path();
  // For Dutch Excel: a byte order mark and ';' between fields.
  const text = await readFile(file, "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const csv = text.slice(1).trim().split(/\r\n/);
  expect(csv[0]).toBe("Gekozen traject;Werk;Geen werk;Uitkomst nog onbekend;Totaal;Kans op werk;95%-ondergrens;95%-bovengrens");
  expect(csv.length).toBeGreaterThan(2);
  for (const line of csv.slice(1)) {
    const cells = line.split(";");
    for (const cell of cells.slice(1, 5)) {
      if (cell !== "<10") expect(Number(cell), line).toBeGreaterThanOrEqual(10);
    }
  }
  // RFC 4180 on request: commas, no byte order mark.
  const plain = await (await page.request.get("/dashboard/csv/interventions.csv?team=Team+Noord&format=rfc4180")).text();
  expect(plain.charCodeAt(0)).not.toBe(0xfeff);
  expect(plain.split(/\r\n/)[0]).toBe("Gekozen traject,Werk,Geen werk,Uitkomst nog onbekend,Totaal,Kans op werk,95%-ondergrens,95%-bovengrens");

  // A selection without (enough) people is suppressed as a whole.
  await page.goto("/dashboard?team=Team+Nergens");
  await expect(page.getByTestId("view-suppressed")).toBeVisible();
  await expect(page.getByTestId("answers")).toHaveCount(0);
  const empty = await page.request.get("/dashboard/csv/interventions.csv?team=Team+Nergens");
  expect(empty.status()).toBe(200);
  expect((await empty.text()).trim().split(/\r\n/)).toHaveLength(1);

  await page.goto("/dashboard");
  // In English, group labels come from the configuration and the intake, not Dutch codes.
  await page.getByRole("button", { name: "English" }).click();
  const fairness = page.getByTestId("section-fairness-chart");
  await expect(fairness).toContainText("Woman");
  await expect(fairness).not.toContainText("vrouw");
  await expect(fairness).toContainText("percentage points");
});

test("the dashboard and its CSV are for managers and admins only", async ({ page }) => {
  await login(page, "klantmanager1");
  expect((await page.goto("/dashboard"))?.status()).toBe(403);
  expect((await page.request.get("/dashboard/csv/interventions.csv")).status()).toBe(403);
});
