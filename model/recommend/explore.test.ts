import { describe, expect, it } from "vitest";
import type { ArmAdvice, RecommendationResult } from "../recommendation.js";
import { RecommendationResultSchema } from "../recommendation.js";
import { showAdvice, tiedFirstArms } from "./explore.js";

const arm = (name: string, rank: number | null, gain: number, half: number, extra: Partial<ArmAdvice> = {}): ArmAdvice => ({
  arm: name,
  rank,
  eligible: rank !== null,
  excludedBy: rank === null ? "rule" : null,
  expected: 0.3 + gain,
  lower: 0.2,
  upper: 0.5,
  gain,
  gainLower: gain - half,
  gainUpper: gain + half,
  propensity: 0.2,
  comparableClients: 40,
  lowEvidence: false,
  reasons: [],
  ...extra,
});

/** a and b overlap (tied), c is clearly below a, d has low evidence, e is ineligible. */
const result: RecommendationResult = {
  modelVersion: "v",
  outcomeType: "binary",
  control: "c",
  arms: [arm("a", 1, 0.1, 0.05), arm("b", 2, 0.08, 0.05), arm("c", 3, 0, 0.01), arm("d", 4, 0.2, 0.3, { lowEvidence: true }), arm("e", null, 0.3, 0.01)],
  whatIfs: [],
};

describe("keeping effects measurable", () => {
  it("ties the first arm with the arms it is not clearly better than (overlapping 80% intervals), never a low-evidence or ineligible one", () => {
    expect(tiedFirstArms(result)).toEqual(["a", "b"]);
  });

  it("with the setting on and tied gains, the first position varies and the recorded probabilities sum to 1 across the tied arms", () => {
    const firsts = new Set<string>();
    for (const pick of [0, 1]) {
      const shown = showAdvice(result, { vary: true, pick: () => pick });
      expect(RecommendationResultSchema.safeParse(shown).success).toBe(true);
      const first = shown.arms.find((a) => a.rank === 1)?.arm as string;
      firsts.add(first);
      expect(shown.shown).toEqual({ ranked: "a", first, varied: true, probabilities: { a: 0.5, b: 0.5 } });
      expect(Object.values(shown.shown?.probabilities ?? {}).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
      // The other arms keep their order behind it; the ineligible one stays unranked.
      expect(shown.arms.map((a) => [a.arm, a.rank])).toEqual([[first, 1], [first === "a" ? "b" : "a", 2], ["c", 3], ["d", 4], ["e", null]]);
    }
    expect(firsts).toEqual(new Set(["a", "b"]));
    // Crypto random by default: over many draws both appear.
    const drawn = new Set(Array.from({ length: 60 }, () => showAdvice(result, { vary: true }).shown?.first));
    expect(drawn).toEqual(new Set(["a", "b"]));
  });

  it("with the setting off nothing varies: the ranked first arm with probability 1", () => {
    for (let i = 0; i < 10; i++) {
      const shown = showAdvice(result, { vary: false, pick: () => 1 });
      expect(shown.arms.map((a) => a.arm)).toEqual(["a", "b", "c", "d", "e"]);
      expect(shown.shown).toEqual({ ranked: "a", first: "a", varied: false, probabilities: { a: 1 } });
    }
  });

  it("a clearly best first arm is always shown first", () => {
    const clear = { ...result, arms: [arm("a", 1, 0.3, 0.05), arm("b", 2, 0.08, 0.05), arm("c", 3, 0, 0.01)] };
    expect(showAdvice(clear, { vary: true, pick: () => 1 }).shown).toEqual({ ranked: "a", first: "a", varied: false, probabilities: { a: 1 } });
  });
});
