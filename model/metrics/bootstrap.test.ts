import { describe, expect, it } from "vitest";
import { bootstrap, bootstrapMean, meanEstimate, quantileSorted } from "./bootstrap.js";
import { createRandom } from "../random.js";

describe("createRandom", () => {
  it("repeats for a seed and differs between seeds", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe("meanEstimate", () => {
  it("gives the normal interval of the mean", () => {
    const e = meanEstimate([1, 2, 3, 4]);
    const se = Math.sqrt(5 / 3) / 2;
    expect(e.value).toBe(2.5);
    expect(e.se).toBeCloseTo(se, 12);
    expect(e.lower95).toBeCloseTo(2.5 - 1.959964 * se, 5);
    expect(e.upper80).toBeCloseTo(2.5 + 1.281552 * se, 5);
  });
});

describe("quantileSorted", () => {
  it("interpolates linearly", () => {
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([1, 2, 3], 0.5)).toBe(2);
  });
});

describe("bootstrap", () => {
  it("is deterministic for a seed", () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const a = bootstrapMean(values, { seed: 3, replicates: 200 });
    const b = bootstrapMean(values, { seed: 3, replicates: 200 });
    const c = bootstrapMean(values, { seed: 4, replicates: 200 });
    expect(a).toEqual(b);
    expect(c.lower95).not.toBe(a.lower95);
  });

  it("collapses on a constant sample", () => {
    const e = bootstrap({ n: 5, statistic: () => 2 });
    expect(e).toMatchObject({ value: 2, se: 0, lower80: 2, upper80: 2, lower95: 2, upper95: 2 });
  });

  it("agrees with the normal interval of a mean on a large sample", () => {
    const random = createRandom(11);
    const values = Array.from({ length: 2000 }, () => random());
    const boot = bootstrapMean(values, { seed: 1, replicates: 500 });
    const normal = meanEstimate(values);
    expect(boot.value).toBeCloseTo(normal.value, 12);
    expect(boot.se / normal.se).toBeGreaterThan(0.85);
    expect(boot.se / normal.se).toBeLessThan(1.15);
    expect(boot.lower95).toBeLessThan(boot.lower80);
    expect(boot.upper80).toBeLessThan(boot.upper95);
  });
});
