import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsvRecord } from "../../model/csv/index";
import { ReportSchema } from "../../model/report/index";
import { main as exportDecisions } from "../../scripts/export-decisions";
import { main as report } from "../../scripts/report";
import { makeTinyBundle } from "../fixtures/tiny-bundle";
import { runInProcess } from "../setup/run-cli";
import { openAppDatabase } from "../../scripts/lib/app-env";

/**
 * The data scientist's loop for logged probabilities, end to end on a real (SQLite) database: advice shown
 * (some of it with the first position drawn among tied arms), decisions and outcomes recorded →
 * `npm run export-decisions` → `npm run report` on that file, which conditions those rows'
 * propensities on the logged draw and says how many rows it did that for.
 */
let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
const CLIENTS = 240;
const codes: string[] = [];
let varied = 0;
let dataDir: string;

beforeAll(async () => {
  process.env.TRAJECTWIJZER_QUIET_BACKEND = "1";
  // A fresh DATA_DIR as `npm start` and the CLI find it (the CLI's own migration path), used by both.
  dataDir = await mkdtemp(join(tmpdir(), "tw-export-"));
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: "", MODEL_DIR: "" });
  await openAppDatabase();
  db = (await import("~/utils/db.server")).getDb();
  fixture = await makeTinyBundle({ n: 600, seed: 9, members: 1, epochs: 1, baseline: false });
  const worker = (await db.user.create({ data: { username: "w", displayName: "W", role: "caseworker", passwordHash: "x" } })).id;
  const features = fixture.tiny.schema.features.map((f) => f.name);
  const clients = [];
  const recommendations = [];
  const decisions = [];
  const outcomes = [];
  for (let i = 0; i < CLIENTS; i++) {
    const row = fixture.tiny.rows[i] as Record<string, string | number>;
    const chosen = String(row.interventie);
    // Every third client saw jobcoaching and scholing drawn 50/50 for the first place and got the one shown first.
    const draw = i % 3 === 0 && (chosen === "jobcoaching" || chosen === "scholing");
    if (draw) varied++;
    const probabilities = draw ? { jobcoaching: 0.5, scholing: 0.5 } : { [chosen]: 1 };
    const code = `TW-EXPORT${String(i).padStart(4, "0")}`;
    codes.push(code);
    const work = Number(row.werk_12m) === 1;
    clients.push({
      id: `client-${i}`,
      referenceHash: `pseudonym-${i}`,
      code,
      caseworkerId: worker,
      profileJson: JSON.stringify(Object.fromEntries(features.map((f) => [f, row[f]]))),
      fairnessSex: String(row.geslacht ?? "") || null,
      fairnessOrigin: String(row.herkomst ?? "") || null,
    });
    recommendations.push({
      id: `recommendation-${i}`,
      clientId: `client-${i}`,
      modelVersion: fixture.version,
      resultJson: JSON.stringify({ shown: { ranked: chosen, first: chosen, varied: draw, probabilities } }),
      topArm: chosen,
      shownFirst: chosen,
      shownFirstProbability: draw ? 0.5 : 1,
    });
    decisions.push({ id: `decision-${i}`, clientId: `client-${i}`, recommendationId: `recommendation-${i}`, chosenArm: chosen, followedAdvice: true, decidedById: worker, version: 1 });
    outcomes.push({
      clientId: `client-${i}`,
      decisionId: `decision-${i}`,
      work,
      hoursPerWeek: work ? 24 : null,
      leftBenefits: work,
      wmoAfter: false,
      debtsAfter: Number(row.problematische_schulden) === 1,
      recordedById: worker,
      version: 1,
    });
  }
  await db.client.createMany({ data: clients });
  await db.recommendation.createMany({ data: recommendations });
  await db.decision.createMany({ data: decisions });
  await db.outcome.createMany({ data: outcomes });
}, 240_000);

afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe("export of shown advice → report with logged probabilities", () => {
  it("exports one pseudonymous row per client with an outcome, with the logged draw, and audits it", async () => {
    const out = join(fixture.root, "export.csv");
    const run = await runInProcess(exportDecisions, ["--model", fixture.dir, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.exit).toBeNull();
    expect(run.stdout).toContain(`Wrote ${CLIENTS} rows (${CLIENTS} with logged first-position probabilities)`);
    const text = await readFile(out, "utf8");
    const [header, ...lines] = text.trim().split("\n").map((l) => parseCsvRecord(l, ",") ?? []);
    expect(header?.slice(0, 2)).toEqual(["pseudonym", fixture.tiny.schema.features[0]?.name]);
    expect(header?.slice(-3)).toEqual(["shownFirst", "shownFirstProbability", "chosenShownFirstProbability"]);
    expect(header).toEqual(expect.arrayContaining(["interventie", "werk_12m", "uren_per_week", "wmo_12m", "schulden_12m", "uitstroom_12m"]));
    expect(lines).toHaveLength(CLIENTS);
    // No display code, reference or date leaves the app.
    for (const code of codes) expect(text).not.toContain(code);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const at = (name: string) => header?.indexOf(name) ?? -1;
    const drawn = lines.filter((l) => l[at("shownFirstProbability")] === "0.5");
    expect(drawn).toHaveLength(varied);
    expect(drawn.every((l) => l[at("chosenShownFirstProbability")] === "0.5" && l[at("shownFirst")] === l[at("interventie")])).toBe(true);
    const audit = await db.auditEvent.findFirst({ where: { action: "research.export" }, select: { object: true, result: true, origin: true } });
    expect(audit).toMatchObject({ object: `${CLIENTS} rows`, result: "ok" });
  });

  it("the report uses the logged probabilities as the propensity of the arm shown first, and says for how many rows", async () => {
    const table = join(fixture.root, "export.csv");
    const out = join(fixture.root, "report-logged");
    const run = await runInProcess(report, ["--model", fixture.dir, "--table", table, "--out", out, "--lang", "en"]);
    expect(run.stderr).toBe("");
    expect(run.exit).toBeNull();
    expect(run.stdout).toContain(`Rows whose propensity used logged first-position probabilities: ${CLIENTS}`);
    const logged = ReportSchema.parse(JSON.parse(await readFile(join(out, "report.json"), "utf8")));
    expect(logged.loggedProbabilities?.rows).toBe(CLIENTS);
    // Case workers here always took the arm shown first: a clear share followed it.
    expect(logged.loggedProbabilities?.followShare).toBeGreaterThan(0.3);
    expect(await readFile(join(out, "report.html"), "utf8")).toContain(`Logged probabilities: for ${CLIENTS} trajectories`);
    // Hours a week are reported on their own scale.
    expect(logged.outcomes.find((o) => o.column === "uren_per_week")).toMatchObject({ type: "continuous", unit: "hours per week" });

    // The same table without the logged columns: the drawn arms' estimates change, nothing says "logged".
    const text = await readFile(table, "utf8");
    const stripped = join(fixture.root, "export-unlogged.csv");
    // The three logged columns are the last ones; no value holds a comma.
    const lines = text.trim().split("\n").map((l) => l.split(",").slice(0, -3).join(","));
    await writeFile(stripped, `${lines.join("\n")}\n`);
    const plainOut = join(fixture.root, "report-plain");
    const plainRun = await runInProcess(report, ["--model", fixture.dir, "--table", stripped, "--out", plainOut]);
    expect(plainRun.stderr).toBe("");
    expect(plainRun.exit).toBeNull();
    expect(plainRun.stdout).not.toContain("logged");
    const plain = ReportSchema.parse(JSON.parse(await readFile(join(plainOut, "report.json"), "utf8")));
    expect(plain.loggedProbabilities).toBeUndefined();
    const overall = (r: typeof plain, arm: string) => r.effects.find((e) => e.outcome === "werk_12m" && e.arm === arm && e.group === null)?.estimate;
    const drawnArm = ["jobcoaching", "scholing"].find((arm) => overall(plain, arm) !== null && overall(plain, arm) !== undefined);
    expect(drawnArm).toBeDefined();
    expect(overall(logged, drawnArm as string)).not.toBe(overall(plain, drawnArm as string));
  });

  it("refuses a table whose logged columns are incomplete, in one line", async () => {
    const text = await readFile(join(fixture.root, "export.csv"), "utf8");
    const broken = join(fixture.root, "export-broken.csv");
    await writeFile(broken, text.replace(",chosenShownFirstProbability\n", ",other\n"));
    const run = await runInProcess(report, ["--model", fixture.dir, "--table", broken, "--out", join(fixture.root, "x")]);
    expect(run.exit).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('no column "chosenShownFirstProbability"');
  });
});
