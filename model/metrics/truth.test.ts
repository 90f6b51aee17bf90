import { describe, expect, it } from "vitest";
import { argmaxRows } from "./policy.js";
import { ateErrors, factualTruthGap, sqrtPehe, truePolicyValues } from "./truth.js";

const truth = [
  [0.2, 0.5, 0.3],
  [0.6, 0.4, 0.7],
];
const predicted = [
  [0.1, 0.5, 0.2],
  [0.5, 0.5, 0.5],
];

describe("sqrtPehe", () => {
  it("is the root mean squared error of the gain over control, per arm and overall", () => {
    const pehe = sqrtPehe({ predicted, truth, control: 0 });
    expect(pehe.perArm[0]).toBeNull();
    expect(pehe.perArm[1]).toBeCloseTo(Math.sqrt(0.025), 12);
    expect(pehe.perArm[2]).toBeCloseTo(Math.sqrt(0.005), 12);
    expect(pehe.overall).toBeCloseTo(Math.sqrt(0.015), 12);
  });

  it("is zero when the gains are right even if the levels are off", () => {
    const shifted = truth.map((row) => row.map((v) => v + 0.1));
    expect(sqrtPehe({ predicted: shifted, truth, control: 0 }).overall).toBeCloseTo(0, 12);
  });
});

describe("ateErrors", () => {
  it("gives predicted, true and error per arm", () => {
    const ate = ateErrors({ predicted, truth, control: 0 });
    expect(ate[0]).toBeNull();
    expect(ate[1]?.predicted).toBeCloseTo(0.2, 12);
    expect(ate[1]?.true).toBeCloseTo(0.05, 12);
    expect(ate[1]?.error).toBeCloseTo(0.15, 12);
    expect(ate[2]?.error).toBeCloseTo(-0.05, 12);
  });
});

describe("truePolicyValues", () => {
  it("compares the policy with the oracle and the observed assignment", () => {
    const values = truePolicyValues({ truth, policy: argmaxRows(predicted), treatment: [0, 0] });
    expect(values.policy).toBeCloseTo(0.55, 12);
    expect(values.oracle).toBeCloseTo(0.6, 12);
    expect(values.observed).toBeCloseTo(0.4, 12);
    expect(values.regret).toBeCloseTo(0.05, 12);
    expect(values.capturedOracleGain).toBeCloseTo(0.75, 12);
  });

  it("captures all of the gain with the oracle policy and none when nothing can be gained", () => {
    expect(truePolicyValues({ truth, policy: argmaxRows(truth), treatment: [0, 0] }).capturedOracleGain).toBeCloseTo(1, 12);
    expect(truePolicyValues({ truth, policy: [0, 0], treatment: argmaxRows(truth) }).capturedOracleGain).toBeNull();
  });
});

describe("factualTruthGap", () => {
  it("is the observed rate minus the mean true chance of each arm's own rows", () => {
    const truth = [
      [0.2, 0.5],
      [0.4, 0.1],
      [0.3, 0.3],
      [0.9, 0.6],
    ];
    const gap = factualTruthGap({ treatment: [0, 0, 1, 1], outcome: [1, 0, 0, 0], truth, arms: 3 });
    expect(gap[0]).toBeCloseTo(0.5 - 0.3, 12);
    expect(gap[1]).toBeCloseTo(0 - 0.45, 12);
    expect(gap[2]).toBeNull();
  });
  it("refuses an arm outside the range", () => {
    expect(() => factualTruthGap({ treatment: [2], outcome: [1], truth: [[0.1, 0.2]], arms: 2 })).toThrow(/row 0 has arm 2/);
  });
});
