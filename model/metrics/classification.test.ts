import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attackPoint } from "../privacy/membership-inference.js";
import { ascendingOrder, auc, aucOfGroups, brierScore, calibrationBins, calibrationTable, expectedCalibrationError, tieGroups } from "./classification.js";

describe("auc", () => {
  it("matches a hand count without ties", () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it("counts tied scores as one half", () => {
    expect(auc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
    expect(auc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
  });

  it("is null when a class is missing", () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNull();
    expect(auc([], [])).toBeNull();
  });

  it("equals the share of correctly ordered positive–negative pairs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 40 }),
        (rows) => {
          const scores = rows.map(([s]) => s / 5);
          const labels = rows.map(([, y]) => y);
          let pairs = 0;
          let wins = 0;
          rows.forEach(([sp, yp]) => {
            if (yp !== 1) return;
            rows.forEach(([sn, yn]) => {
              if (yn !== 0) return;
              pairs++;
              wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
            });
          });
          const value = auc(scores, labels);
          if (pairs === 0) expect(value).toBeNull();
          else expect(value).toBeCloseTo(wins / pairs, 10);
        },
      ),
    );
  });

  it("rejects arrays of different length", () => {
    expect(() => auc([0.1], [0, 1])).toThrow(RangeError);
  });
});

describe("brierScore", () => {
  it("is the mean squared error of the probability", () => {
    expect(brierScore([0.9, 0.2], [1, 0])).toBeCloseTo(0.025, 12);
    expect(brierScore([], [])).toBeNull();
  });
});

describe("expectedCalibrationError", () => {
  it("uses 10 equal-width bins by default", () => {
    // bin [0, 0.1): predicted 0.05, observed 0.5; bin [0.9, 1]: predicted 0.95, observed 1.
    expect(expectedCalibrationError([0.05, 0.05, 0.95, 0.95], [0, 1, 1, 1])).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.05, 12);
  });

  it("puts a prediction of exactly 1 in the top bin", () => {
    const bins = calibrationBins([1, 0.95], [1, 1]);
    expect(bins).toHaveLength(1);
    expect(bins[0]?.n).toBe(2);
  });

  it("supports equal-mass bins", () => {
    const value = expectedCalibrationError([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], { bins: 2, strategy: "equal-mass" });
    expect(value).toBeCloseTo(0.5 * 0.15 + 0.5 * 0.65, 12);
  });

  it("is zero for perfectly calibrated bins", () => {
    expect(expectedCalibrationError([0.5, 0.5, 0.25, 0.25, 0.25, 0.25], [1, 0, 1, 0, 0, 0])).toBeCloseTo(0, 12);
  });
});

describe("calibrationTable", () => {
  it("cuts the predictions into deciles and keeps ties together", () => {
    const predicted = Array.from({ length: 100 }, (_, i) => i / 100);
    const outcome = predicted.map((p) => (p >= 0.5 ? 1 : 0));
    const table = calibrationTable(predicted, outcome);
    expect(table).toHaveLength(10);
    expect(table.map((b) => b.n)).toEqual(Array(10).fill(10));
    expect(table[0]?.meanPredicted).toBeCloseTo(0.045, 12);
    expect(table[9]?.observedRate).toBe(1);
    const tied = calibrationBins([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1], { bins: 2, strategy: "equal-mass" });
    expect(tied.map((b) => b.n)).toEqual([3, 1]);
  });
});

describe("calibration properties", () => {
  const sample = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), {
    minLength: 1,
    maxLength: 60,
  });

  it("bins cover every row once and ECE lies in [0, 1]", () => {
    fc.assert(
      fc.property(sample, fc.constantFrom("equal-width" as const, "equal-mass" as const), (rows, strategy) => {
        const predicted = rows.map(([p]) => p);
        const outcome = rows.map(([, y]) => y);
        const bins = calibrationBins(predicted, outcome, { strategy });
        expect(bins.reduce((s, b) => s + b.n, 0)).toBe(rows.length);
        const ece = expectedCalibrationError(predicted, outcome, { strategy }) ?? -1;
        expect(ece).toBeGreaterThanOrEqual(0);
        expect(ece).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("Brier score lies in [0, 1] and is 0 for perfect predictions", () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const outcome = rows.map(([, y]) => y);
        const brier = brierScore(
          rows.map(([p]) => p),
          outcome,
        );
        expect(brier).toBeGreaterThanOrEqual(0);
        expect(brier).toBeLessThanOrEqual(1);
        expect(brierScore(outcome, outcome)).toBe(0);
      }),
    );
  });
});

describe("one AUC for the report and the membership-inference check", () => {
  const tiedRows = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom(0, 1), fc.integer({ min: 0, max: 3 })), { minLength: 2, maxLength: 60 });

  it("weighted tie groups give the AUC of the rows repeated by their weights, and the attack uses the same", () => {
    fc.assert(
      fc.property(tiedRows, (rows) => {
        const scores = rows.map(([s]) => s / 6);
        const labels = rows.map(([, y]) => y);
        const weights = rows.map(([, , w]) => w);
        const repeatedScores = rows.flatMap(([s, , w]) => Array<number>(w).fill(s / 6));
        const repeatedLabels = rows.flatMap(([, y, w]) => Array<number>(w).fill(y));
        const order = ascendingOrder(scores);
        const weighted = aucOfGroups(tieGroups(scores, labels, order, weights));
        const repeated = auc(repeatedScores, repeatedLabels);
        if (repeated === null) expect(weighted).toBeNull();
        else expect(weighted).toBeCloseTo(repeated, 12);
        const attack = attackPoint(scores, labels, order, weights).auc;
        if (weighted === null) expect(Number.isNaN(attack)).toBe(true);
        else expect(attack).toBe(weighted);
      }),
    );
  });
});
