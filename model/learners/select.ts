import { z } from "zod";
import { SMALL_TABLE_ROWS } from "./small-table.js";
import type { Encoder } from "../table/encoder.js";
import { assignFolds, crossFitNuisance, gatherRows, type Nuisance, pseudoOutcomes, splitFold } from "./cross-fit.js";
import { drPointValues } from "./dr.js";
import { ESTIMATE_MEMBER, LEARNER_KINDS, type LearnerKind, type TrainingData } from "./learner.js";
import { fitSharing, SHARES_FIRST_STAGE, sharedFirstStage } from "./fit.js";
import { linearMemberValue } from "./linear.js";
import { ArmShrinkageSchema, armOffsets, armShrinkage, shiftValues } from "./shrinkage.js";
import { stackWeights } from "./stack.js";

/**
 * Choosing a learner by causal validation on the training rows only. The rows are split into
 * folds (stratified by arm); every candidate is fitted on all folds but one and predicts the
 * held-out fold, so each row gets an out-of-fold prediction from each candidate. They are scored
 * against doubly robust pseudo-outcomes Γ built from nuisance models (t-linear outcome model,
 * logistic propensity) fitted on the same other folds:
 *   drLoss        mean over rows and non-control arms of ((Γ_k − Γ_control) − predicted gain)²:
 *                 the error of the gains, up to a constant that is the same for every candidate;
 *   rLoss         the R-learner's loss (Nie and Wager), mean over rows of
 *                 ((Y − m) − Σ_k≠control (1[T = k] − e_k) · predicted gain_k)², with m = Σ_k e_k μ_k
 *                 the cross-fitted outcome expected under current practice: the gains' error
 *                 weighted by how much the arms vary at that client's covariates (no division by a
 *                 propensity, so steadier than drLoss where overlap is thin);
 *   policyValue   mean Γ' of the arm the candidate ranks first: the average outcome if its first
 *                 choice were followed. Γ' is augmented with the arms' mean outcomes on the other
 *                 folds instead of the outcome model: an outcome model fitted on the same folds as
 *                 the candidate makes the same errors, and the arms it ranks first by mistake would
 *                 look better than they are (a winner's curse that made no-effect tables look
 *                 advisable); with a constant augmentation that bias is gone, at some variance;
 *   gainOverObserved  policyValue minus the observed average outcome, with a 95% interval from
 *                 the per-row differences: does following the advice beat current practice?
 * With more than one candidate, their out-of-fold predictions are also stacked: the convex
 * combination whose gains have the lowest drLoss (stack.ts), scored as one more row (its few
 * weights are fitted on the same rows: an optimism far below the differences that decide).
 * The candidate with the lowest drLoss is chosen (the gains are what the advice ranks on, and the
 * loss is far less noisy than a policy value), with one exception: a default learner for the
 * table's size (incumbentFor) is replaced only when the other's drLoss lies clearly below its own,
 * by more than that size's number of standard errors of the paired per-row differences. From
 * SMALL_TABLE_ROWS rows on the default is the network: on 20 000 generated clients the learners'
 * losses differ by one or two such errors from seed to seed, and choosing the lowest then swapped
 * the network for linear or DR learners whose gains were about as good but whose first choices
 * captured less of the achievable gain (README, "Causal quality on the generator"). Below, it is
 * t-linear, the standard T-learner: on a few hundred rows the losses of all candidates often lie
 * within their noise, and the lowest is then the one whose errors happen to fit the noise of the
 * pseudo-outcomes best (README, "The standard learner unless the data say otherwise"). The advice
 * is marked as information only when the chosen learner's gain over the observed assignment is not
 * clearly above zero.
 * No truth column, test table or audit column is read: only features, arm and outcome.
 */
const GainSchema = z.object({ estimate: z.number(), lower: z.number(), upper: z.number() });

export const CandidateScoreSchema = z.object({
  kind: z.enum(LEARNER_KINDS),
  drLoss: z.number(),
  /** Absent in bundles validated before the R-loss was reported. */
  rLoss: z.number().optional(),
  policyValue: z.number(),
  gainOverObserved: GainSchema,
  seconds: z.number(),
  /** The stack's weight per learner (only the stack's row). */
  weights: z.record(z.string(), z.number()).optional(),
});
export type CandidateScore = z.infer<typeof CandidateScoreSchema>;

/** Learners fitted inside the validation by `fitHeldOut` (the network has its own fit; the stack is made of the others). */
export type HeldOutKind = Exclude<LearnerKind, "network" | "stack">;

