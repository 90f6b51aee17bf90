import { describe, expect, it } from "vitest";
import { createRandom } from "../random.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { deserializeBaseline, fitBaseline, predictBaseline, serializeBaseline } from "./t-learner.js";

const schema: TableSchema = {
  name: "toy",
  id: "id",
  treatment: { column: "arm", arms: ["ctrl", "coach"], control: "ctrl" },
  outcome: { column: "y", type: "binary" },
  features: [
    { name: "debts", type: "binary" },
    { name: "age", type: "numeric" },
    { name: "region", type: "categorical" },
  ],
  truth: { ctrl: "mu_ctrl", coach: "mu_coach" },
};

/** Deterministic toy data: coaching helps clients without debts a lot and clients with debts not at all. */
function toyRows(n: number): Row[] {
  const rows: Row[] = [];
  const random = createRandom(5);
  for (let i = 0; i < n; i++) {
    const debts = i % 3 === 0 ? 1 : 0;
    const age = 20 + (i % 40);
    const arm = i % 2 === 0 ? "coach" : "ctrl";
    const muCtrl = debts ? 0.2 : 0.3;
    const muCoach = debts ? 0.2 : 0.7;
    const mu = arm === "coach" ? muCoach : muCtrl;
    rows.push({
      id: String(i),
      debts: String(debts),
      age: String(age),
      region: ["noord", "zuid", "west", "oost", "midden"][i % 5],
      arm,
      y: String(random() < mu ? 1 : 0),
      mu_ctrl: String(muCtrl),
      mu_coach: String(muCoach),
    });
  }
  return rows;
}

describe("T-learner baseline", () => {
  const rows = toyRows(600);
  const baseline = fitBaseline(rows, schema);

  it("predicts one expected outcome and propensity per arm", () => {
    const out = predictBaseline(baseline, rows.slice(0, 5));
    expect(out.expected).toHaveLength(5);
    expect(out.expected[0]).toHaveLength(2);
    for (const row of out.propensity) expect((row[0] ?? 0) + (row[1] ?? 0)).toBeCloseTo(1, 12);
    for (const row of out.expected) for (const p of row) expect(p > 0 && p < 1).toBe(true);
  });

  it("learns that coaching helps clients without debts", () => {
    const [withDebts, without] = predictBaseline(baseline, [
      { debts: "1", age: "40", region: "noord" },
      { debts: "0", age: "40", region: "noord" },
    ]).expected;
    const gainWith = (withDebts?.[1] ?? 0) - (withDebts?.[0] ?? 0);
    const gainWithout = (without?.[1] ?? 0) - (without?.[0] ?? 0);
    expect(gainWithout).toBeGreaterThan(0.2);
    expect(gainWithout).toBeGreaterThan(gainWith + 0.2);
  });

  it("chooses each arm's penalty from the grid by cross-validation, or takes a fixed one", () => {
    expect(baseline.outcomeL2).toHaveLength(2);
    for (const l2 of baseline.outcomeL2) expect([0.3, 1, 3, 10, 30, 100, 300]).toContain(l2);
    expect(fitBaseline(rows, schema, { l2: 5 }).outcomeL2).toEqual([5, 5]);
    const heavy = predictBaseline(fitBaseline(rows, schema, { l2: 1e6 }), rows.slice(0, 3)).expected;
    // A huge penalty leaves only the intercept: the same prediction for every row of an arm.
    expect(heavy[0]?.[1]).toBeCloseTo(heavy[1]?.[1] ?? 0, 3);
  });

  it("survives save → load with identical predictions", () => {
    const loaded = deserializeBaseline(serializeBaseline(baseline));
    expect(predictBaseline(loaded, rows.slice(0, 20))).toEqual(predictBaseline(baseline, rows.slice(0, 20)));
  });

  it("is deterministic and never reads the truth columns", () => {
    const scrambled = rows.map((row) => ({ ...row, mu_ctrl: "0.99", mu_coach: "0.01" }));
    expect(fitBaseline(scrambled, schema)).toEqual(baseline);
  });

  it("fits linear regressions for a continuous outcome", () => {
    const continuous: TableSchema = { ...schema, outcome: { column: "y", type: "continuous" } };
    const hours = rows.map((row) => ({ ...row, y: String(row.arm === "coach" ? 10 : 4) }));
    const out = predictBaseline(fitBaseline(hours, continuous), hours.slice(0, 1)).expected[0];
    expect(out?.[0]).toBeCloseTo(4, 1);
    expect(out?.[1]).toBeCloseTo(10, 1);
  });

  it("refuses a broken or mismatched saved baseline", () => {
    expect(() => deserializeBaseline("{")).toThrow(/not valid JSON/);
    expect(() => deserializeBaseline('{"kind":"other"}')).toThrow(/invalid baseline/);
    const wrong = { ...baseline, outcomeModels: baseline.outcomeModels.slice(0, 1) };
    expect(() => deserializeBaseline(JSON.stringify(wrong))).toThrow(/model sizes/);
  });
});
