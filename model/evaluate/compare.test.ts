import { describe, expect, it } from "vitest";
import type { TableSchema } from "../table-schema.js";
import { compareModels, verdictOf } from "./compare.js";

const schema: TableSchema = {
  name: "t",
  treatment: { column: "arm", arms: ["a", "b"], control: "a" },
  outcome: { column: "y", type: "binary" },
  features: [{ name: "x", type: "numeric" }],
};

// 200 rows: outcome follows x; half got each arm with propensity 0.5.
const rows = Array.from({ length: 200 }, (_, i) => ({ x: String(i % 10), arm: i % 2 === 0 ? "a" : "b", y: String(i % 10 >= 5 ? 1 : 0) }));
const good = rows.map((r) => (Number(r.x) >= 5 ? [0.8, 0.7] : [0.2, 0.3]));
const noise = rows.map((_, i) => (i % 3 === 0 ? [0.6, 0.6] : [0.4, 0.4]));
const half = rows.map(() => [0.5, 0.5]);

describe("compareModels", () => {
  it("finds no difference between a model and itself", () => {
    const p = { expected: good, propensity: half };
    const c = compareModels({ schema, rows, candidate: p, active: p, options: { replicates: 50 } });
    expect(c.rows).toBe(200);
    for (const m of c.metrics) {
      expect(m.difference?.value).toBeCloseTo(0, 12);
      expect(m.difference?.lower95).toBeCloseTo(0, 12);
      expect(m.difference?.upper95).toBeCloseTo(0, 12);
    }
  });

  it("shows a better candidate as a positive AUC difference and a lower Brier score, with intervals around the value", () => {
    const c = compareModels({
      schema,
      rows,
      candidate: { expected: good, propensity: half },
      active: { expected: noise, propensity: half },
      options: { replicates: 200 },
    });
    const auc = c.metrics.find((m) => m.metric === "auc");
    const brier = c.metrics.find((m) => m.metric === "brier");
    const dr = c.metrics.find((m) => m.metric === "policyValueDr");
    expect(auc?.candidate).toBe(1);
    expect(auc?.difference?.value).toBeGreaterThan(0.3);
    expect(auc?.difference?.lower95).toBeGreaterThan(0);
    expect(brier?.difference?.upper95).toBeLessThan(0);
    expect(dr?.difference).not.toBeNull();
    for (const m of c.metrics) {
      if (!m.difference) continue;
      expect(m.difference.lower95).toBeLessThanOrEqual(m.difference.upper95);
    }
  });

  it("is deterministic for a seed", () => {
    const input = { schema, rows, candidate: { expected: good, propensity: half }, active: { expected: noise, propensity: half }, options: { replicates: 50, seed: 3 } };
    expect(compareModels(input)).toEqual(compareModels(input));
  });

  it("says better / not distinguishable / worse from the policy value's 95% interval", () => {
    const estimate = (lower95: number, upper95: number) => ({ value: (lower95 + upper95) / 2, se: 0, lower80: lower95, upper80: upper95, lower95, upper95 });
    expect(verdictOf(estimate(0.01, 0.05))).toBe("better");
    expect(verdictOf(estimate(-0.01, 0.05))).toBe("indistinguishable");
    expect(verdictOf(estimate(-0.05, -0.01))).toBe("worse");
    expect(verdictOf(null)).toBe("indistinguishable");
    const same = compareModels({ schema, rows, candidate: { expected: good, propensity: half }, active: { expected: good, propensity: half }, options: { replicates: 20 } });
    expect(same.verdict).toBe("indistinguishable");
    expect(same.adviceChanged).toBe(0);
  });

  it("breaks down per trajectory and per group, suppressing groups under 10, and counts changed top advice", () => {
    const audited: TableSchema = { ...schema, audit: ["g"] };
    // Group "small" has 5 rows: suppressed; "big" has 195.
    const withGroups = rows.map((r, i) => ({ ...r, g: i < 5 ? "small" : "big" }));
    // The candidate advises b for x >= 5 (100 rows), the active model always a.
    const candidate = { expected: rows.map((r) => (Number(r.x) >= 5 ? [0.5, 0.8] : [0.5, 0.2])), propensity: half };
    const active = { expected: rows.map(() => [0.6, 0.4]), propensity: half };
    const steps: number[] = [];
    const c = compareModels({ schema: audited, rows: withGroups, candidate, active, options: { replicates: 20, onProgress: (p) => steps.push(p.step) } });
    expect(c.adviceChanged).toBeCloseTo(0.5, 12);
    expect(c.perArm.map((s) => [s.key, s.rows])).toEqual([
      ["a", 100],
      ["b", 100],
    ]);
    const groups = c.perGroup[0]?.groups ?? [];
    expect(groups.map((g) => [g.key, g.rows])).toEqual([
      ["big", 195],
      ["small", null],
    ]);
    expect(groups[1]?.adviceChanged).toBeNull();
    expect(groups[1]?.policyValueDifference).toBeNull();
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });
});