export const ValidationSchema = z.object({
  criterion: z.literal("dr-loss"),
  folds: z.number().int().min(2),
  rows: z.number().int().min(0),
  observedValue: z.number(),
  candidates: z.array(CandidateScoreSchema).min(1),
  chosen: z.enum(LEARNER_KINDS),
  reason: z.string(),
  /** Whether following the chosen learner's first choice clearly beats the observed assignment. */
  advise: z.boolean(),
  adviceReason: z.string(),
  /**
   * The arms' average gains shrunk toward their common mean (shrinkage.ts), applied to the chosen
   * learner in the bundle; null with too few arms. Absent in bundles validated before.
   */
  shrinkage: ArmShrinkageSchema.nullable().optional(),
  /**
   * The gain over the observed assignment that `advise` rests on: the chosen learner's, with the
   * shrinkage applied to its out-of-fold predictions. Absent in bundles validated before (then the
   * chosen candidate's row).
   */
  adviceGain: GainSchema.optional(),
  /**
   * How far the chosen learner's DR loss lies from the best other candidate's: their difference
   * (negative: the chosen is lower), the standard error of the paired per-row differences, and
   * whether it is more than the table size's number of them (incumbentFor). On a few hundred rows
   * the candidates are often within the noise of each other, and the card and the app say so.
   * Absent in bundles validated before, and with one candidate.
   */
  lead: z.object({ runnerUp: z.enum(LEARNER_KINDS), difference: z.number(), standardError: z.number().min(0), clearly: z.boolean() }).optional(),
});
export type Validation = z.infer<typeof ValidationSchema>;

/**
 * A candidate's expected outcomes for the held-out rows (held × K) and the seconds its fit took where
 * it ran (on a worker thread a fit first waits in the queue: that wait is not counted).
 */
export type HeldOutFit = { values: Float64Array; seconds: number };

/** Fits a candidate on `fit` rows and predicts the `held` rows. */
export type CandidateFit = (fit: Int32Array, held: Int32Array) => Promise<HeldOutFit>;

export type SelectOptions = {
  data: TrainingData;
  encoder: Encoder;
  arms: string[];
  control: string;
  outcomeType: "binary" | "continuous";
  candidates: readonly LearnerKind[];
  folds?: number;
  seed?: number;
  /** How the network is fitted inside the validation (it lives in model/network and may run on a worker thread). */
  fitNetwork?: CandidateFit;
  /** Fits of the other candidates, a group of them on one fold at a time (heldOutGroups), e.g. on worker threads; default: in this thread. */
  fitCandidates?: (kinds: HeldOutKind[], fit: Int32Array, held: Int32Array) => Promise<HeldOutFit[]>;
  onCandidate?: (kind: LearnerKind, fold: number) => void;
  /** Also score the stack of the candidates (default true). */
  stack?: boolean;
};

/**
 * Linear, S- and DR-learners' held-out predictions on one fold, in this thread (the default of
 * `fitCandidates`). The DR learners' first stage is fitted once for all of them, and is the t-linear
 * candidate itself (sharedFirstStage); its time counts toward the first candidate that needs it.
 */
export function fitHeldOut(
  options: Pick<SelectOptions, "data" | "encoder" | "arms" | "control" | "outcomeType" | "seed">,
  kinds: readonly HeldOutKind[],
  fit: Int32Array,
  held: Int32Array,
): HeldOutFit[] {
  const common = {
    arms: options.arms,
    control: options.control,
    outcomeType: options.outcomeType,
    encoder: options.encoder,
    rows: fit,
    members: 1,
    propensity: false,
    seed: options.seed ?? 42,
  };
  const x = gatherRows(options.data.x, options.data.inputs, held);
  const shared = sharedFirstStage(options.data, common);
  return kinds.map((kind) => {
    const started = performance.now();
    const state = fitSharing(kind, options.data, common, shared);
    // A DR learner holds its first stage (`base`); a linear learner is one.
    const values = "base" in state ? drPointValues(state, x, held.length) : linearMemberValue(state, x, held.length, ESTIMATE_MEMBER);
    return { values, seconds: (performance.now() - started) / 1000 };
  });
}

