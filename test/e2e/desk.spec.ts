import type { Page } from "@playwright/test";
import { answerChoicesAndNumbers, answerYesNo, expect, expectAccessible, login, test } from "./fixtures";

/** WCAG 1.4.10 reflow: the page itself never scrolls sideways (a table may scroll inside its own box). */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, "page wider than the screen").toBeLessThanOrEqual(client);
}

test.use({ viewport: { width: 390, height: 844 } });

test("the desk at 390 px: an intake that invents nothing, advice that names unknown facts, print view, saved decision, what-if before and after", async ({ page }) => {
  // Many steps through three pages: more than the default minute on a busy machine.
  test.setTimeout(240_000);
  await login(page, "klantmanager2");

  // The intake: nothing pre-selected or pre-filled, "unknown" is an answer of its own.
  await page.goto("/clients/new");
  await expect(page.getByRole("heading", { name: "Nieuwe cliënt" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  const form = page.locator('form:has([name="reference"])');
  expect(await form.locator('input[type="radio"]:checked').count()).toBe(0);
  expect(await form.locator('input[type="number"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).filter((v) => v !== ""))).toEqual([]);
  const preselected = await form
    .locator("select:not([name^='fairness'])")
    .evaluateAll((selects) => selects.filter((s) => !(s as HTMLSelectElement).selectedOptions[0]?.disabled).map((s) => (s as HTMLSelectElement).name));
  expect(preselected).toEqual([]);
  // Reflow down to the narrowest width WCAG 1.4.10 asks for.
  await page.setViewportSize({ width: 320, height: 700 });
  await expectNoSidewaysScroll(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);

  await page.getByLabel("Dossiernummer gemeente").fill(`E2E-DESK-${Date.now()}`);
  await answerChoicesAndNumbers(page);
  await answerYesNo(page);
  await page.locator('fieldset[data-feature="taaleis_voldaan"]').getByLabel("Onbekend", { exact: true }).check();
  await page.getByRole("button", { name: "Cliënt opslaan" }).click();

  // The advice says which facts were unknown and how much they matter.
  await expect(page.getByTestId("ranking")).toBeVisible();
  await expect(page).toHaveTitle(/^Cliënt TW-[A-Z0-9]{10} — Trajectwijzer$/);
  const unknown = page.getByTestId("unknown-facts");
  await expect(unknown.locator('li[data-feature="taaleis_voldaan"]')).toContainText(/Voldoet aan de taaleis: kans onder het eerste advies \d+% tot \d+%/);
  await expect(page.getByTestId("client-summary")).toContainText("Besluit nog open");
  await expect(page.getByTestId("advice-verdict")).toBeVisible();
  // One gain chart with a text alternative per eligible trajectory other than regular guidance.
  const charts = page.getByTestId("ranking").getByRole("img");
  expect(await charts.count()).toBeGreaterThan(0);
  await expect(charts.first()).toHaveAttribute("aria-label", /Winst ten opzichte van regulier: [+−±]\d+ procentpunt, 80%-interval/);
  // Every "little evidence" badge says why, in the words that fit the row's evidence. This unusual
  // profile has few comparable clients for most trajectories (the sentences themselves: advice-words.test.ts).
  const lowEvidence = await page
    .locator('[data-testid="ranking"] tbody tr:has(.low-evidence)')
    .evaluateAll((rows) => rows.map((r) => [r.querySelector('td[data-label="Onderbouwing"]')?.textContent ?? "", r.querySelector(".low-evidence .help")?.textContent ?? ""]));
  expect(lowEvidence.length).toBeGreaterThan(0);
  for (const [evidence = "", why = ""] of lowEvidence) {
    if (evidence.startsWith("minder dan 10 vergelijkbare cliënten")) expect(why).toMatch(/^Minder dan 10 vergelijkbare cliënten kregen dit traject/);
    else expect(why).toMatch(/^Cliënten zoals deze kregen dit traject zelden \(naar schatting \d+(,\d)?%\)/);
  }
  // No debts answered: debt counselling does not apply. No chance for it, its rule in plain words.
  const excluded = page.locator('[data-testid="ranking"] tr[data-arm="schuldhulp"]');
  await expect(excluded).toHaveClass(/not-eligible/);
  await expect(excluded.locator('td[data-label="Kans op werk (12 mnd)"]')).toHaveText("geen kans berekend");
  await expect(excluded.locator(".excluded-by")).toHaveText(
    "Niet van toepassing: Schuldhulpverlening alleen bij problematische schulden of als de cliënt eerder in de schuldhulpverlening zat.",
  );
  expect(await excluded.textContent()).not.toMatch(/%|_|=/);
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);

  // Printing: the file without navigation, forms or what-if controls.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByTestId("ranking")).toBeVisible();
  await expect(page.getByTestId("client-summary")).toBeVisible();
  await expect(page.locator("header.site-header")).toBeHidden();
  for (const f of await page.locator("main form").all()) await expect(f).toBeHidden();
  await expect(page.getByRole("button", { name: "Advies afdrukken" })).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("button", { name: "Advies afdrukken" })).toBeVisible();

  // A saved decision is confirmed (a live region), shows its version, and the form does not wait to be sent again.
  // The first-ranked trajectory is chosen explicitly (when the model only informs, nothing is pre-selected).
  await page.getByLabel("Gekozen traject").selectOption((await page.locator('tr[data-rank="1"]').getAttribute("data-arm")) ?? "");
  await page.getByRole("button", { name: "Besluit opslaan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Besluit opgeslagen als versie 1." })).toBeVisible();
  await expect(page.getByTestId("decision-state")).toContainText("versie 1");
  await expect(page.getByRole("button", { name: "Besluit opslaan" })).toBeHidden();
  await expectAccessible(page);

  // The printed file at desktop width: the summary (code, status, last contact), advice, reasons, unknown
  // facts and the decision on one or two A4 pages.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: "print" });
  const code = /TW-[A-Z0-9]{10}/.exec(await page.title())?.[0] ?? "no code in the title";
  const summary = page.getByTestId("client-summary");
  const summaryItem = (term: string) => summary.locator("dl > div").filter({ has: page.locator("dt", { hasText: term }) }).locator("dd");
  await expect(summaryItem("Cliëntcode")).toHaveText(code);
  await expect(summaryItem("Status")).toHaveText(/^(Intake|Traject loopt)$/);
  await expect(summaryItem("Laatste contact")).toHaveText(/^\d{2}-\d{2}-\d{4}$/);
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
  expect(pages, "A4 pages printed").toBeGreaterThanOrEqual(1);
  expect(pages, "A4 pages printed").toBeLessThanOrEqual(2);
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 390, height: 844 });

  // What-if: the changed chances beside the original ones, marked as hypothetical, what moved highlighted.
  const ranking = page.getByTestId("ranking");
  await expect(ranking.locator("tr.moved")).toHaveCount(0);
  const whatIf = page.getByLabel("Stel: de cliënt heeft een opleiding afgerond");
  await whatIf.check();
  await expect(page.getByTestId("hypothetical")).toBeVisible();
  await expect(page.getByTestId("before-chance").first()).toContainText(/^Nu: \d+%$/);
  expect(await page.getByTestId("before-chance").count()).toBeGreaterThan(1);
  const rows = await ranking.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      arm: tr.getAttribute("data-arm"),
      moved: tr.classList.contains("moved"),
      eligible: !tr.classList.contains("not-eligible"),
      before: tr.querySelector('[data-testid="before-chance"]')?.textContent?.replace(/^[^\d]*/, "") ?? null,
      after: tr.querySelector(".chance-value")?.textContent ?? null,
    })),
  );
  // Finishing an education changes chances; every row whose chance changed is marked, a row without a chance never.
  expect(rows.filter((r) => r.moved).length).toBeGreaterThan(0);
  for (const r of rows) {
    if (!r.eligible) expect(r.moved, `${r.arm} shows no chance`).toBe(false);
    else if (r.before !== r.after) expect(r.moved, `${r.arm}: ${r.before} → ${r.after}`).toBe(true);
  }
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
});

