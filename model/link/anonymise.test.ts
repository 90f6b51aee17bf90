import { describe, expect, it } from "vitest";
import { encodeQi, quasiIdentifierPlan } from "./anonymise.js";

/** Keys for `count` rows in one cell; origin 1 nederland, 2 europa, 3 buiten_europa. */
const rows = (count: number, band: number, sex: number, household: number, region: number, origin: number): number[] =>
  Array.from({ length: count }, () => encodeQi(band, sex, household, region, origin));

describe("quasiIdentifierPlan", () => {
  it("leaves a table alone when every cell holds k rows", () => {
    const plan = quasiIdentifierPlan(Int32Array.from([...rows(10, 1, 1, 1, 1, 1), ...rows(12, 2, 2, 1, 1, 3)]), 10);
    expect(plan.smallestBefore).toBe(10);
    expect(plan.smallestAfter).toBe(10);
    expect(plan.steps).toEqual([]);
    expect([...plan.action].every((a) => a === 0)).toBe(true);
  });

  it("merges non-Dutch origins only inside groups with a small cell, then blanks, then suppresses", () => {
    const keys = Int32Array.from([
      ...rows(30, 1, 1, 1, 1, 1), // large Dutch cell: kept
      ...rows(4, 1, 1, 1, 1, 2), // small europa cell: merged with its buiten_europa neighbour
      ...rows(8, 1, 1, 1, 1, 3), // 4 + 8 = 12 ≥ 10 after merging
      ...rows(15, 2, 1, 1, 1, 2), // another group with only large cells: not merged
      ...rows(15, 2, 1, 1, 1, 3),
      ...rows(6, 3, 1, 1, 1, 1), // small cells in band 3 → sex and origin blanked → 6 + 5 = 11 ≥ 10
      ...rows(5, 3, 2, 1, 1, 1),
      ...rows(3, 4, 1, 1, 1, 1), // alone in band 4 → suppressed
    ]);
    const plan = quasiIdentifierPlan(keys, 10);
    expect(plan.smallestBefore).toBe(3);
    expect(plan.smallestAfter).toBe(11);
    expect([...plan.mergedOrigin].slice(30, 42).every((m) => m === 1)).toBe(true);
    expect([...plan.mergedOrigin].slice(42, 72).every((m) => m === 0)).toBe(true);
    expect([...plan.action].slice(72, 83).every((a) => a === 1)).toBe(true);
    expect([...plan.action].slice(83)).toEqual([2, 2, 2]);
    expect(plan.auditSuppressed).toBe(11);
  });
});