/** The held-out candidates fitted together on a fold: t-linear and the DR learners share a first stage; the others alone. */
export function heldOutGroups(kinds: readonly HeldOutKind[]): HeldOutKind[][] {
  const sharing = kinds.filter((kind) => SHARES_FIRST_STAGE.includes(kind));
  return [...(sharing.length > 0 ? [sharing] : []), ...kinds.filter((kind) => !SHARES_FIRST_STAGE.includes(kind)).map((kind) => [kind])];
}

const round = (v: number, digits = 5) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function selectLearner(options: SelectOptions): Promise<Validation> {
  return (await validateLearners(options)).validation;
}

/**
 * The validation, and the chosen learner's out-of-fold expected outcomes on every training row
 * (n × K, as the bundle ships it: with the arms' shrinkage): each row's from fits that never saw
 * it, so its factual performance there is an honest estimate for a learner fitted on all rows.
 */
export async function validateLearners(options: SelectOptions): Promise<{ validation: Validation; outOfFold: Float64Array }> {
  const { data, arms } = options;
  const n = data.treatment.length;
  const K = arms.length;
  const c = arms.indexOf(options.control);
  const folds = options.folds ?? 3;
  const seed = options.seed ?? 42;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const fold = assignFolds(data.treatment, K, folds, seed);
  const nuisance = crossFitNuisance(data, { rows: all, folds, seed, arms, control: options.control, outcomeType: options.outcomeType, encoder: options.encoder });
  const gamma = pseudoOutcomes(data, nuisance, all, K);
  const gammaPolicy = pseudoOutcomes(data, { mu: armMeansOutOfFold(data, fold, folds, K), propensity: nuisance.propensity }, all, K);
  let observed = 0;
  for (let i = 0; i < n; i++) observed += (data.outcome[i] ?? 0) / n;
  const fitCandidates = options.fitCandidates ?? (async (kinds: HeldOutKind[], fit: Int32Array, held: Int32Array) => fitHeldOut(options, kinds, fit, held));
  const candidates = options.candidates.filter((kind) => kind !== "stack" && (kind !== "network" || options.fitNetwork));
  const groups: LearnerKind[][] = [
    ...candidates.filter((kind) => kind === "network").map((kind) => [kind]),
    ...heldOutGroups(candidates.filter((kind): kind is HeldOutKind => kind !== "network")),
  ];
  // Every group's fit on every fold is independent: all are handed out at once (a pool of worker
  // threads runs them side by side) and gathered in candidate and fold order, so the outcome is the same.
  const groupFits = await Promise.all(
    groups.map((group) =>
      Promise.all(
        Array.from({ length: folds }, async (_, f) => {
          const { fit, held } = splitFold(all, fold, f);
          if (held.length === 0) return null;
          for (const kind of group) options.onCandidate?.(kind, f);
          const done = group[0] === "network" && options.fitNetwork ? [await options.fitNetwork(fit, held)] : await fitCandidates(group as HeldOutKind[], fit, held);
          return done.map((d) => ({ held, ...d }));
        }),
      ),
    ),
  );
  const fits = candidates.map((kind) => {
    const g = groups.findIndex((group) => group.includes(kind));
    const j = (groups[g] ?? []).indexOf(kind);
    return (groupFits[g] ?? []).map((perFold) => perFold?.[j] ?? null);
  });
  const scores: CandidateScore[] = [];
  const outOfFold: Float64Array[] = [];
  const rowLosses = new Map<LearnerKind, Float64Array>();
  candidates.forEach((kind, index) => {
    const predicted = new Float64Array(n * K);
    let seconds = 0;
    for (const fitted of fits[index] ?? []) {
      if (!fitted) continue;
      seconds += fitted.seconds;
      fitted.held.forEach((row, j) => {
        for (let k = 0; k < K; k++) predicted[row * K + k] = fitted.values[j * K + k] ?? 0;
      });
    }
    outOfFold.push(predicted);
    rowLosses.set(kind, rowDrLoss({ predicted, gamma, K, c }));
    scores.push({ kind, ...scorePredictions({ predicted, gamma, gammaPolicy, nuisance, treatment: data.treatment, outcome: data.outcome, K, c }), seconds: round(seconds, 1) });
  });
  const stack = options.stack === false ? null : stackOutOfFold({ kinds: candidates, outOfFold, gamma, K, c });
  if (stack) {
    const score = scorePredictions({ predicted: stack.predicted, gamma, gammaPolicy, nuisance, treatment: data.treatment, outcome: data.outcome, K, c });
    scores.push({ kind: "stack", ...score, seconds: 0, weights: stack.weights });
    rowLosses.set("stack", rowDrLoss({ predicted: stack.predicted, gamma, K, c }));
  }
  const decided = decide({ scores, rowLosses, folds, rows: n, observed });
  const winner = scores.find((s) => s.kind === decided.chosen);
  const chosen = decided.chosen === "stack" ? stack?.predicted : outOfFold[candidates.indexOf(decided.chosen)];
  if (!winner || !chosen) throw new Error(`learner selection: no out-of-fold predictions of ${decided.chosen}`);
  const shrinkage = armShrinkage({ gamma, arms, control: options.control, predicted: chosen });
  if (!shrinkage) return { validation: { ...decided, ...advice(winner.gainOverObserved), shrinkage: null }, outOfFold: chosen };
  // The bundle ships the chosen learner with the arms' average gains shrunk: whether following its
  // first choice beats current practice is judged on its out-of-fold predictions shrunk the same way.
  const shrunk = shiftValues(chosen, armOffsets(shrinkage, arms), options.outcomeType === "binary");
  const { gainOverObserved } = scorePredictions({ predicted: shrunk, gamma, gammaPolicy, nuisance, treatment: data.treatment, outcome: data.outcome, K, c });
  return { validation: { ...decided, ...advice(gainOverObserved, " (with the arms' average gains shrunk toward their common mean)"), shrinkage }, outOfFold: shrunk };
}

