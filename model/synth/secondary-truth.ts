import { sigmoid } from "../math.js";


/**
 * The secondary outcomes of the structural model and their ground truth. scm.ts draws each outcome
 * with the chances below; `secondaryTruth` gives, per person and arm, the expected value of each
 * secondary outcome had the person received that arm, in closed form from the same chances, so it
 * takes no random draws and the generated delivery stays the same. Only evaluation reads the truth.
 */
export { SECONDARY_TRUTH_OUTCOMES, secondaryTruthColumn } from "../reintegration.js";

/** Hours a week when working: clamp(round(mean + HOURS_SD·Z), 4, 40). */
export const HOURS_SD = 8;
export const hoursMean = (input: { singleParent: number; youngChild: number; healthCount: number }): number =>
  26 - 6 * Math.max(input.singleParent, input.youngChild) - 3 * input.healthCount;
/** Chance of leaving benefits within 12 months, given work and its hours. */
export const leaveChance = (werk: number, uren: number): number => (werk ? sigmoid(-1.5 + 0.12 * uren) : 0.05);
/** Chance of WMO support after 12 months (participatieplek adds a little: care is found through the placement). */
export const wmoChance = (input: { wmoBefore: boolean; healthCount: number; participatieplek: boolean }): number =>
  input.wmoBefore ? 0.85 : 0.02 + 0.03 * input.healthCount + (input.participatieplek ? 0.02 : 0);
/** Chance of problem debts after 12 months, given debts before, debt counselling and work. */
export const debtChance = (input: { debt: boolean; schuldhulp: boolean; werk: number }): number =>
  input.debt ? 0.75 - (input.schuldhulp ? 0.35 : 0) - 0.1 * input.werk : 0.03 + 0.03 * (1 - input.werk);

/** Standard normal distribution function (Abramowitz & Stegun 7.1.26; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The chance of each whole number of hours when working. */
function hoursDistribution(mean: number): { hours: number; chance: number }[] {
  const cdf = (h: number) => normalCdf((h - mean) / HOURS_SD);
  const out: { hours: number; chance: number }[] = [];
  for (let h = 4; h <= 40; h += 1) {
    const upper = h === 40 ? 1 : cdf(h + 0.5);
    const lower = h === 4 ? 0 : cdf(h - 0.5);
    out.push({ hours: h, chance: upper - lower });
  }
  return out;
}

export type SecondaryTruthInput = {
  /** True chance of work under each arm (the person's `mu`). */
  mu: readonly number[];
  /** Mean hours when working, before the noise (`hoursMean`). */
  hoursMean: number;
  /** Had WMO support before the trajectory. */
  wmoBefore: boolean;
  healthCount: number;
  debt: boolean;
  /** Arm indices the secondary chances name. */
  arms: { participatieplek: number; schuldhulp: number };
};

/**
 * Per secondary outcome (SECONDARY_TRUTH_OUTCOMES' order), per arm a: the expected outcome, with μₐ
 * the true chance of work under a. Hours per week: μₐ·E[hours | work]. Left benefits:
 * μₐ·E[leaveChance(1, hours)] + (1 − μₐ)·leaveChance(0, 0). WMO: wmoChance. Problem debts: debtChance
 * is linear in work, so μₐ·debtChance(work) + (1 − μₐ)·debtChance(no work).
 */
export function secondaryTruth(input: SecondaryTruthInput): number[][] {
  const { mu, arms } = input;
  const hours = hoursDistribution(input.hoursMean);
  const meanHours = hours.reduce((s, h) => s + h.hours * h.chance, 0);
  const leaveWhenWorking = hours.reduce((s, h) => s + leaveChance(1, h.hours) * h.chance, 0);
  const debt = (a: number, werk: number) => debtChance({ debt: input.debt, schuldhulp: a === arms.schuldhulp, werk });
  return [
    mu.map((m) => m * meanHours),
    mu.map((m) => m * leaveWhenWorking + (1 - m) * leaveChance(0, 0)),
    mu.map((_, a) => wmoChance({ wmoBefore: input.wmoBefore, healthCount: input.healthCount, participatieplek: a === arms.participatieplek })),
    mu.map((m, a) => m * debt(a, 1) + (1 - m) * debt(a, 0)),
  ];
}
