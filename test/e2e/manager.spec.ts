import { readFile } from "node:fs/promises";
import { expect, expectAccessible, login, test } from "./fixtures";

test("audit log: names, roles and client codes, local time, filters, and an audited CSV export", async ({ page, browser }) => {
  test.setTimeout(240_000);
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
  await expect(row.getByTestId("audit-reason")).toHaveText("Eigen caseload");
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
  expect(lines[0]).toBe("Tijd (Europe/Amsterdam);Wie;Wie (id);Rol;Cliënt;Handeling;Handeling (code);Waarom;Reden van inzage;Resultaat;Object;Herkomst (adres)");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(`;Klantmanager Een;`);
  expect(lines[1]).toContain(`;${code};Cliëntdossier ingezien;client.view;Begeleiding van de cliënt naar werk;Eigen caseload;`);
  // The export itself is in the log.
  await page.goto("/audit?action=audit.export");
  await expect(page.getByTestId("audit").locator("tbody tr").first()).toContainText("Auditlog geëxporteerd");
});