/** Whether following the first choice clearly beats the observed assignment, and the sentence that says so. */
function advice(g: z.infer<typeof GainSchema>, how = ""): Pick<Validation, "advise" | "adviceReason" | "adviceGain"> {
  const advise = g.lower > 0;
  const adviceReason = advise
    ? `following the first choice${how} beats the observed assignment: +${g.estimate.toFixed(3)} (95% interval ${g.lower.toFixed(3)} to ${g.upper.toFixed(3)})`
    : `following the first choice${how} does not clearly beat the observed assignment: ${g.estimate >= 0 ? "+" : ""}${g.estimate.toFixed(3)} (95% interval ${g.lower.toFixed(3)} to ${g.upper.toFixed(3)}); the ranking is information, not advice`;
  return { advise, adviceReason, adviceGain: g };
}

/** How many standard errors of the paired per-row loss differences another learner must beat the network by. */
export const SWITCH_Z = 3;

/**
 * How many standard errors another learner must beat t-linear by below SMALL_TABLE_ROWS rows: about
 * the 5 % level of a two-sided test (1.96). On twelve small generated tables the chosen learner's
 * lead over t-linear was 2.5–5.1 of them and its gains far better; on the LaLonde rows the stack's
 * was 1.0–1.3, and t-linear's effect on the trainees is the one near the experiment's; on the IHDP
 * replications 0.7–1.9 on nine of ten, where keeping t-linear cost about 0.1 of mean √PEHE (README,
 * "The standard learner unless the data say otherwise"). The figure was set after seeing the first two.
 */
export const SMALL_SWITCH_Z = 2;

/** The learner kept unless another's loss is clearly lower, and how many standard errors "clearly" takes. */
export type Incumbent = { kind: LearnerKind; z: number; name: string };

export function incumbentFor(rows: number): Incumbent {
  return rows >= SMALL_TABLE_ROWS ? { kind: "network", z: SWITCH_Z, name: "the network" } : { kind: "t-linear", z: SMALL_SWITCH_Z, name: "t-linear (the standard T-learner)" };
}

/** Per row, the squared error of the predicted gains against the pseudo-outcome differences (mean over non-control arms). */
function rowDrLoss(options: { predicted: Float64Array; gamma: Float64Array; K: number; c: number }): Float64Array {
  const { predicted, gamma, K, c } = options;
  const n = gamma.length / K;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let loss = 0;
    for (let k = 0; k < K; k++) {
      if (k === c) continue;
      const target = (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0);
      loss += (target - ((predicted[i * K + k] ?? 0) - (predicted[i * K + c] ?? 0))) ** 2;
    }
    out[i] = loss / Math.max(K - 1, 1);
  }
  return out;
}

/** Whether a paired difference (a − b) puts a clearly below b: by more than z standard errors. */
const clearlyBelow = (d: { mean: number; se: number }, z: number): boolean => d.mean < -z * d.se;

