import { describe, expect, it } from "vitest";
import { fitBaseline, predictBaseline } from "../baseline/index.js";
import { createRandom } from "../random.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { evaluateModels, toMatrix } from "./evaluate.js";
import { checkTargets, formatReport } from "./format.js";

const schema: TableSchema = {
  name: "toy",
  id: "id",
  treatment: { column: "arm", arms: ["ctrl", "coach", "course"], control: "ctrl" },
  outcome: { column: "y", type: "binary" },
  features: [
    { name: "debts", type: "binary" },
    { name: "age", type: "numeric" },
  ],
  truth: { ctrl: "mu_ctrl", coach: "mu_coach", course: "mu_course" },
};

function truthOf(debts: number, age: number): number[] {
  const young = age < 35 ? 1 : 0;
  return [0.3, debts ? 0.25 : 0.55, young ? 0.6 : 0.35];
}

/** Confounded toy data: clients with debts get coaching less often. */
function toyRows(n: number, seed: number): Row[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const debts = random() < 0.4 ? 1 : 0;
    const age = 20 + Math.floor(random() * 40);
    const mu = truthOf(debts, age);
    const u = random();
    const arm = u < (debts ? 0.6 : 0.3) ? 0 : u < (debts ? 0.7 : 0.7) ? 1 : 2;
    return {
      id: String(i),
      debts: String(debts),
      age: String(age),
      arm: schema.treatment.arms[arm],
      y: random() < (mu[arm] as number) ? "1" : "0",
      mu_ctrl: String(mu[0]),
      mu_coach: String(mu[1]),
      mu_course: String(mu[2]),
    };
  });
}

describe("evaluateModels", () => {
  const rows = toyRows(3000, 1);
  const truth = rows.map((r) => truthOf(Number(r.debts), Number(r.age)));
  const propensity = rows.map((r) => (r.debts === "1" ? [0.6, 0.1, 0.3] : [0.3, 0.4, 0.3]));
  const oracle = { expected: truth, propensity, lower: truth.map((r) => r.map((v) => v - 0.01)), upper: truth };
  const baseline = predictBaseline(fitBaseline(toyRows(3000, 2), schema), rows);
  const report = evaluateModels({
    schema,
    rows,
    models: [
      { name: "oracle", predictions: oracle },
      { name: "t-learner", predictions: baseline },
    ],
  });
  const [best, tl] = report.models;

  it("gives the true model zero PEHE, all of the oracle gain and well-calibrated arms", () => {
    expect(report.table.hasTruth).toBe(true);
    expect(best?.truth?.sqrtPehe).toBeCloseTo(0, 12);
    expect(best?.truth?.meanAbsAteError).toBeCloseTo(0, 12);
    expect(best?.truth?.values.capturedOracleGain).toBeCloseTo(1, 12);
    expect(best?.truth?.intervalCoverage?.coach).toBe(1);
    expect(best?.truth?.eceAgainstTruth.course).toBeCloseTo(0, 12);
    for (const f of best?.factual ?? []) {
      expect(f.ece).toBeLessThan(0.05);
      expect(f.calibration.length).toBeGreaterThan(0);
    }
    expect(best?.factual.reduce((s, f) => s + f.n, 0)).toBe(rows.length);
  });

  it("estimates the policy value off-policy close to the truth", () => {
    const value = best?.truth?.values.policy ?? 0;
    const dr = best?.policyValue.doublyRobust;
    expect(dr?.lower95).toBeLessThan(value + 0.01);
    expect(dr?.upper95).toBeGreaterThan(value - 0.01);
    expect(Math.abs((best?.policyValue.ipw.value ?? 0) - value)).toBeLessThan(0.05);
    const gain = best?.gainOverObserved.doublyRobust;
    const trueGain = value - (best?.truth?.values.observed ?? 0);
    expect(gain?.lower95).toBeLessThan(trueGain);
    expect(gain?.upper95).toBeGreaterThan(trueGain);
  });

  it("reports the baseline beside it, worse on PEHE but with uplift per non-control arm", () => {
    expect(tl?.truth?.sqrtPehe).toBeGreaterThan(0);
    expect(tl?.uplift.map((u) => u.arm)).toEqual(["coach", "course"]);
    expect(tl?.uplift[0]?.curve).toHaveLength(11);
    expect(Object.values(tl?.recommendationShares ?? {}).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(tl?.truth?.intervalCoverage).toBeNull();
    const [comparison] = report.comparisons;
    expect(comparison).toMatchObject({ model: "oracle", against: "t-learner", nuisance: "oracle" });
    expect(comparison?.trueDifference).toBeGreaterThanOrEqual(0);
    expect(comparison?.difference.doublyRobust?.lower95).toBeLessThan(comparison?.trueDifference ?? 0);
  });

  it("formats a side-by-side table and checks the targets", () => {
    const targets = checkTargets(report, { network: "oracle", baseline: "t-learner" });
    // Against observed 0/1 outcomes even the true chances miss 0.02 on some samples (the noise floor): that check follows the ECE.
    const observedEce = best?.factual.every((f) => f.ece !== null && f.ece <= 0.02) ?? false;
    expect(targets.map((t) => t.pass)).toEqual([true, true, true, observedEce, true]);
    expect(targets[4]?.target).toBe("oracle ECE against the true chances ≤ 0.02 for every arm");
    const text = formatReport(report, targets);
    expect(text).toContain("√PEHE");
    expect(text).toContain("oracle AUC");
    expect(text).toContain("[pass] oracle √PEHE below t-learner");
    expect(JSON.parse(JSON.stringify(report)).models).toHaveLength(2);
  });

  it("marks a model with the same predictions and another policy, and leaves it out of the prediction tables", () => {
    const both = evaluateModels({
      schema,
      rows,
      models: [
        { name: "oracle", predictions: oracle },
        { name: "always-ctrl", predictions: { ...oracle, rec: rows.map(() => 0) } },
      ],
    });
    expect(both.models[1]?.samePredictionsAs).toBe("oracle");
    expect(both.models[1]?.truth?.values.capturedOracleGain).toBeLessThan(0);
    expect(both.models[1]?.factual[0]?.eceOfTruth).toBe(both.models[1]?.factual[0]?.ece);
    const text = formatReport(both);
    expect(text).not.toContain("always-ctrl AUC");
    expect(text).toContain("always-ctrl");
  });

  it("works without truth columns and for continuous outcomes", () => {
    const { truth: _, ...noTruth } = schema;
    const continuous: TableSchema = { ...noTruth, outcome: { column: "y", type: "continuous" } };
    const r = evaluateModels({ schema: continuous, rows, models: [{ name: "t", predictions: baseline }] });
    expect(r.table.hasTruth).toBe(false);
    expect(r.models[0]?.truth).toBeNull();
    expect(r.models[0]?.factual[0]?.auc).toBeNull();
    expect(r.models[0]?.factual[0]?.rmse).toBeGreaterThan(0);
    expect(formatReport(r)).toContain("RMSE");
  });

  it("refuses predictions of the wrong shape and unknown arms", () => {
    expect(() =>
      evaluateModels({ schema, rows, models: [{ name: "bad", predictions: { expected: truth.slice(1), propensity } }] }),
    ).toThrow(/expected 2999|expected 3000/);
    expect(() =>
      evaluateModels({ schema, rows: [{ ...rows[0], arm: "magic" }], models: [{ name: "x", predictions: oracle }] }),
    ).toThrow(/not an arm/);
  });
});

describe("toMatrix", () => {
  it("reshapes a row-major array", () => {
    expect(toMatrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 3)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});
