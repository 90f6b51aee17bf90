import { beforeAll, describe, expect, it } from "vitest";
import type { ReferenceStats } from "../../model/index";
import { populationStabilityIndex } from "../../model/index";
import type { Cell, ReportTable } from "~/utils/quality/quality-report";
import { useTestDatabase } from "../setup/test-db";

/**
 * 100 hand-made decisions (figures below are computed by hand):
 *  - clients 0..49 followed the advice (top arm jobcoaching, chosen jobcoaching), Team A / B alternating;
 *    0..19 found work, 20..39 did not, 40..49 have no outcome yet;
 *  - clients 50..99 did not (chosen regulier): 50..59 work, 60..89 no work, 90..99 pending;
 *    reasons: client_preference 50..79 (30), not_available 80..95 (16), other 96..99 (4);
 *  - the shown result: expected jobcoaching 0.4, regulier 0.2; propensity 0.5 each;
 *  - sex: man 0..59, vrouw 60..84, not recorded 85..99;
 *  - client 0 has an older decision (regulier, not followed) and an older outcome (no work):
 *    only the latest versions count.
 */
const SHOWN = JSON.stringify({
  modelVersion: "test",
  outcomeType: "binary",
  control: "regulier",
  arms: [
    { arm: "jobcoaching", rank: 1, eligible: true, excludedBy: null, expected: 0.4, lower: 0.3, upper: 0.5, gain: 0.2, gainLower: 0.1, gainUpper: 0.3, propensity: 0.5, comparableClients: null, lowEvidence: false, reasons: [] },
    { arm: "regulier", rank: 2, eligible: true, excludedBy: null, expected: 0.2, lower: 0.1, upper: 0.3, gain: 0, gainLower: 0, gainUpper: 0, propensity: 0.5, comparableClients: null, lowEvidence: false, reasons: [] },
  ],
  whatIfs: [],
});

let quality: typeof import("~/utils/quality/quality.server");
let models: typeof import("~/models/quality.server");

const reasonOf = (i: number) => (i < 80 ? "client_preference" : i < 96 ? "not_available" : "other");

beforeAll(async () => {
  await useTestDatabase();
  const db = (await import("~/utils/db.server")).getDb();
  quality = await import("~/utils/quality/quality.server");
  models = await import("~/models/quality.server");
  const teamA = (await db.user.create({ data: { username: "a", displayName: "A", role: "caseworker", team: "Team A", passwordHash: "x" } })).id;
  const teamB = (await db.user.create({ data: { username: "b", displayName: "B", role: "caseworker", team: "Team B", passwordHash: "x" } })).id;
  for (let i = 0; i < 100; i++) {
    const followed = i < 50;
    const worker = i % 2 === 0 ? teamA : teamB;
    const client = await db.client.create({
      data: {
        referenceHash: `ref-${i}`,
        code: `TW-${i}`,
        caseworkerId: worker,
        profileJson: JSON.stringify({ leeftijdsklasse: "27-34", huishouden: "alleenstaand" }),
        fairnessSex: i < 60 ? "man" : i < 85 ? "vrouw" : null,
      },
    });
    const rec = await db.recommendation.create({ data: { clientId: client.id, modelVersion: "test", resultJson: SHOWN, topArm: "jobcoaching" } });
    const decidedAt = new Date(i < 50 ? "2026-01-15T10:00:00Z" : "2026-03-15T10:00:00Z");
    let supersedesId: string | null = null;
    if (i === 0) {
      const old = await db.decision.create({
        data: { clientId: client.id, recommendationId: rec.id, chosenArm: "regulier", followedAdvice: false, reasonCode: "other", decidedById: worker, version: 1, createdAt: decidedAt },
      });
      supersedesId = old.id;
    }
    const decision = await db.decision.create({
      data: {
        clientId: client.id,
        recommendationId: rec.id,
        chosenArm: followed ? "jobcoaching" : "regulier",
        followedAdvice: followed,
        reasonCode: followed ? null : reasonOf(i),
        decidedById: worker,
        version: i === 0 ? 2 : 1,
        supersedesId,
        createdAt: decidedAt,
      },
    });
    const pending = (i >= 40 && i < 50) || i >= 90;
    if (pending) continue;
    const work = i < 20 || (i >= 50 && i < 60);
    const base = { clientId: client.id, decisionId: decision.id, leftBenefits: false, wmoAfter: false, debtsAfter: false, recordedById: worker };
    if (i === 0) await db.outcome.create({ data: { ...base, work: false, version: 1 } });
    await db.outcome.create({ data: { ...base, work, version: i === 0 ? 2 : 1 } });
  }
});