test("the caseload at 320 px: current advice, decision state, Dutch dates, the right plural, no sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await login(page, "klantmanager1");
  await expect(page.getByRole("heading", { name: "Mijn cliënten" })).toBeVisible();
  const table = page.getByTestId("caseload");
  await expect(table.locator("caption")).toHaveText(/^\d+ cliënten$/);
  const dates = await table.locator('td[data-label="Laatste contact"]').allTextContents();
  expect(dates.length).toBeGreaterThan(0);
  for (const d of dates) expect(d).toMatch(/^\d{2}-\d{2}-\d{4}$/);
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);

  // One search hit: "1 cliënt".
  const code = (await table.getByRole("link").first().textContent()) ?? "";
  await page.getByLabel("Zoek op cliëntcode of dossiernummer").fill(code);
  await page.getByRole("button", { name: "Zoeken" }).click();
  await expect(table.locator("caption")).toHaveText("1 cliënt");
  await expect(table.locator('td[data-label="Besluit"]')).toHaveCount(1);

  // The client page reflows at 320 px too, and the header keeps logging out reachable.
  await table.getByRole("link").first().click();
  await expect(page.getByTestId("ranking")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole("button", { name: "Uitloggen" })).toBeInViewport();

  // In English: English words and notation throughout, no Dutch codes or units.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Trajectories in order of advice" })).toBeVisible();
  await expect(page).toHaveTitle(/^Client TW-[A-Z0-9]{10} — Trajectwijzer$/);
  await expect(page.getByTestId("ranking")).toContainText("points");
  await expect(page.getByTestId("ranking")).not.toContainText("procentpunt");
  // Yes/no facts read yes or no, categories by their English label; never 0/1 or a code with underscores.
  const profile = await page.locator(".profile-list .contents").evaluateAll((rows) => rows.map((r) => [r.querySelector("dt")?.textContent ?? "", r.querySelector("dd")?.textContent ?? ""]));
  for (const [label = "", value = ""] of profile) {
    if (label.startsWith("Medication")) expect(value, label).toMatch(/^(yes|no|unknown)$/);
    expect(value, label).not.toMatch(/_|^(ja|nee|onbekend)$/);
  }
  await expectNoSidewaysScroll(page);
});
