import type { Matrix } from "./policy.js";

/**
 * Metrics that need the true expected outcome of every row under every arm
 * (the synthetic generator's ground truth). Matrices are rows × arms.
 */

function checkShapes(a: Matrix, b: Matrix): void {
  if (a.length !== b.length) throw new RangeError(`row counts differ (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new RangeError("no rows");
}

function cell(m: Matrix, i: number, arm: number): number {
  const v = m[i]?.[arm];
  if (v === undefined) throw new RangeError(`row ${i} has no value for arm ${arm}`);
  return v;
}

/**
 * √PEHE of the gain over the control arm, per arm, and over all non-control arms together
 * (root of the mean squared error over every row and non-control arm).
 */
export function sqrtPehe(input: { predicted: Matrix; truth: Matrix; control: number }): {
  overall: number;
  perArm: (number | null)[];
} {
  const { predicted, truth, control } = input;
  checkShapes(predicted, truth);
  const arms = (truth[0] as readonly number[]).length;
  const perArm: (number | null)[] = [];
  let total = 0;
  let count = 0;
  for (let a = 0; a < arms; a++) {
    if (a === control) {
      perArm.push(null);
      continue;
    }
    let sum = 0;
    for (let i = 0; i < truth.length; i++) {
      const predictedGain = cell(predicted, i, a) - cell(predicted, i, control);
      const trueGain = cell(truth, i, a) - cell(truth, i, control);
      sum += (predictedGain - trueGain) ** 2;
    }
    perArm.push(Math.sqrt(sum / truth.length));
    total += sum;
    count += truth.length;
  }
  return { overall: count > 0 ? Math.sqrt(total / count) : 0, perArm };
}

export type AteError = { predicted: number; true: number; error: number };

/** Average treatment effect over the control arm per arm: predicted, true, and error = predicted − true. */
export function ateErrors(input: { predicted: Matrix; truth: Matrix; control: number }): (AteError | null)[] {
  const { predicted, truth, control } = input;
  checkShapes(predicted, truth);
  const arms = (truth[0] as readonly number[]).length;
  const out: (AteError | null)[] = [];
  for (let a = 0; a < arms; a++) {
    if (a === control) {
      out.push(null);
      continue;
    }
    let p = 0;
    let t = 0;
    for (let i = 0; i < truth.length; i++) {
      p += cell(predicted, i, a) - cell(predicted, i, control);
      t += cell(truth, i, a) - cell(truth, i, control);
    }
    out.push({ predicted: p / truth.length, true: t / truth.length, error: (p - t) / truth.length });
  }
  return out;
}

export type TruePolicyValues = {
  /** Mean true outcome when every row gets the policy's arm. */
  policy: number;
  /** Mean of each row's best true outcome over the arms. */
  oracle: number;
  /** Mean true outcome under the arm each row actually received. */
  observed: number;
  /** Oracle − policy. */
  regret: number;
  /** (policy − observed) / (oracle − observed); null when oracle = observed. */
  capturedOracleGain: number | null;
};

/** True value of a policy beside the oracle and the observed assignment. */
export function truePolicyValues(input: {
  truth: Matrix;
  policy: readonly number[];
  treatment: readonly number[];
}): TruePolicyValues {
  const { truth, policy, treatment } = input;
  const n = truth.length;
  if (n === 0) throw new RangeError("no rows");
  if (policy.length !== n || treatment.length !== n) throw new RangeError("policy and treatment need one arm per row");
  let vPolicy = 0;
  let vOracle = 0;
  let vObserved = 0;
  for (let i = 0; i < n; i++) {
    const row = truth[i] as readonly number[];
    vPolicy += cell(truth, i, policy[i] as number);
    vObserved += cell(truth, i, treatment[i] as number);
    vOracle += Math.max(...row);
  }
  vPolicy /= n;
  vOracle /= n;
  vObserved /= n;
  const room = vOracle - vObserved;
  return {
    policy: vPolicy,
    oracle: vOracle,
    observed: vObserved,
    regret: vOracle - vPolicy,
    capturedOracleGain: Math.abs(room) > 1e-12 ? (vPolicy - vObserved) / room : null,
  };
}

/**
 * Per arm, the observed outcome rate of the rows that received it minus their mean true
 * chance: how far a sample's own noise puts an arm off its truth. A model fitted to these rows
 * cannot see this gap, so its calibration against the truth on other clients is about this far
 * off too (null for an arm without rows).
 */
export function factualTruthGap(input: { treatment: readonly number[]; outcome: readonly number[]; truth: Matrix; arms: number }): (number | null)[] {
  const { treatment, outcome, truth } = input;
  const sums = Array.from({ length: input.arms }, () => ({ n: 0, observed: 0, chance: 0 }));
  treatment.forEach((arm, i) => {
    const s = sums[arm];
    if (!s) throw new RangeError(`row ${i} has arm ${arm}, outside 0…${input.arms - 1}`);
    s.n++;
    s.observed += outcome[i] ?? 0;
    s.chance += cell(truth, i, arm);
  });
  return sums.map((s) => (s.n ? (s.observed - s.chance) / s.n : null));
}
