import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleCurve, upliftCurve } from "./uplift.js";

describe("upliftCurve", () => {
  it("matches a hand-computed curve", () => {
    const curve = upliftCurve({
      gain: [0.4, 0.3, 0.2, 0.1],
      outcome: [1, 0, 0, 0],
      treated: [true, false, true, false],
    });
    expect(curve.points.map((p) => p.fraction)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const gains = curve.points.map((p) => p.gain);
    [0, 0, 0.5, 0.375, 0.5].forEach((g, i) => {
      expect(gains[i]).toBeCloseTo(g, 12);
    });
    expect(curve.auuc).toBeCloseTo(0.28125, 12);
    expect(curve.qini).toBeCloseTo(0.03125, 12);
    expect(curve.n).toBe(4);
  });

  it("takes tied predicted gains as one block, whatever the row order", () => {
    const a = upliftCurve({ gain: [0.5, 0.5, 0.1, 0.1], outcome: [1, 0, 0, 1], treated: [true, false, true, false] });
    const b = upliftCurve({ gain: [0.5, 0.5, 0.1, 0.1], outcome: [0, 1, 1, 0], treated: [false, true, false, true] });
    expect(a.points).toHaveLength(3);
    expect(a.points).toEqual(b.points);
    expect(a.points[1]?.gain).toBeCloseTo(0.5, 12);
  });

  it("ranks a perfect model above a reversed one", () => {
    // Treatment helps the first half only.
    const n = 40;
    const gain = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
    const treated = Array.from({ length: n }, (_, i) => i % 2 === 0);
    const outcome = gain.map((g, i) => (treated[i] && g === 1 ? 1 : 0));
    const good = upliftCurve({ gain, outcome, treated });
    const bad = upliftCurve({ gain: gain.map((g) => -g), outcome, treated });
    expect(good.qini).toBeGreaterThan(0);
    expect(bad.qini).toBeLessThan(0);
  });

  it("uses weights for means and counts", () => {
    const plain = upliftCurve({ gain: [2, 1], outcome: [1, 0], treated: [true, false] });
    const weighted = upliftCurve({ gain: [2, 1], outcome: [1, 0], treated: [true, false], weights: [3, 1] });
    expect(plain.points[1]?.fraction).toBe(0.5);
    expect(weighted.points[1]?.fraction).toBe(0.75);
    expect(weighted.points[2]?.gain).toBeCloseTo(1, 12);
  });
});

describe("sampleCurve", () => {
  it("interpolates at even fractions", () => {
    const points = sampleCurve(
      [
        { fraction: 0, gain: 0 },
        { fraction: 0.5, gain: 1 },
        { fraction: 1, gain: 0 },
      ],
      4,
    );
    expect(points.map((p) => p.gain)).toEqual([0, 0.5, 1, 0.5, 0]);
  });
});

describe("upliftCurve properties", () => {
  it("ends at the overall difference in means and does not depend on the row order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1 }), fc.boolean()), {
          minLength: 2,
          maxLength: 40,
        }),
        (rows) => {
          const input = {
            gain: rows.map(([g]) => g),
            outcome: rows.map(([, y]) => y),
            treated: rows.map(([, , t]) => t),
          };
          const curve = upliftCurve(input);
          const t = rows.filter(([, , tr]) => tr);
          const c = rows.filter(([, , tr]) => !tr);
          const overall =
            t.length && c.length ? t.reduce((s, [, y]) => s + y, 0) / t.length - c.reduce((s, [, y]) => s + y, 0) / c.length : 0;
          expect(curve.points.at(-1)?.gain).toBeCloseTo(overall, 10);
          const reversed = upliftCurve({
            gain: [...input.gain].reverse(),
            outcome: [...input.outcome].reverse(),
            treated: [...input.treated].reverse(),
          });
          expect(reversed.auuc).toBeCloseTo(curve.auuc, 10);
        },
      ),
    );
  });
});
