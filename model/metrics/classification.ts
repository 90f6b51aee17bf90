/**
 * Factual metrics of predicted probabilities against observed 0/1 outcomes.
 * In the report each is computed per arm on the rows that received that arm.
 */

function checkLengths(predicted: ArrayLike<number>, outcome: ArrayLike<number>): void {
  if (predicted.length !== outcome.length) {
    throw new RangeError(`predicted (${predicted.length}) and outcome (${outcome.length}) differ in length`);
  }
}

/** The positive (`p`) and negative (`q`) weight at one distinct score: ROC curves step from group to group. */
export type TieGroup = { p: number; q: number };

/**
 * The rows grouped by equal score, in the order `order` sorts the scores (ascending), with optional
 * weights (bootstrap counts). One pass: O(n) given the order, so a bootstrap sorts only once.
 */
export function tieGroups(scores: ArrayLike<number>, outcome: ArrayLike<number>, order: ArrayLike<number>, weights?: ArrayLike<number>): TieGroup[] {
  const groups: TieGroup[] = [];
  const n = order.length;
  let i = 0;
  while (i < n) {
    const score = scores[order[i] as number] as number;
    let p = 0;
    let q = 0;
    let j = i;
    while (j < n && scores[order[j] as number] === score) {
      const k = order[j] as number;
      const w = weights ? (weights[k] as number) : 1;
      if (outcome[k] === 1) p += w;
      else q += w;
      j++;
    }
    groups.push({ p, q });
    i = j;
  }
  return groups;
}

/** Mann–Whitney AUC of ascending tie groups, a tie counted as one half; null when a class is absent. */
export function aucOfGroups(groups: readonly TieGroup[]): number | null {
  let positives = 0;
  let negatives = 0;
  let sum = 0;
  for (const { p, q } of groups) {
    sum += p * (negatives + 0.5 * q);
    positives += p;
    negatives += q;
  }
  return positives === 0 || negatives === 0 ? null : sum / (positives * negatives);
}

/** Indices 0..n-1 ordered by ascending score. */
export function ascendingOrder(scores: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
}

/**
 * Area under the ROC curve (Mann–Whitney), ties in the score counted as one half.
 * Null when one of the classes is absent.
 */
export function auc(predicted: ArrayLike<number>, outcome: ArrayLike<number>): number | null {
  checkLengths(predicted, outcome);
  return aucOfGroups(tieGroups(predicted, outcome, ascendingOrder(predicted)));
}

/** Mean squared difference between predicted probability and outcome. Null on no rows. */
export function brierScore(predicted: ArrayLike<number>, outcome: ArrayLike<number>): number | null {
  checkLengths(predicted, outcome);
  if (predicted.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += ((predicted[i] as number) - (outcome[i] as number)) ** 2;
  return sum / predicted.length;
}

export type BinStrategy = "equal-width" | "equal-mass";

export type CalibrationBin = {
  /** 1-based bin number. */
  bin: number;
  n: number;
  minPredicted: number;
  maxPredicted: number;
  meanPredicted: number;
  observedRate: number;
};

/**
 * Bins of predicted probability with the mean prediction and the observed rate in each.
 * `equal-width`: bins [0, 0.1), [0.1, 0.2), …, [0.9, 1] (empty bins left out).
 * `equal-mass`: rows sorted by prediction and cut into `bins` groups of (nearly) equal size;
 * tied predictions are kept in one bin, so a bin can be larger than n / bins.
 */
export function calibrationBins(
  predicted: ArrayLike<number>,
  outcome: ArrayLike<number>,
  options: { bins?: number; strategy?: BinStrategy } = {},
): CalibrationBin[] {
  checkLengths(predicted, outcome);
  const bins = options.bins ?? 10;
  const strategy = options.strategy ?? "equal-width";
  const n = predicted.length;
  const groups: number[][] = [];
  if (strategy === "equal-width") {
    const byBin: number[][] = Array.from({ length: bins }, () => []);
    for (let i = 0; i < n; i++) {
      const p = predicted[i] as number;
      const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
      byBin[b]?.push(i);
    }
    for (const g of byBin) if (g.length > 0) groups.push(g);
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (predicted[a] as number) - (predicted[b] as number),
    );
    let start = 0;
    for (let b = 1; b <= bins && start < n; b++) {
      let end = Math.round((b * n) / bins);
      // Keep ties together: extend the bin to the last row with the same prediction.
      while (end < n && end > 0 && predicted[order[end] as number] === predicted[order[end - 1] as number]) end++;
      if (end > start) groups.push(order.slice(start, end));
      start = Math.max(start, end);
    }
  }
  return groups.map((rows, index) => {
    let sumP = 0;
    let sumY = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const i of rows) {
      const p = predicted[i] as number;
      sumP += p;
      sumY += outcome[i] as number;
      if (p < min) min = p;
      if (p > max) max = p;
    }
    return {
      bin: index + 1,
      n: rows.length,
      minPredicted: min,
      maxPredicted: max,
      meanPredicted: sumP / rows.length,
      observedRate: sumY / rows.length,
    };
  });
}

/**
 * Expected calibration error: Σ_bins (n_b / n) · |mean predicted_b − observed rate_b|.
 * Default 10 equal-width bins on [0, 1] (the usual definition); pass `strategy: "equal-mass"`
 * for deciles of the prediction. Null on no rows.
 */
export function expectedCalibrationError(
  predicted: ArrayLike<number>,
  outcome: ArrayLike<number>,
  options: { bins?: number; strategy?: BinStrategy } = {},
): number | null {
  if (predicted.length === 0) return null;
  const table = calibrationBins(predicted, outcome, options);
  let sum = 0;
  for (const b of table) sum += b.n * Math.abs(b.meanPredicted - b.observedRate);
  return sum / predicted.length;
}

/** Calibration table per decile of the prediction (10 equal-mass bins). */
export function calibrationTable(predicted: ArrayLike<number>, outcome: ArrayLike<number>): CalibrationBin[] {
  return calibrationBins(predicted, outcome, { bins: 10, strategy: "equal-mass" });
}
