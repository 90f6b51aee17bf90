import { describe, expect, it } from "vitest";
import { createRandom } from "../random.js";
import { bestLinearProjection } from "./blp.js";

describe("bestLinearProjection", () => {
  it("recovers the coefficients of a linear effect with intervals that cover them", () => {
    const random = createRandom(4);
    const n = 4000;
    const x: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < n; i++) {
      const debts = random() < 0.3 ? 1 : 0;
      const age = random() * 2 - 1;
      x.push(debts, age);
      // Heteroskedastic noise: larger for clients with debts.
      scores.push(0.02 + 0.1 * debts - 0.05 * age + (random() - 0.5) * (debts ? 1.5 : 0.5));
    }
    const { intercept, coefficients } = bestLinearProjection(scores, { x, names: ["debts", "age"] });
    const [debts, age] = coefficients;
    expect(debts?.name).toBe("debts");
    for (const [c, truth] of [
      [intercept, 0.02],
      [debts, 0.1],
      [age, -0.05],
    ] as const) {
      expect(c?.lower).toBeLessThan(truth);
      expect(c?.upper).toBeGreaterThan(truth);
      expect(c?.se).toBeGreaterThan(0);
    }
  });

  it("matches the hand-computed fit of a tiny design", () => {
    // y = 1 + 2x exactly: residuals zero, so the standard errors are zero.
    const { intercept, coefficients } = bestLinearProjection([1, 3, 5, 7], { x: [0, 1, 2, 3], names: ["x"] });
    expect(intercept.estimate).toBeCloseTo(1, 6);
    expect(coefficients[0]?.estimate).toBeCloseTo(2, 6);
    expect(coefficients[0]?.se).toBeCloseTo(0, 6);
    expect(() => bestLinearProjection([1, 2], { x: [0, 1], names: ["x"] })).toThrow(RangeError);
  });
});