/** Mean and standard error of a − b over rows. */
function pairedDifference(a: Float64Array, b: Float64Array): { mean: number; se: number } {
  const n = a.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += ((a[i] ?? 0) - (b[i] ?? 0)) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((a[i] ?? 0) - (b[i] ?? 0) - mean) ** 2;
  return { mean, se: Math.sqrt(ss / Math.max(n - 1, 1) / Math.max(n, 1)) };
}

/** Smallest weight a stack keeps; smaller ones go to the others (a part costs a fit and a prediction). */
const MIN_STACK_WEIGHT = 0.02;

/** The DR-loss stack of the candidates' out-of-fold predictions, or null when it is one of them. */
function stackOutOfFold(options: { kinds: readonly LearnerKind[]; outOfFold: readonly Float64Array[]; gamma: Float64Array; K: number; c: number }) {
  const { kinds, outOfFold, gamma, K, c } = options;
  if (outOfFold.length < 2) return null;
  const n = gamma.length / K;
  const target = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) target[i * K + k] = (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0);
  const gains = outOfFold.map((p) => {
    const g = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) g[i * K + k] = (p[i * K + k] ?? 0) - (p[i * K + c] ?? 0);
    return g;
  });
  const raw = stackWeights({ gains, target, K, c });
  const kept = raw.map((w) => (w >= MIN_STACK_WEIGHT ? w : 0));
  if (kept.filter((w) => w > 0).length < 2) return null;
  const total = kept.reduce((s, w) => s + w, 0);
  const weights: Record<string, number> = {};
  const predicted = new Float64Array(n * K);
  kept.forEach((w, j) => {
    if (w === 0) return;
    const share = w / total;
    weights[kinds[j] as string] = share;
    const p = outOfFold[j] as Float64Array;
    for (let o = 0; o < predicted.length; o++) predicted[o] = (predicted[o] ?? 0) + share * (p[o] ?? 0);
  });
  return { weights, predicted };
}

/** The criteria for one candidate's out-of-fold predictions (n × K) against the pseudo-outcomes. */
export function scorePredictions(options: {
  predicted: Float64Array;
  gamma: Float64Array;
  gammaPolicy: Float64Array;
  nuisance: Nuisance;
  treatment: Int32Array;
  outcome: ArrayLike<number>;
  K: number;
  c: number;
}) {
  const { predicted, gamma, gammaPolicy, nuisance, K, c } = options;
  const n = options.outcome.length;
  let loss = 0;
  let rLoss = 0;
  let value = 0;
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let expected = 0;
    let fitted = 0;
    for (let k = 0; k < K; k++) {
      const e = nuisance.propensity[i * K + k] ?? 0;
      expected += e * (nuisance.mu[i * K + k] ?? 0);
      if ((predicted[i * K + k] ?? 0) > (predicted[i * K + best] ?? 0)) best = k;
      if (k === c) continue;
      const target = (gamma[i * K + k] ?? 0) - (gamma[i * K + c] ?? 0);
      const gain = (predicted[i * K + k] ?? 0) - (predicted[i * K + c] ?? 0);
      loss += (target - gain) ** 2;
      fitted += ((options.treatment[i] === k ? 1 : 0) - e) * gain;
    }
    rLoss += (((options.outcome[i] as number) ?? 0) - expected - fitted) ** 2;
    const g = gammaPolicy[i * K + best] ?? 0;
    value += g;
    diff[i] = g - ((options.outcome[i] as number) ?? 0);
  }
  const mean = diff.reduce((s, d) => s + d, 0) / Math.max(n, 1);
  const variance = diff.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(n - 1, 1);
  const half = 1.96 * Math.sqrt(variance / Math.max(n, 1));
  return {
    drLoss: round(loss / Math.max(n * (K - 1), 1), 6),
    rLoss: round(rLoss / Math.max(n, 1), 6),
    policyValue: round(value / Math.max(n, 1)),
    gainOverObserved: { estimate: round(mean), lower: round(mean - half), upper: round(mean + half) },
  };
}

/** Per row, every arm's mean outcome over that arm's rows in the other folds (n × K). */
function armMeansOutOfFold(data: TrainingData, fold: Int32Array, folds: number, K: number): Float64Array {
  const sum = new Float64Array(folds * K);
  const count = new Float64Array(folds * K);
  data.treatment.forEach((t, i) => {
    for (let f = 0; f < folds; f++) {
      if (fold[i] === f) continue;
      sum[f * K + t] = (sum[f * K + t] ?? 0) + (data.outcome[i] ?? 0);
      count[f * K + t] = (count[f * K + t] ?? 0) + 1;
    }
  });
  const out = new Float64Array(data.treatment.length * K);
  for (let i = 0; i < data.treatment.length; i++) {
    const f = fold[i] ?? 0;
    for (let k = 0; k < K; k++) out[i * K + k] = (count[f * K + k] ?? 0) > 0 ? (sum[f * K + k] ?? 0) / (count[f * K + k] ?? 1) : 0;
  }
  return out;
}

