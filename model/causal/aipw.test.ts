import { describe, expect, it } from "vitest";
import { createRandom } from "../random.js";
import { aipwArmScores, aipwEffects, aipwScores, crossFitFolds, subgroupEstimate } from "./aipw.js";

/**
 * A simulated study with known effects: one confounder x drives both who gets which of three arms
 * and the chance of the outcome, so the naive difference in means is biased and AIPW must correct it.
 * Arm 1 adds 0.10 everywhere; arm 2 adds 0.20 when x > 0 and nothing otherwise.
 */
function simulate(n: number, seed: number) {
  const random = createRandom(seed);
  const outcome: number[] = [];
  const treatment: number[] = [];
  const propensity: number[][] = [];
  const truth: number[][] = [];
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = random() * 2 - 1;
    const w = [1, Math.exp(1.2 * x), Math.exp(-0.8 * x)];
    const total = w[0]! + w[1]! + w[2]!;
    const e = w.map((v) => v / total);
    const u = random();
    const a = u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
    const base = 0.3 + 0.25 * x;
    const mu = [base, base + 0.1, base + (x > 0 ? 0.2 : 0)];
    outcome.push(random() < mu[a]! ? 1 : 0);
    treatment.push(a);
    propensity.push(e);
    truth.push(mu);
    xs.push(x);
  }
  return { outcome, treatment, propensity, truth, xs };
}

const trueAte = (truth: number[][], arm: number) => truth.reduce((s, row) => s + row[arm]! - row[0]!, 0) / truth.length;

