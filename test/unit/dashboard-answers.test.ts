import { describe, expect, it } from "vitest";
import { computeQualityReport, type QualityRow } from "../../model/quality/report";
import { dashboardAnswers } from "~/utils/quality/answers";
import { cellText, labelText, SUPPRESSED } from "~/utils/quality/quality-report";

/**
 * 80 decided clients with an outcome: 40 followed (the advice jobcoaching, shown chance 0.4; 20 found
 * work), 40 did not (chose regulier, shown chance 0.2; 10 found work), in January and February 2026;
 * women 0..39, men 40..79. And 20 decided in March whose outcome is pending (10 followed, 10 not).
 */
const shownResult = JSON.stringify({
  control: "regulier",
  arms: [
    { arm: "jobcoaching", expected: 0.4, propensity: 0.5 },
    { arm: "regulier", expected: 0.2, propensity: 0.5 },
  ],
});
const rows: QualityRow[] = Array.from({ length: 100 }, (_, i) => {
  const followed = i % 2 === 0;
  return {
    team: "Team A",
    decidedAt: new Date(i < 40 ? "2026-01-10T10:00:00Z" : i < 80 ? "2026-02-10T10:00:00Z" : "2026-03-10T10:00:00Z"),
    chosenArm: followed ? "jobcoaching" : "regulier",
    followedAdvice: followed,
    reasonCode: followed ? null : "other",
    topArm: "jobcoaching",
    resultJson: shownResult,
    profileJson: JSON.stringify({ leeftijdsklasse: "27-34", huishouden: "alleenstaand" }),
    fairnessSex: i < 40 ? "vrouw" : "man",
    fairnessOrigin: null,
    // Followed: every other one of them works (20 of 40); not followed: 10 of 40.
    work: i >= 80 ? null : followed ? i % 4 === 0 : i % 8 === 1,
  };
});

describe("the dashboard's first screen", () => {
  const report = computeQualityReport(rows, null);
  if (report.suppressed) throw new Error("suppressed");

  it("answers five questions in plain words, with differences in percentage points and no statistics jargon", () => {
    const answers = dashboardAnswers(report, "nl");
    expect(answers.map((a) => a.id)).toEqual(["good", "followed", "works", "fair", "drift"]);
    const [good, followed, works] = answers;
    // Predicted (0.4 × 40 + 0.2 × 40) / 80 = 0.3, realised 30 / 80 = 0.375: +8 (7.5 rounded) points.
    expect(good?.text).toContain("37,5%");
    expect(good?.text).toContain("30,0%");
    expect(good?.figure).toBe("+8 procentpunt");
    expect(followed?.figure).toBe("50,0%");
    // 50% against 25%.
    expect(works?.figure).toBe("+25 procentpunt");
    expect(works?.note).toMatch(/vergelijking/);
    const text = answers.map((a) => `${a.question} ${a.text} ${a.note ?? ""}`).join(" ");
    for (const jargon of ["IPW", "propensity", "PSI", "dubbel robuust", "Kalibratieverschil", "<10%"]) expect(text).not.toContain(jargon);
    expect(dashboardAnswers(report, "en")[2]?.figure).toBe("+25 percentage points");
  });

  it("names groups from the configuration and the intake in the chosen language; months in words; '<10 people' never as a percentage", () => {
    const group = { key: "group", kind: "label" } as const;
    expect(labelText(group, "vrouw", "en", report.catalogue, "sex")).toBe("Woman");
    expect(labelText(group, "27-34", "en", report.catalogue, "ageBand")).toBe("27 to 34 years");
    expect(labelText(group, "alleenstaand", "en", report.catalogue, "household")).toBe("Single");
    expect(labelText({ key: "month", kind: "label" }, "2026-01", "en")).toBe("Jan 2026");
    expect(labelText({ key: "month", kind: "label" }, "2026-01", "nl")).toBe("jan 2026");
    expect(cellText({ key: "workRate", kind: "rate" }, SUPPRESSED, "nl")).toBe("<10 personen");
    expect(cellText({ key: "workRate", kind: "rate" }, SUPPRESSED, "en")).toBe("<10 people");
  });

  it("trends by month: adoption and the work rates of followed and not followed advice", () => {
    const months = report.tables["adoption-month"];
    expect(months.rows.map((r) => r[0])).toEqual(["2026-01", "2026-02", "2026-03", "total"]);
    expect(months.rows[0]?.slice(1, 5)).toEqual([20, 20, 40, 0.5]);
    const outcomes = report.tables["outcome-month"];
    // Per month: followed 10 work, 10 no work; not followed 5 work (under 10: hidden) and 15 no work.
    // Hiding the 5s hides partners in each month's row; March (all pending) is hidden whole.
    expect(outcomes.rows.map((r) => r.slice(1, 6))).toEqual([
      [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
      [SUPPRESSED, 10, SUPPRESSED, 15, 40],
      [SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED],
      [20, 20, 10, 30, 80],
    ]);
    // The rates of the whole period: 20 of 40 and 10 of 40.
    expect(outcomes.rows[3]?.slice(6, 8)).toEqual([0.5, 0.25]);
  });
});
