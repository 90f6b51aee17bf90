import { describe, expect, it } from "vitest";
import { createRandom } from "../random.js";
import { fitLogistic, fitLogLinear, fitRidge, linearPredictor, predictLogistic, solveSpd } from "./linear.js";

describe("solveSpd", () => {
  it("solves a 2 × 2 system", () => {
    // [4 2; 2 3] x = [2; 1]  →  x = [0.5, 0]
    const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]));
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
  });

  it("refuses a matrix that is not positive definite", () => {
    expect(() => solveSpd(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]))).toThrow(RangeError);
  });
});

describe("fitLogistic", () => {
  const design = { x: [0, 0, 0, 0, 1, 1, 1, 1], width: 1 };
  const outcome = [1, 0, 0, 0, 1, 1, 1, 0];

  it("finds the maximum-likelihood fit of a single binary feature without penalty", () => {
    // Group x=0: 1/4 positive → intercept logit(0.25) = −ln 3; group x=1: 3/4 → weight 2·ln 3.
    const model = fitLogistic(design, outcome, { l2: 0 });
    expect(model.intercept).toBeCloseTo(-Math.log(3), 6);
    expect(model.weights[0]).toBeCloseTo(2 * Math.log(3), 6);
    expect(predictLogistic(model, design, 4)).toBeCloseTo(0.75, 6);
  });

  it("shrinks the weights with an L2 penalty but not the intercept's role", () => {
    const free = fitLogistic(design, outcome, { l2: 0 });
    const shrunk = fitLogistic(design, outcome, { l2: 5 });
    expect(Math.abs(shrunk.weights[0] ?? 0)).toBeLessThan(Math.abs(free.weights[0] ?? 0));
    expect(shrunk.weights[0]).toBeGreaterThan(0);
  });

  it("fits only the given rows and is deterministic", () => {
    const model = fitLogistic(design, outcome, { l2: 0, rows: [4, 5, 6, 7] });
    expect(model.intercept + (model.weights[0] ?? 0)).toBeCloseTo(Math.log(3), 6);
    expect(fitLogistic(design, outcome, { l2: 1 })).toEqual(fitLogistic(design, outcome, { l2: 1 }));
  });

  it("stays finite on perfectly separated data thanks to the penalty", () => {
    const model = fitLogistic(design, [0, 0, 0, 0, 1, 1, 1, 1], { l2: 1 });
    expect(Number.isFinite(model.weights[0])).toBe(true);
    expect(predictLogistic(model, design, 5)).toBeGreaterThan(0.5);
    expect(predictLogistic(model, design, 0)).toBeLessThan(0.5);
  });
});

describe("fitLogLinear", () => {
  it("recovers an exact multiplicative surface without penalty", () => {
    const x = [0, 0.5, 1, 1.5, 2, 2.5];
    const model = fitLogLinear({ x, width: 1 }, x.map((v) => Math.exp(0.5 + 0.8 * v)), { l2: 0 });
    expect(model.intercept).toBeCloseTo(0.5, 6);
    expect(model.weights[0]).toBeCloseTo(0.8, 6);
  });

  it("converges on a steep surface, where full Newton steps from the mean overshoot", () => {
    const x = Array.from({ length: 31 }, (_, i) => i / 10);
    const model = fitLogLinear({ x, width: 1 }, x.map((v) => Math.exp(1 + 3 * v)), { l2: 0, maxIterations: 100 });
    expect(model.intercept).toBeCloseTo(1, 4);
    expect(model.weights[0]).toBeCloseTo(3, 4);
  });

  it("matches the outcome's mean on the fitted rows (the intercept's score equation), negative outcomes included", () => {
    const random = createRandom(4);
    const x = Array.from({ length: 200 }, () => random() * 2);
    const y = x.map((v) => Math.exp(0.2 + v) + 3 * (random() - 0.5));
    expect(Math.min(...y)).toBeLessThan(0);
    const design = { x, width: 1 };
    const model = fitLogLinear(design, y, { l2: 5 });
    const fitted = x.reduce((s, _, i) => s + Math.exp(linearPredictor(model, design, i)), 0) / x.length;
    expect(fitted).toBeCloseTo(y.reduce((s, v) => s + v, 0) / y.length, 6);
    expect(model.weights[0]).toBeGreaterThan(0.8);
  });
});

describe("fitRidge", () => {
  it("recovers an exact line without penalty", () => {
    const x = [0, 1, 2, 3];
    const model = fitRidge({ x, width: 1 }, x.map((v) => 1 + 2 * v), { l2: 0 });
    expect(model.intercept).toBeCloseTo(1, 6);
    expect(model.weights[0]).toBeCloseTo(2, 6);
  });

  it("matches the closed form with a penalty", () => {
    // Centred x = [−1, 1], y = [−1, 1]: slope = Σxy / (Σx² + λ) = 2 / (2 + 2) = 0.5.
    const model = fitRidge({ x: [-1, 1], width: 1 }, [-1, 1], { l2: 2 });
    expect(model.weights[0]).toBeCloseTo(0.5, 6);
    expect(model.intercept).toBeCloseTo(0, 6);
  });
});

describe("free directions", () => {
  // Two features; y = 2·x0 + 2·x1 exactly. A heavy penalty shrinks both weights; freeing the
  // direction (1, 1) leaves their common part unshrunk, while the difference stays penalised.
  const random = createRandom(11);
  const n = 200;
  const x = Array.from({ length: 2 * n }, () => random() * 2 - 1);
  const y = Array.from({ length: n }, (_, i) => 2 * (x[2 * i] ?? 0) + 2 * (x[2 * i + 1] ?? 0));
  const design = { x, width: 2 };

  it("ridge: the weights' component along a free direction is (nearly) not shrunk", () => {
    const shrunk = fitRidge(design, y, { l2: 500 });
    const free = fitRidge(design, y, { l2: 500, freeDirections: [[1, 1]] });
    expect(shrunk.weights[0] ?? 0).toBeLessThan(1.5);
    expect(free.weights[0] ?? 0).toBeCloseTo(2, 1);
    expect(free.weights[1] ?? 0).toBeCloseTo(2, 1);
  });

  it("ridge: a free direction the others already span changes nothing more, and an empty list is no change", () => {
    const once = fitRidge(design, y, { l2: 500, freeDirections: [[1, 1]] });
    const twice = fitRidge(design, y, { l2: 500, freeDirections: [[1, 1], [2, 2]] });
    expect(twice.weights[0]).toBeCloseTo(once.weights[0] ?? 0, 9);
    expect(fitRidge(design, y, { l2: 500, freeDirections: [] })).toEqual(fitRidge(design, y, { l2: 500 }));
  });

  it("logistic: the same holds for the penalised likelihood", () => {
    const labels = y.map((v) => (random() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const shrunk = fitLogistic(design, labels, { l2: 200 });
    const free = fitLogistic(design, labels, { l2: 200, freeDirections: [[1, 1]] });
    const unpenalised = fitLogistic(design, labels, { l2: 0.001 });
    const along = (m: { weights: number[] }) => (m.weights[0] ?? 0) + (m.weights[1] ?? 0);
    expect(along(shrunk)).toBeLessThan(0.5 * along(unpenalised));
    expect(along(free)).toBeGreaterThan(0.8 * along(unpenalised));
  });
});
