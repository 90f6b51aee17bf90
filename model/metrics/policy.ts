import { bootstrap, bootstrapMean, type Estimate, meanEstimate } from "./bootstrap.js";

/** Matrices are rows × arms, arms by index in the schema's arm order. */
export type Matrix = readonly (readonly number[])[];

/** Index of the largest value in each row (the first on ties). */
export function argmaxRows(values: Matrix): number[] {
  return values.map((row) => {
    let best = 0;
    for (let a = 1; a < row.length; a++) if ((row[a] as number) > (row[best] as number)) best = a;
    return best;
  });
}

export type OffPolicyInput = {
  /** Observed arm index per row. */
  treatment: readonly number[];
  /** Observed outcome per row. */
  outcome: readonly number[];
  /** Estimated propensity per row and arm (probability of receiving the arm given the features). */
  propensity: Matrix;
  /** Arm index the evaluated policy assigns per row (e.g. the recommendation). */
  policy: readonly number[];
  /** Predicted outcome per row and arm; needed for the doubly robust estimator. */
  predicted?: Matrix;
  /** Propensities below this are raised to it before weighting (default 0.01). */
  clip?: number;
};

function propensityOf(input: OffPolicyInput, i: number): number {
  const arm = input.treatment[i] as number;
  const p = input.propensity[i]?.[arm];
  if (p === undefined || !Number.isFinite(p)) throw new RangeError(`row ${i}: no propensity for arm ${arm}`);
  return Math.max(p, input.clip ?? 0.01);
}

/**
 * Per-row contributions whose mean is the inverse propensity weighted value of the policy:
 * 1[A = π(x)] · Y / e(A | x).
 */
export function ipwContributions(input: OffPolicyInput): number[] {
  return input.treatment.map((arm, i) =>
    arm === input.policy[i] ? (input.outcome[i] as number) / propensityOf(input, i) : 0,
  );
}

/**
 * Per-row contributions whose mean is the doubly robust (AIPW) value of the policy:
 * μ̂(x, π(x)) + 1[A = π(x)] · (Y − μ̂(x, A)) / e(A | x).
 */
export function doublyRobustContributions(input: OffPolicyInput): number[] {
  const predicted = input.predicted;
  if (!predicted) throw new RangeError("the doubly robust estimator needs predicted outcomes per arm");
  return input.treatment.map((arm, i) => {
    const row = predicted[i];
    const recommended = input.policy[i] as number;
    const direct = row?.[recommended];
    if (direct === undefined) throw new RangeError(`row ${i}: no prediction for arm ${recommended}`);
    if (arm !== recommended) return direct;
    return direct + ((input.outcome[i] as number) - direct) / propensityOf(input, i);
  });
}

export type IntervalMethod = "influence" | "bootstrap";

export type PolicyValue = { ipw: Estimate; selfNormalisedIpw: Estimate; doublyRobust: Estimate | null };

/**
 * Off-policy value of a policy from logged data: IPW, self-normalised IPW and doubly robust,
 * each with 80% / 95% intervals, from the influence function (normal approximation; the default)
 * or a seeded bootstrap over rows.
 */
export function offPolicyValue(
  input: OffPolicyInput,
  options: { interval?: IntervalMethod; replicates?: number; seed?: number } = {},
): PolicyValue {
  const n = input.treatment.length;
  if (n === 0) throw new RangeError("off-policy value needs at least one row");
  if (input.outcome.length !== n || input.policy.length !== n || input.propensity.length !== n) {
    throw new RangeError("treatment, outcome, policy and propensity must have the same number of rows");
  }
  const summarise = (values: number[]): Estimate =>
    options.interval === "bootstrap"
      ? bootstrapMean(values, { replicates: options.replicates, seed: options.seed })
      : meanEstimate(values);
  const ipw = ipwContributions(input);
  // Self-normalised IPW: Σ w·Y / Σ w, linearised: contribution w·(Y − V) / mean(w) around V.
  const weights = input.treatment.map((arm, i) => (arm === input.policy[i] ? 1 / propensityOf(input, i) : 0));
  const meanWeight = weights.reduce((s, w) => s + w, 0) / n;
  const snValue = meanWeight > 0 ? ipw.reduce((s, v) => s + v, 0) / n / meanWeight : 0;
  let selfNormalisedIpw: Estimate;
  if (options.interval === "bootstrap") {
    selfNormalisedIpw = bootstrapRatio(ipw, weights, options);
  } else {
    const linear = weights.map((w, i) => (meanWeight > 0 ? (w * ((input.outcome[i] as number) - snValue)) / meanWeight : 0));
    const spread = meanEstimate(linear);
    selfNormalisedIpw = {
      value: snValue,
      se: spread.se,
      lower80: snValue + (spread.lower80 - spread.value),
      upper80: snValue + (spread.upper80 - spread.value),
      lower95: snValue + (spread.lower95 - spread.value),
      upper95: snValue + (spread.upper95 - spread.value),
    };
  }
  return {
    ipw: summarise(ipw),
    selfNormalisedIpw,
    doublyRobust: input.predicted ? summarise(doublyRobustContributions(input)) : null,
  };
}

function bootstrapRatio(
  numerators: readonly number[],
  denominators: readonly number[],
  options: { replicates?: number; seed?: number },
): Estimate {
  return bootstrap({
    n: numerators.length,
    statistic: (indices) => {
      let top = 0;
      let bottom = 0;
      for (const i of indices) {
        top += numerators[i] as number;
        bottom += denominators[i] as number;
      }
      return bottom > 0 ? top / bottom : 0;
    },
    replicates: options.replicates,
    seed: options.seed,
  });
}

export type PolicyDifference = { ipw: Estimate; doublyRobust: Estimate | null };

/**
 * Paired off-policy difference V(policy) − V(against) on the same rows and nuisance (propensity and
 * predictions), so the noise common to both cancels: far narrower intervals than two separate values.
 * `against: "observed"` compares with the logged assignment, whose value is the mean observed outcome.
 */
export function policyDifference(
  input: OffPolicyInput,
  against: readonly number[] | "observed",
  options: { interval?: IntervalMethod; replicates?: number; seed?: number } = {},
): PolicyDifference {
  const n = input.treatment.length;
  if (n === 0) throw new RangeError("off-policy difference needs at least one row");
  if (against !== "observed" && against.length !== n) throw new RangeError("both policies need one arm per row");
  const summarise = (values: number[]): Estimate =>
    options.interval === "bootstrap"
      ? bootstrapMean(values, { replicates: options.replicates, seed: options.seed })
      : meanEstimate(values);
  const other: OffPolicyInput | null = against === "observed" ? null : { ...input, policy: against };
  const difference = (mine: number[], theirs: number[] | null): number[] =>
    mine.map((v, i) => v - (theirs ? (theirs[i] as number) : (input.outcome[i] as number)));
  return {
    ipw: summarise(difference(ipwContributions(input), other ? ipwContributions(other) : null)),
    doublyRobust: input.predicted
      ? summarise(difference(doublyRobustContributions(input), other ? doublyRobustContributions(other) : null))
      : null,
  };
}
