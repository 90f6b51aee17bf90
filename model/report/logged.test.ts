import { describe, expect, it } from "vitest";
import { conditionOnLoggedDraw, readLoggedShown } from "./logged.js";

const ARMS = ["regulier", "jobcoaching", "scholing"];

describe("readLoggedShown", () => {
  it("reads the draw per row, null where nothing was logged, and null without the column", () => {
    const columns = ["shownFirst", "shownFirstProbability", "chosenShownFirstProbability"];
    const rows = [
      { shownFirst: "jobcoaching", shownFirstProbability: "0.5", chosenShownFirstProbability: "0.5" },
      { shownFirst: "", shownFirstProbability: "", chosenShownFirstProbability: "" },
    ];
    expect(readLoggedShown({ rows, columns, arms: ARMS })).toEqual([{ shownFirst: 1, probability: 0.5, chosenProbability: 0.5 }, null]);
    expect(readLoggedShown({ rows: [{ a: "1" }], columns: ["a"], arms: ARMS })).toBeNull();
  });

  it("names the line of an unknown arm or a bad probability, and a missing companion column", () => {
    const columns = ["shownFirst", "shownFirstProbability", "chosenShownFirstProbability"];
    expect(() => readLoggedShown({ rows: [{ shownFirst: "x", shownFirstProbability: "1", chosenShownFirstProbability: "1" }], columns, arms: ARMS })).toThrow(
      /table line 2: shownFirst = "x" is not an arm/,
    );
    expect(() => readLoggedShown({ rows: [{ shownFirst: "scholing", shownFirstProbability: "1.5", chosenShownFirstProbability: "0" }], columns, arms: ARMS })).toThrow(
      /table line 2: shownFirstProbability = "1.5" is not a probability/,
    );
    expect(() => readLoggedShown({ rows: [], columns: ["shownFirst"], arms: ARMS })).toThrow(/no column "shownFirstProbability"/);
  });
});

describe("conditionOnLoggedDraw", () => {
  it("leaves the propensities alone without variation (every draw certain)", () => {
    const propensity = [
      [0.5, 0.3, 0.2],
      [0.4, 0.4, 0.2],
    ];
    const out = conditionOnLoggedDraw({
      propensity,
      treatment: [1, 0],
      logged: [
        { shownFirst: 1, probability: 1, chosenProbability: 1 },
        { shownFirst: 1, probability: 1, chosenProbability: 0 },
      ],
    });
    expect(out.propensity).toEqual(propensity);
    expect(out.rows).toBe(2);
    expect(out.followShare).toBe(0);
  });

  it("conditions on a varied draw by hand: ê(a) + f·(1[a = s] − q(a)), f by moments", () => {
    // Two rows, each a 50/50 draw between jobcoaching and scholing.
    // Row 0: scholing shown first, scholing received. Row 1: jobcoaching shown first, scholing received.
    const propensity = [
      [0.2, 0.4, 0.4],
      [0.2, 0.4, 0.4],
    ];
    const logged = [
      { shownFirst: 2, probability: 0.5, chosenProbability: 0.5 },
      { shownFirst: 1, probability: 0.5, chosenProbability: 0.5 },
    ];
    const out = conditionOnLoggedDraw({ propensity, treatment: [2, 2], logged });
    // f = mean(1[A = s] − ê(s)) / mean(1 − q(s)) = ((1 − 0.4) + (0 − 0.4)) / 2 / 0.5 = 0.2.
    expect(out.followShare).toBeCloseTo(0.2, 12);
    // Row 0: received = shown first: 0.4 + 0.2·(1 − 0.5) = 0.5.
    expect(out.propensity[0]?.[2]).toBeCloseTo(0.5, 12);
    // Row 1: received scholing (not shown first): 0.4 + 0.2·(0 − 0.5) = 0.3; shown first jobcoaching: 0.4 + 0.2·0.5 = 0.5.
    expect(out.propensity[1]?.[2]).toBeCloseTo(0.3, 12);
    expect(out.propensity[1]?.[1]).toBeCloseTo(0.5, 12);
    // The input is not changed; untouched entries stay.
    expect(propensity[0]).toEqual([0.2, 0.4, 0.4]);
    expect(out.propensity[0]?.[0]).toBe(0.2);
  });
});
