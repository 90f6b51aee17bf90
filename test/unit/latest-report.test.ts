import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Report, writeReport } from "../../model/report/index";
import { routeAnswer } from "../setup/route-answer";
import { useTestDatabase } from "../setup/test-db";

/** A small, valid report (every figure ≥ 10 people) for a given model version. */
function reportFor(version: string, generatedAt: string): Report {
  return {
    format: "trajectwijzer-report",
    formatVersion: 1,
    generatedAt,
    lang: "nl",
    model: { version },
    table: { sha256: "0".repeat(64), rows: 400 },
    minCell: 10,
    control: "regulier",
    arms: [
      { key: "regulier", name: "Reguliere begeleiding" },
      { key: "schuldhulp", name: "Schuldhulpverlening eerst" },
    ],
    outcomes: [{ column: "werk_12m", type: "binary", label: "Betaald werk binnen 12 maanden", unit: null, primary: true, outcomeModel: "network", n: 400 }],
    subgroups: [
      {
        feature: "problematische_schulden",
        label: "Problematische schulden",
        role: "feature",
        values: [
          { value: "0", label: "nee", n: 300 },
          { value: "1", label: "ja", n: 100 },
        ],
      },
    ],
    factorScales: [],
    overlap: { clip: 0.01, threshold: 0.02, share: 0.05, perArm: [{ arm: "schuldhulp", share: 0.05 }] },
    effects: [
      { outcome: "werk_12m", arm: "schuldhulp", group: null, estimate: 0.03, lower: -0.01, upper: 0.07, n: 400 },
      { outcome: "werk_12m", arm: "schuldhulp", group: { feature: "problematische_schulden", value: "0" }, estimate: -0.01, lower: -0.05, upper: 0.03, n: 300 },
      { outcome: "werk_12m", arm: "schuldhulp", group: { feature: "problematische_schulden", value: "1" }, estimate: 0.12, lower: 0.05, upper: 0.19, n: 100 },
    ],
    factors: [],
  };
}

describe("/reports/latest", () => {
  let dataDir = "";
  let manager = "";
  let caseworker = "";
  let page: typeof import("~/routes/reports.latest");
  let html: typeof import("~/routes/reports.latest[.html]");

  beforeAll(async () => {
    await useTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), "tw-reports-"));
    process.env.DATA_DIR = dataDir;
    const { getDb } = await import("~/utils/db.server");
    const { createSession } = await import("~/utils/auth/session.server");
    const db = getDb();
    const cookieOf = async (username: string, role: string) => {
      const user = await db.user.create({ data: { username, displayName: username, role, passwordHash: "x" } });
      return (await createSession(user.id)).split(";")[0] ?? "";
    };
    manager = await cookieOf("mgr-report", "manager");
    caseworker = await cookieOf("cw-report", "caseworker");
    await db.modelVersion.create({ data: { id: "active-model", dir: dataDir, status: "active", metricsJson: "{}", activatedAt: new Date() } });
    page = await import("~/routes/reports.latest");
    html = await import("~/routes/reports.latest[.html]");
  });
  afterAll(async () => {
    delete process.env.DATA_DIR;
    await rm(dataDir, { recursive: true, force: true });
  });

  const request = (url: string, cookie: string) => new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
  const getPage = (cookie: string) => routeAnswer(page.loader({ request: request("/reports/latest", cookie), params: {}, context: {} }));
  const getHtml = (cookie: string) => routeAnswer(html.loader({ request: request("/reports/latest.html", cookie), params: {}, context: {} }));

  it("says there is no report yet, and keeps case workers out", async () => {
    expect((await getPage(caseworker)).status).toBe(403);
    const none = await getPage(manager);
    expect(none.body).toMatchObject({ status: "none", model: "active-model" });
    expect((await getHtml(manager)).status).toBe(404);
  });

  it("shows the newest report made for the active model, never another model's", async () => {
    const reports = path.join(dataDir, "reports");
    await writeReport(path.join(reports, "older"), reportFor("active-model", "2026-01-01T10:00:00.000Z"));
    await writeReport(path.join(reports, "newer"), reportFor("active-model", "2026-02-01T10:00:00.000Z"));
    await writeReport(path.join(reports, "other-model"), reportFor("another-model", "2026-03-01T10:00:00.000Z"));
    const answer = await getPage(manager);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "ok", model: "active-model", summary: { generatedAt: "2026-02-01T10:00:00.000Z", rows: 400 } });
    const full = await html.loader({ request: request("/reports/latest.html", manager), params: {}, context: {} });
    expect(full.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(full.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    const text = await full.text();
    expect(text).toContain("Wat werkt voor wie");
    expect(text).toMatch(/<svg[^>]+role="img"/);
  });

  it("refuses a report that fails the disclosure rules", async () => {
    const dir = path.join(dataDir, "reports", "newest-leaky");
    await writeReport(dir, reportFor("active-model", "2026-04-01T10:00:00.000Z"));
    await writeFile(path.join(dir, "extra.csv"), "\uFEFFfeature;value;n\r\nopleiding;basis;3\r\n");
    expect((await getPage(manager)).body).toMatchObject({ status: "refused" });
    expect((await getHtml(manager)).status).toBe(404);
  });
});