/** The chosen learner's lead over the best other candidate (Validation.lead), or undefined with no other. */
function leadOver(winner: CandidateScore, options: { scores: CandidateScore[]; rowLosses: Map<LearnerKind, Float64Array>; z: number }): Validation["lead"] {
  const runnerUp = options.scores.filter((s) => s.kind !== winner.kind).sort((a, b) => a.drLoss - b.drLoss)[0];
  const own = options.rowLosses.get(winner.kind);
  const other = runnerUp ? options.rowLosses.get(runnerUp.kind) : undefined;
  if (!runnerUp || !own || !other) return undefined;
  const d = pairedDifference(own, other);
  return { runnerUp: runnerUp.kind, difference: round(d.mean, 6), standardError: round(d.se, 6), clearly: clearlyBelow(d, options.z) };
}

/** The sentence that says whether the chosen learner's lead over the next one is more than noise. */
function leadSentence(winner: LearnerKind, lead: NonNullable<Validation["lead"]>): string {
  const by = `${winner} against ${lead.runnerUp}: ${lead.difference.toFixed(4)}, standard error ${lead.standardError.toFixed(4)} of the paired per-row differences`;
  return lead.clearly ? `; clearly ahead of the next (${by})` : `; within the noise of the next (${by}), so these rows do not tell the two apart`;
}

/** The chosen learner and why; whether its first choice counts as advice is judged after (selectLearner). */
function decide(options: { scores: CandidateScore[]; rowLosses: Map<LearnerKind, Float64Array>; folds: number; rows: number; observed: number }): Omit<Validation, "advise" | "adviceReason" | "adviceGain" | "shrinkage"> {
  const sorted = [...options.scores].sort((a, b) => a.drLoss - b.drLoss);
  const lowest = sorted[0];
  if (!lowest) throw new Error("learner selection: no candidates");
  const incumbent = incumbentFor(options.rows);
  const held = options.scores.find((s) => s.kind === incumbent.kind);
  const where = `${options.folds}-fold cross-fitting on the ${options.rows} training rows only`;
  let winner = lowest;
  let reason: string;
  const lowestRows = options.rowLosses.get(lowest.kind);
  const heldRows = options.rowLosses.get(incumbent.kind);
  if (held && lowest.kind !== held.kind && lowestRows && heldRows) {
    const d = pairedDifference(lowestRows, heldRows);
    const clearly = clearlyBelow(d, incumbent.z);
    winner = clearly ? lowest : held;
    reason = clearly
      ? `${lowest.kind} has the lowest doubly robust loss of the gains on held-out folds (${lowest.drLoss.toFixed(4)}), clearly below that of ${incumbent.name} (${held.drLoss.toFixed(4)}: ${d.mean.toFixed(4)}, more than ${incumbent.z} standard errors ${d.se.toFixed(4)} of the paired differences), ${where}`
      : `${incumbent.name} is kept: ${lowest.kind} has a lower doubly robust loss of the gains on held-out folds (${lowest.drLoss.toFixed(4)} against ${held.drLoss.toFixed(4)}), but not by more than ${incumbent.z} standard errors of the paired differences (${d.mean.toFixed(4)}, standard error ${d.se.toFixed(4)}), ${where}`;
  } else {
    const runnerUp = sorted[1];
    reason =
      `${lowest.kind} has the lowest doubly robust loss of the gains on held-out folds (${lowest.drLoss.toFixed(4)}` +
      (runnerUp ? `; next ${runnerUp.kind} ${runnerUp.drLoss.toFixed(4)})` : ")") +
      `, ${where}`;
  }
  const lead = leadOver(winner, { ...options, z: incumbent.z });
  return {
    criterion: "dr-loss",
    folds: options.folds,
    rows: options.rows,
    observedValue: round(options.observed),
    candidates: options.scores,
    chosen: winner.kind,
    // Where the default learner was kept over a lower loss, the reason already says that lead was noise.
    reason: lead && winner === lowest ? reason + leadSentence(winner.kind, lead) : reason,
    ...(lead ? { lead } : {}),
  };
}
