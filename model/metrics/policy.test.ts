import { describe, expect, it } from "vitest";
import { argmaxRows, doublyRobustContributions, ipwContributions, offPolicyValue, policyDifference } from "./policy.js";

const logged = {
  treatment: [0, 1, 1, 0],
  outcome: [1, 0, 1, 0],
  propensity: [
    [0.5, 0.5],
    [0.5, 0.5],
    [0.5, 0.5],
    [0.5, 0.5],
  ],
  policy: [0, 1, 0, 0],
  predicted: [
    [0.6, 0.4],
    [0.6, 0.4],
    [0.6, 0.4],
    [0.6, 0.4],
  ],
};

describe("argmaxRows", () => {
  it("takes the first arm on ties", () => {
    expect(
      argmaxRows([
        [0.1, 0.3, 0.2],
        [0.5, 0.5, 0.5],
      ]),
    ).toEqual([1, 0]);
  });
});

describe("off-policy value", () => {
  it("computes IPW contributions by hand", () => {
    expect(ipwContributions(logged)).toEqual([2, 0, 0, 0]);
  });

  it("computes doubly robust contributions by hand", () => {
    const dr = doublyRobustContributions(logged);
    [1.4, -0.4, 0.6, -0.6].forEach((v, i) => {
      expect(dr[i]).toBeCloseTo(v, 12);
    });
  });

  it("reports IPW, self-normalised IPW and DR with intervals", () => {
    const value = offPolicyValue(logged);
    expect(value.ipw.value).toBeCloseTo(0.5, 12);
    expect(value.selfNormalisedIpw.value).toBeCloseTo(1 / 3, 12);
    expect(value.doublyRobust?.value).toBeCloseTo(0.25, 12);
    expect(value.ipw.lower95).toBeLessThan(value.ipw.lower80);
    const boot = offPolicyValue(logged, { interval: "bootstrap", seed: 2, replicates: 300 });
    expect(boot.ipw.value).toBeCloseTo(0.5, 12);
    expect(boot.selfNormalisedIpw.value).toBeCloseTo(1 / 3, 12);
    expect(boot).toEqual(offPolicyValue(logged, { interval: "bootstrap", seed: 2, replicates: 300 }));
  });

  it("is null for DR without predictions and clips small propensities", () => {
    const { predicted: _, ...noPredictions } = logged;
    expect(offPolicyValue(noPredictions).doublyRobust).toBeNull();
    const tiny = { ...noPredictions, propensity: logged.propensity.map(() => [0.001, 0.999]) };
    expect(ipwContributions(tiny)[0]).toBeCloseTo(100, 9);
    expect(ipwContributions({ ...tiny, clip: 0.1 })[0]).toBeCloseTo(10, 9);
  });

  it("recovers the policy value on randomised data", () => {
    // Two arms assigned 50/50; arm 1 always succeeds, arm 0 never: the all-arm-1 policy is worth 1.
    const n = 1000;
    const treatment = Array.from({ length: n }, (_, i) => i % 2);
    const input = {
      treatment,
      outcome: treatment.map((a) => a),
      propensity: treatment.map(() => [0.5, 0.5]),
      policy: treatment.map(() => 1),
      predicted: treatment.map(() => [0, 1]),
    };
    const value = offPolicyValue(input);
    expect(value.ipw.value).toBeCloseTo(1, 12);
    expect(value.selfNormalisedIpw.value).toBeCloseTo(1, 12);
    expect(value.doublyRobust?.value).toBeCloseTo(1, 12);
    expect(value.doublyRobust?.se).toBeCloseTo(0, 12);
  });

  it("rejects mismatched lengths", () => {
    expect(() => offPolicyValue({ ...logged, policy: [0] })).toThrow(RangeError);
  });
});

describe("policyDifference", () => {
  it("compares with the observed assignment by hand", () => {
    const d = policyDifference(logged, "observed");
    expect(d.ipw.value).toBeCloseTo(0, 12);
    expect(d.doublyRobust?.value).toBeCloseTo(-0.25, 12);
  });

  it("compares two policies by hand, paired", () => {
    const d = policyDifference(logged, [1, 1, 1, 1]);
    expect(d.ipw.value).toBeCloseTo(0, 12);
    expect(d.doublyRobust?.value).toBeCloseTo(-0.25, 12);
    expect(policyDifference(logged, logged.policy).doublyRobust).toMatchObject({ value: 0, se: 0 });
  });

  it("has a narrower interval than the difference of two separate values", () => {
    const n = 2000;
    const treatment = Array.from({ length: n }, (_, i) => i % 2);
    const outcome = treatment.map((_, i) => ((i * 7) % 10 < 4 ? 1 : 0));
    const input = {
      treatment,
      outcome,
      propensity: treatment.map(() => [0.5, 0.5]),
      predicted: treatment.map(() => [0.4, 0.4]),
      policy: treatment.map((_, i) => (i % 10 === 0 ? 1 : 0)),
    };
    const other = treatment.map(() => 0);
    const paired = policyDifference(input, other);
    const a = offPolicyValue(input).doublyRobust?.se ?? 0;
    const b = offPolicyValue({ ...input, policy: other }).doublyRobust?.se ?? 0;
    expect(paired.doublyRobust?.se).toBeLessThan(Math.sqrt(a * a + b * b) / 2);
  });
});
