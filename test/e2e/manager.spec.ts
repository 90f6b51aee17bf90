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

test("manager: the first screen answers in plain words with trend and fairness charts; the statistics wait in the analyst details", async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, "manager");
  await page.goto("/dashboard");
  await expect(page.getByTestId("answers").locator("h2")).toHaveCount(5);
  await expect(page.getByTestId("answer-followed")).toContainText("%");
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
  await expect(page.getByTestId("table-adoption-month")).toBeHidden();
  await page.getByTestId("section-adoption-month").getByText("Toon tabel").click();
  await expect(page.getByTestId("table-adoption-month")).toBeVisible();
  await expectAccessible(page);

  // The analyst details hold the estimators, calibration (ticks, one scale) and drift.
  await page.getByTestId("analyst").locator("summary").first().click();
  await expect(page.getByTestId("section-offpolicy")).toContainText("IPW");
  await expect(page.getByTestId("section-calibration").locator("svg .chart-tick").first()).toBeVisible();
  await expectAccessible(page);

  // In English, group labels come from the configuration and the intake, not Dutch codes.
  await page.getByRole("button", { name: "English" }).click();
  const fairness = page.getByTestId("section-fairness-chart");
  await expect(fairness).toContainText("Woman");
  await expect(fairness).not.toContainText("vrouw");
  await expect(fairness).toContainText("percentage points");
  await page.getByRole("button", { name: "Nederlands" }).click();
});

test("audit log: names, roles and client codes, local time, filters, and an audited CSV export", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // A case worker opens a client: an entry to find.
  const caseworker = await browser.newPage();
  await login(caseworker, "klantmanager1");
  const firstClient = caseworker.getByRole("table").getByRole("link").first();
  const code = ((await firstClient.textContent()) ?? "").trim();
  await firstClient.click();
  await expect(caseworker.getByRole("heading", { level: 1 })).toContainText(code);
  expect((await caseworker.request.get("/audit/export.csv")).status()).toBe(403);
  await caseworker.close();

  await login(page, "manager");
  await page.goto("/audit");
  await page.getByLabel("Persoon").selectOption({ label: "Klantmanager Een (Klantmanager)" });
  await page.getByLabel("Cliëntcode").fill(code);
  await page.getByLabel("Handeling").selectOption({ label: "Cliëntdossier ingezien" });
  const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam" }).format(new Date());
  await page.getByLabel("Vanaf").fill(today);
  await page.getByLabel("Tot en met").fill(today);
  await page.getByRole("button", { name: "Filteren" }).click();
  await expect(page).toHaveURL(/person=.+&client=TW-.+&action=client\.view/);
  const row = page.getByTestId("audit").locator("tbody tr").first();
  await expect(row).toContainText("Klantmanager Een");
  await expect(row).toContainText("Klantmanager");
  await expect(row).toContainText(code);
  await expect(row).toContainText("Cliëntdossier ingezien");
  await expect(row).not.toContainText("client.view");
  // Dutch local time: today's date in Amsterdam, written the Dutch way.
  const [y, m, d] = today.split("-");
  await expect(row.getByTestId("audit-time")).toHaveText(new RegExp(`^${d}-${m}-${y} \\d{2}:\\d{2}:\\d{2}$`));
  await expectAccessible(page);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /Exporteer deze selectie als CSV/ }).click();
  const text = await readFile(await (await download).path(), "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trimEnd().split("\r\n");
  expect(lines[0]).toBe("Tijd (Europe/Amsterdam);Wie;Wie (id);Rol;Cliënt;Handeling;Handeling (code);Waarom;Resultaat;Object;Herkomst (adres)");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(`;Klantmanager Een;`);
  expect(lines[1]).toContain(`;${code};Cliëntdossier ingezien;client.view;`);
  // The export itself is in the log.
  await page.goto("/audit?action=audit.export");
  await expect(page.getByTestId("audit").locator("tbody tr").first()).toContainText("Auditlog geëxporteerd");
});