describe("aipwEffects", () => {
  it("recovers known effects with the right nuisance models, and is robust to a wrong outcome model or a wrong propensity", () => {
    const data = simulate(6000, 3);
    const right = aipwEffects({ ...data, predicted: data.truth });
    const constantOutcome = data.truth.map(() => [0.4, 0.4, 0.4]);
    const wrongOutcome = aipwEffects({ ...data, predicted: constantOutcome });
    const uniform = data.truth.map(() => [1 / 3, 1 / 3, 1 / 3]);
    const wrongPropensity = aipwEffects({ ...data, propensity: uniform, predicted: data.truth });
    // The naive difference in means is biased by the confounder (sanity check that the test bites).
    const mean = (arm: number) => {
      const ys = data.outcome.filter((_, i) => data.treatment[i] === arm);
      return ys.reduce((s, v) => s + v, 0) / ys.length;
    };
    expect(Math.abs(mean(1) - mean(0) - trueAte(data.truth, 1))).toBeGreaterThan(0.05);
    for (const result of [right, wrongOutcome, wrongPropensity]) {
      expect(result.control).toBe(0);
      expect(result.effects.map((e) => e.arm)).toEqual([1, 2]);
      for (const effect of result.effects) {
        const truth = trueAte(data.truth, effect.arm);
        expect(Math.abs(effect.ate.value - truth)).toBeLessThan(4 * effect.ate.se);
        expect(effect.ate.lower95).toBeLessThan(effect.ate.value);
        expect(effect.ate.upper95).toBeGreaterThan(effect.ate.value);
        expect(effect.n).toBe(6000);
        expect(effect.nArm + effect.nControl).toBeLessThanOrEqual(6000);
      }
    }
  });

  it("covers the true average effect in about 95% of repeated studies", () => {
    let covered = 0;
    let total = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const data = simulate(400, 100 + seed);
      const { effects } = aipwEffects({ ...data, predicted: data.truth });
      for (const effect of effects) {
        const truth = trueAte(data.truth, effect.arm);
        if (effect.ate.lower95 <= truth && truth <= effect.ate.upper95) covered++;
        total++;
      }
    }
    expect(covered / total).toBeGreaterThan(0.9);
    expect(covered / total).toBeLessThan(0.99);
  });

  it("estimates the effect on the treated", () => {
    const data = simulate(6000, 5);
    const { effects } = aipwEffects({ ...data, predicted: data.truth });
    const arm2 = effects.find((e) => e.arm === 2);
    const treated = data.truth.filter((_, i) => data.treatment[i] === 2);
    const trueAtt = treated.reduce((s, row) => s + row[2]! - row[0]!, 0) / treated.length;
    expect(arm2?.att).not.toBeNull();
    expect(Math.abs((arm2?.att?.value ?? 0) - trueAtt)).toBeLessThan(4 * (arm2?.att?.se ?? 0));
  });

  it("gives subgroup effects from the scores (arm 2 works only when x > 0)", () => {
    const data = simulate(8000, 7);
    const scores = aipwScores({ ...data, predicted: data.truth }, 2);
    const positive = data.xs.flatMap((x, i) => (x > 0 ? [i] : []));
    const negative = data.xs.flatMap((x, i) => (x <= 0 ? [i] : []));
    const up = subgroupEstimate(scores, positive);
    const down = subgroupEstimate(scores, negative);
    expect(up?.lower95).toBeGreaterThan(0.1);
    expect(down?.lower95).toBeLessThan(0);
    expect(down?.upper95).toBeGreaterThan(0);
    expect(subgroupEstimate(scores, [])).toBeNull();
  });

  it("reports the share of rows with too little overlap and clips before dividing", () => {
    const propensity = [
      [0.5, 0.5],
      [0.99, 0.01],
      [0.02, 0.98],
      [0.5, 0.5],
    ];
    const result = aipwEffects({
      outcome: [1, 0, 1, 0],
      treatment: [0, 0, 1, 1],
      propensity,
      predicted: propensity.map(() => [0.5, 0.5]),
    });
    expect(result.limitedOverlap).toBe(0.5);
    expect(result.effects[0]?.limitedOverlap).toBe(0.5);
    // Hand-computed: scores 0 + 0 − (1 − 0.5)/0.5 = −1; −(0 − 0.5)/0.99; (1 − 0.5)/0.98; (0 − 0.5)/0.5 = −1.
    const expected = (-1 + 0.5 / 0.99 + 0.5 / 0.98 - 1) / 4;
    expect(result.effects[0]?.ate.value).toBeCloseTo(expected, 12);
  });

  it("refuses inputs that do not fit", () => {
    const base = { outcome: [1], treatment: [0], propensity: [[0.5, 0.5]], predicted: [[0.5, 0.5]] };
    expect(() => aipwEffects({ ...base, outcome: [] })).toThrow(RangeError);
    expect(() => aipwEffects({ ...base, treatment: [2] })).toThrow(/not an arm/);
    expect(() => aipwEffects({ ...base, predicted: [[0.5]] })).toThrow(/one propensity and one prediction/);
    expect(() => aipwEffects({ ...base, control: 3 })).toThrow(/control arm/);
    expect(() => aipwScores(base, 0)).toThrow(/not a treatment arm/);
  });
});

describe("crossFitFolds", () => {
  it("splits rows into balanced, seeded folds, balanced within strata", () => {
    const strata = Array.from({ length: 100 }, (_, i) => i % 4);
    const folds = crossFitFolds({ n: 100, folds: 5, seed: 2, strata });
    expect(crossFitFolds({ n: 100, folds: 5, seed: 2, strata })).toEqual(folds);
    for (let k = 0; k < 5; k++) {
      expect(folds.filter((f) => f === k)).toHaveLength(20);
      for (let s = 0; s < 4; s++) expect(folds.filter((f, i) => f === k && strata[i] === s)).toHaveLength(5);
    }
    expect(() => crossFitFolds({ n: 10, folds: 1 })).toThrow(RangeError);
  });
});

describe("aipwArmScores", () => {
  it("averages to the mean outcome under the arm", () => {
    const data = simulate(6000, 9);
    const scores = aipwArmScores({ ...data, predicted: data.truth.map(() => [0.5, 0.5, 0.5]) }, 0);
    const estimate = subgroupEstimate(scores, scores.map((_, i) => i));
    const truth = data.truth.reduce((s, row) => s + row[0]!, 0) / data.truth.length;
    expect(Math.abs((estimate?.value ?? 0) - truth)).toBeLessThan(4 * (estimate?.se ?? 0));
  });
});