const row = (table: ReportTable, key: string, column = 0): Cell[] => {
  const found = table.rows.find((r) => r[column] === key);
  if (!found) throw new Error(`no row ${key} in ${table.id}`);
  return found;
};

describe("quality report from the app's own records", () => {
  it("latest versions only; adoption by team; followed vs not followed with Wilson intervals", async () => {
    const rows = await models.listQualityRows({});
    expect(rows).toHaveLength(100);
    const report = quality.computeQualityReport(rows, null);
    if (report.suppressed) throw new Error("suppressed");
    expect(report.population).toBe(100);
    expect(report.adoption).toBe(0.5);
    expect(row(report.tables["adoption-team"], "Team A").slice(1, 5)).toEqual([25, 25, 50, 0.5]);
    const followed = row(report.tables.followed, "followed");
    expect(followed.slice(1, 6)).toEqual([20, 20, 10, 50, 0.5]);
    const ci = quality.wilsonInterval(20, 40);
    expect(followed[6]).toBeCloseTo(ci.lower, 10);
    expect(row(report.tables.followed, "notFollowed").slice(1, 6)).toEqual([10, 30, 10, 50, 0.25]);
    // Wilson 95% for 5 of 10, by hand: 0.2366 – 0.7634.
    const five = quality.wilsonInterval(5, 10);
    expect(five.lower).toBeCloseTo(0.2366, 4);
    expect(five.upper).toBeCloseTo(0.7634, 4);
  });

  it("deviation reasons: the small one and, to protect it, the next-smallest are '<10'", async () => {
    const report = quality.computeQualityReport(await models.listQualityRows({}), null);
    if (report.suppressed) throw new Error("suppressed");
    const reasons = report.tables.reasons;
    expect(row(reasons, "client_preference")[1]).toBe(30);
    expect(row(reasons, "other")[1]).toBe("<10");
    expect(row(reasons, "not_available")[1]).toBe("<10");
    expect(row(reasons, "total")[1]).toBe(50);
  });

  it("off-policy: IPW, self-normalised IPW and DR match the hand computation", async () => {
    const report = quality.computeQualityReport(await models.listQualityRows({}), null);
    if (report.suppressed) throw new Error("suppressed");
    const t = report.tables.offpolicy;
    // 80 clients with an outcome; 40 followed (20 work), 40 not (10 work); μ(jc) = 0.4. Each team
    // follows half the time, as often as history did (p = 0.5), so the mixture propensity is e = 0.5.
    expect(row(t, "observed")[2]).toBeCloseTo(30 / 80, 10);
    expect(row(t, "ipw")[2]).toBeCloseTo(20 / 0.5 / 80, 10);
    expect(row(t, "selfNormalisedIpw")[2]).toBeCloseTo(0.5, 10);
    expect(row(t, "doublyRobust")[2]).toBeCloseTo(0.4 + (20 - 0.4 * 40) / 0.5 / 80, 10);
    expect(row(t, "difference")[2]).toBeCloseTo(0.125, 10);
    expect(row(t, "doublyRobust")[1]).toBe(80);
    const [lower, upper] = [row(t, "doublyRobust")[3] as number, row(t, "doublyRobust")[4] as number];
    expect(lower).toBeLessThan(0.5);
    expect(upper).toBeGreaterThan(0.5);
  });

  it("off-policy with a team that follows more than history did: the mixture propensity, by hand", () => {
    // 40 clients in one team, advice jobcoaching (historical propensity 0.5): 30 followed (15 work),
    // 10 chose regulier (5 work). Adoption 0.75 ⇒ f = (0.75 − 0.5) / (1 − 0.5) = 0.5 ⇒ e(advice) = 0.75.
    const rows = Array.from({ length: 40 }, (_, i) => ({
      team: "T",
      decidedAt: new Date("2026-01-01"),
      chosenArm: i < 30 ? "jobcoaching" : "regulier",
      followedAdvice: i < 30,
      reasonCode: i < 30 ? null : "other",
      topArm: "jobcoaching",
      resultJson: SHOWN,
      profileJson: "{}",
      fairnessSex: null,
      fairnessOrigin: null,
      work: i < 15 || (i >= 30 && i < 35),
    }));
    const report = quality.computeQualityReport(rows, null);
    if (report.suppressed) throw new Error("suppressed");
    const t = report.tables.offpolicy;
    expect(row(t, "ipw")[2]).toBeCloseTo(15 / 0.75 / 40, 10);
    expect(row(t, "selfNormalisedIpw")[2]).toBeCloseTo(0.5, 10);
    expect(row(t, "doublyRobust")[2]).toBeCloseTo(0.4 + (15 - 0.4 * 30) / 0.75 / 40, 10);
    expect(row(t, "observed")[2]).toBeCloseTo(20 / 40, 10);
  });

  it("off-policy with logged probabilities of what was shown first: they replace the indicator of the advised arm", () => {
    // As above, but jobcoaching was shown first by chance, with logged probability 0.5 (tied with regulier):
    // f = 0.5 as before, e(jobcoaching) = 0.5 · 0.5 + 0.5 · 0.5 = 0.5 instead of 0.75.
    const varied = JSON.stringify({
      ...JSON.parse(SHOWN),
      shown: { ranked: "jobcoaching", first: "jobcoaching", varied: true, probabilities: { jobcoaching: 0.5, regulier: 0.5 } },
    });
    const rows = Array.from({ length: 40 }, (_, i) => ({
      team: "T",
      decidedAt: new Date("2026-01-01"),
      chosenArm: i < 30 ? "jobcoaching" : "regulier",
      followedAdvice: i < 30,
      reasonCode: i < 30 ? null : "other",
      topArm: "jobcoaching",
      resultJson: varied,
      profileJson: "{}",
      fairnessSex: null,
      fairnessOrigin: null,
      work: i < 15 || (i >= 30 && i < 35),
    }));
    const report = quality.computeQualityReport(rows, null);
    if (report.suppressed) throw new Error("suppressed");
    const t = report.tables.offpolicy;
    expect(row(t, "ipw")[2]).toBeCloseTo(15 / 0.5 / 40, 10);
    expect(row(t, "doublyRobust")[2]).toBeCloseTo(0.4 + (15 - 0.4 * 30) / 0.5 / 40, 10);
    // Recorded without variation (probability 1 for the advised arm), the figures are those of the indicator.
    const fixed = JSON.stringify({ ...JSON.parse(SHOWN), shown: { ranked: "jobcoaching", first: "jobcoaching", varied: false, probabilities: { jobcoaching: 1 } } });
    const same = quality.computeQualityReport(
      rows.map((r) => ({ ...r, resultJson: fixed })),
      null,
    );
    if (same.suppressed) throw new Error("suppressed");
    expect(row(same.tables.offpolicy, "ipw")[2]).toBeCloseTo(15 / 0.75 / 40, 10);
  });

  it("calibration per chosen arm and fairness per group, with the small group suppressed", async () => {
    const report = quality.computeQualityReport(await models.listQualityRows({}), null);
    if (report.suppressed) throw new Error("suppressed");
    const cal = report.tables.calibration.rows;
    const jc = cal.filter((r) => r[0] === "jobcoaching");
    // All predictions tie at 0.4, so the equal-mass bins collapse into one of 40.
    expect(jc).toHaveLength(1);
    expect(jc[0]?.[2]).toBe(40);
    expect(jc[0]?.[3]).toBeCloseTo(0.4, 10);
    expect(jc[0]?.[4]).toBeCloseTo(0.5, 10);
    const reg = cal.find((r) => r[0] === "regulier");
    expect(reg?.[3]).toBeCloseTo(0.2, 10);
    expect(reg?.[4]).toBeCloseTo(0.25, 10);
    const fairness = report.tables.fairness;
    const man = fairness.rows.find((r) => r[0] === "sex" && r[1] === "man") as Cell[];
    // man: 0..39 (20 work) + 50..59 (10 work) → 50 people, 30 work; predicted (40 · 0.4 + 10 · 0.2) / 50.
    expect(man[2]).toBe(50);
    expect(man[3]).toBeCloseTo(0.36, 10);
    expect(man[4]).toBeCloseTo(0.6, 10);
    expect(man[7]).toBeCloseTo(0.24, 10);
    expect(man[10]).toBeCloseTo(0.4, 10);
    const unknown = fairness.rows.find((r) => r[0] === "sex" && r[1] === "not_recorded") as Cell[];
    expect(unknown[2]).toBe("<10");
    expect(unknown.slice(3).every((c) => c === "<10")).toBe(true);
    // vrouw (25) is hidden too, or 75 − 50 would give the not-recorded group back.
    expect((fairness.rows.find((r) => r[0] === "sex" && r[1] === "vrouw") as Cell[])[2]).toBe("<10");
  });

  it("no count below 10 is ever shown, in any table", async () => {
    const report = quality.computeQualityReport(await models.listQualityRows({}), null);
    if (report.suppressed) throw new Error("suppressed");
    for (const table of Object.values(report.tables)) {
      for (const r of table.rows) {
        r.forEach((cell, k) => {
          if (table.columns[k]?.kind === "count" && typeof cell === "number") expect(cell, table.id).toBeGreaterThanOrEqual(10);
        });
      }
    }
  });

  it("input drift: PSI per feature against the reference, flagged above 0.2", async () => {
    const reference = {
      distributions: {
        leeftijdsklasse: { kind: "categorical", bins: [{ levels: ["27-34"], share: 0.5 }, { levels: ["35-44"], share: 0.5 }] },
        huishouden: { kind: "categorical", bins: [{ levels: ["alleenstaand"], share: 0.99 }, { levels: ["paar_met_kinderen"], share: 0.01 }] },
      },
    } as unknown as ReferenceStats;
    const report = quality.computeQualityReport(await models.listQualityRows({}), reference);
    if (report.suppressed) throw new Error("suppressed");
    const age = row(report.tables.drift, "leeftijdsklasse");
    const expected = (1 - 0.5) * Math.log(1 / 0.5) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);
    expect(age[1]).toBeCloseTo(expected, 6);
    expect(age[2]).toBe("drift");
    const household = row(report.tables.drift, "huishouden");
    expect(household[1]).toBeCloseTo(populationStabilityIndex(reference.distributions?.huishouden as never, Array(100).fill("alleenstaand")), 10);
    expect(household[2]).toBe("stable");
  });

  it("filters: a fixed team only (no date ranges to difference); a selection under 10 people is suppressed whole", async () => {
    const teamA = await quality.getQualityReport({ team: "Team A" });
    expect(teamA.suppressed ? null : teamA.population).toBe(50);
    const march = await quality.getQualityReport(quality.parseQualityFilter(new URL("http://localhost/dashboard?from=2026-03&to=2026-03")));
    expect(march.suppressed ? null : march.population).toBe(100);
    expect(await quality.getQualityReport({ team: "Team Nergens" })).toEqual({ suppressed: true, population: "<10" });
  });

  it("periods are rows of one table: January and March 2026 are both the first quarter", async () => {
    const report = await quality.getQualityReport({});
    if (report.suppressed) throw new Error("suppressed");
    expect(row(report.tables["adoption-period"], "2026-Q1").slice(1, 5)).toEqual([50, 50, 100, 0.5]);
  });

  it("months: adoption and outcomes of followed vs not followed by month, suppressed with the followed table", async () => {
    const report = await quality.getQualityReport({});
    if (report.suppressed) throw new Error("suppressed");
    // January: 50 followed (20 work, 20 no work, 10 pending); March: 50 not followed (10, 30, 10).
    // The zero cells (no one not followed in January, no one followed in March) are hidden, and with
    // them their partners in each line, so every month cell reads "<10"; the margins stay.
    const adoption = report.tables["adoption-month"];
    expect(adoption.rows.map((r) => r[0])).toEqual(["2026-01", "2026-03", "total"]);
    expect(row(adoption, "2026-01").slice(1, 5)).toEqual(["<10", "<10", 50, "<10"]);
    expect(row(adoption, "total").slice(1, 5)).toEqual([50, 50, 100, 0.5]);
    const outcomes = report.tables["outcome-month"];
    expect(row(outcomes, "2026-03").slice(1, 8)).toEqual(["<10", "<10", "<10", "<10", 40, "<10", "<10"]);
    // Total: followed 20 of 40 found work, not followed 10 of 40: the followed table's cells.
    expect(row(outcomes, "total").slice(1, 8)).toEqual([20, 20, 10, 30, 80, 0.5, 0.25]);
    expect(row(report.tables.followed, "followed").slice(1, 3)).toEqual([20, 20]);
    // Accuracy over the 80 with an outcome: shown chance of the chosen arm 0.4 (40) and 0.2 (40) → 0.3; realised 30/80.
    expect(report.accuracy.count).toBe(80);
    expect(report.accuracy.predicted).toBeCloseTo(0.3, 10);
    expect(report.accuracy.realised).toBe(0.375);
  });
});
