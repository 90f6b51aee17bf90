import { z } from "zod";

/**
 * Gradient-boosted stumps for a continuous target (squared loss): an additive model of step
 * functions, one column per tree, learned by boosting with shrinkage. The DR-learner's second stage
 * uses them (dr.ts) for effects with thresholds and jumps that a spline smooths over, without
 * interactions it could overfit on a target as noisy as a pseudo-outcome.
 *
 * Every column is cut at up to `bins` − 1 quantiles of the fitting rows (the LightGBM idea), and
 * boosting runs in histogram space: the gradient histogram of a column is the histogram of the
 * current scores minus that of the target, and a stump on column f moves the score histogram of
 * every column by its two leaf values times how many rows of each bin fall on each side of the cut
 * (the co-occurrence counts of f's bins and every column's bins, counted once per row set and
 * shared by every target fitted on it). A tree then costs columns × bins × bins instead of
 * rows × columns. Thresholds are stored as values (a stump is a tree of three nodes), so prediction
 * needs no bins.
 */
export const BoostedTreesSchema = z.object({
  loss: z.literal("squared"),
  /** Starting value (the target's mean on the fitting rows). */
  base: z.number(),
  /** Per tree, flat arrays over its nodes: split column (−1 for a leaf), threshold (x ≤ t goes left), children, leaf value. */
  trees: z.array(
    z.object({
      feature: z.array(z.number().int()),
      threshold: z.array(z.number()),
      left: z.array(z.number().int()),
      right: z.array(z.number().int()),
      value: z.array(z.number()),
    }),
  ),
});
export type BoostedTrees = z.infer<typeof BoostedTreesSchema>;
type Tree = BoostedTrees["trees"][number];

/** The most trees one boosted model may hold (the disclosure check allows arrays this long in learner.json). */
export const MAX_TREES = 400;

export type StumpOptions = {
  /** Most trees (default MAX_TREES). */
  trees?: number;
  learningRate?: number;
  /** Fewest rows on either side of a cut. */
  minLeaf?: number;
  /** L2 penalty on leaf values, in rows (default 1). */
  l2?: number;
  /** Cross-validation folds that choose the number of trees (default 3). */
  folds?: number;
  /** A fold stops once its held-out loss has not improved for this many trees (default 100). */
  patience?: number;
};

/** Binned rows shared by several fits on the same columns. */
export type BinnedData = { bins: Uint8Array; edges: Float64Array[]; width: number; stride: number };

/** Cut points per column: up to bins − 1 midpoints between distinct quantile values of the rows. */
export function binEdges(x: ArrayLike<number>, width: number, rows: ArrayLike<number>, bins: number): Float64Array[] {
  const edges: Float64Array[] = [];
  const n = rows.length;
  const step = Math.max(1, Math.floor(n / 4000));
  for (let j = 0; j < width; j++) {
    const values: number[] = [];
    for (let r = 0; r < n; r += step) values.push(x[(rows[r] as number) * width + j] as number);
    values.sort((a, b) => a - b);
    const distinct = values.filter((v, i) => i === 0 || v !== values[i - 1]);
    const cuts: number[] = [];
    if (distinct.length <= bins) {
      for (let i = 1; i < distinct.length; i++) cuts.push(((distinct[i - 1] as number) + (distinct[i] as number)) / 2);
    } else {
      for (let b = 1; b < bins; b++) {
        const q = values[Math.floor((b * values.length) / bins)] as number;
        const next = distinct.find((v) => v > q);
        if (next === undefined) continue;
        const cut = (q + next) / 2;
        if (cuts.length === 0 || cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
      }
    }
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

/** Bins every row of x (n × width) by cut points chosen on `rows`. */
export function binData(x: ArrayLike<number>, n: number, width: number, rows: ArrayLike<number>, bins = 32): BinnedData {
  const edges = binEdges(x, width, rows, bins);
  const out = new Uint8Array(n * width);
  for (let j = 0; j < width; j++) {
    const cuts = edges[j] as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = x[i * width + j] as number;
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= (cuts[mid] as number)) hi = mid;
        else lo = mid + 1;
      }
      out[i * width + j] = lo;
    }
  }
  return { bins: out, edges, width, stride: Math.max(1, ...edges.map((e) => e.length + 1)) };
}

/** Counts of a row set (a row may repeat, as in a bootstrap sample): per column and bin, and per pair of them. */
type RowTable = { rows: ArrayLike<number>; count: Float64Array; pair: Float32Array };

function rowTable(data: BinnedData, rows: ArrayLike<number>): RowTable {
  const { width, bins, stride: B } = data;
  const block = width * B;
  const count = new Float64Array(block);
  const pair = new Float32Array(block * block);
  // Column by column: one column's block of pair counts stays in cache while the rows pass.
  for (let f = 0; f < width; f++) {
    for (let r = 0; r < rows.length; r++) {
      const o = (rows[r] as number) * width;
      const cf = f * B + (bins[o + f] as number);
      count[cf] = (count[cf] as number) + 1;
      const base = cf * block;
      for (let j = 0; j < width; j++) {
        const cell = base + j * B + (bins[o + j] as number);
        pair[cell] = (pair[cell] as number) + 1;
      }
    }
  }
  return { rows, count, pair };
}

/**
 * Boosts stumps for target y on a row table: at most `trees` of them, or, with `held` rows, until
 * the held-out squared error has not improved for `patience` trees. Returns the trees and the
 * held-out loss after 0, 1, 2, … trees (empty without held rows).
 */
function boostStumps(
  data: BinnedData,
  table: RowTable,
  y: ArrayLike<number>,
  options: { trees: number; rate: number; minLeaf: number; lambda: number; patience: number; held?: ArrayLike<number> },
): { model: BoostedTrees; heldLoss: number[] } {
  const { width, bins, edges, stride: B } = data;
  const block = width * B;
  const { rows, count, pair } = table;
  const m = rows.length;
  const target = new Float64Array(block);
  let mean = 0;
  for (let r = 0; r < m; r++) {
    const i = rows[r] as number;
    const t = y[i] as number;
    mean += t / Math.max(m, 1);
    const o = i * width;
    for (let j = 0; j < width; j++) {
      const c = j * B + (bins[o + j] as number);
      target[c] = (target[c] as number) + t;
    }
  }
  const score = new Float64Array(block);
  for (let c = 0; c < block; c++) score[c] = mean * (count[c] as number);
  const held = options.held ?? [];
  const heldScore = new Float64Array(held.length).fill(mean);
  const heldLossNow = () => {
    let loss = 0;
    for (let r = 0; r < held.length; r++) loss += ((heldScore[r] as number) - (y[held[r] as number] as number)) ** 2;
    return loss;
  };
  const heldLoss = held.length > 0 ? [heldLossNow()] : [];
  let best = 0;
  const trees: Tree[] = [];
  const shift = new Float64Array(block);
  for (let t = 0; t < options.trees; t++) {
    // Every column's histograms add up to the same totals: take them from column 0.
    let G = 0;
    for (let b = 0; b < B; b++) G += (score[b] as number) - (target[b] as number);
    const parent = (G * G) / (m + options.lambda);
    let bestGain = 1e-12;
    let split: { f: number; cut: number; gl: number; hl: number } | null = null;
    for (let f = 0; f < width; f++) {
      const cuts = (edges[f] as Float64Array).length;
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < cuts; b++) {
        const c = f * B + b;
        gl += (score[c] as number) - (target[c] as number);
        hl += count[c] as number;
        if (hl < options.minLeaf) continue;
        if (m - hl < options.minLeaf) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + options.lambda) + (gr * gr) / (m - hl + options.lambda) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          split = { f, cut: b, gl, hl };
        }
      }
    }
    if (!split) break;
    const { f, cut } = split;
    const left = (-split.gl / (split.hl + options.lambda)) * options.rate;
    const right = (-(G - split.gl) / (m - split.hl + options.lambda)) * options.rate;
    trees.push({ feature: [f, -1, -1], threshold: [(edges[f] as Float64Array)[cut] as number, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, left, right] });
    // Every row moves by one leaf value: all by the value of the larger side, and the rows of the
    // smaller side's bins by the difference (their pair counts summed), the fewer bins to add.
    const bins_f = (edges[f] as Float64Array).length + 1;
    const leftSmaller = cut + 1 <= bins_f - (cut + 1);
    const [from, to, common, delta] = leftSmaller ? [0, cut + 1, right, left - right] : [cut + 1, bins_f, left, right - left];
    shift.fill(0);
    for (let bf = from; bf < to; bf++) {
      const base = (f * B + bf) * block;
      for (let c = 0; c < block; c++) shift[c] = (shift[c] as number) + (pair[base + c] as number);
    }
    for (let c = 0; c < block; c++) score[c] = (score[c] as number) + common * (count[c] as number) + delta * (shift[c] as number);
    if (held.length === 0) continue;
    for (let r = 0; r < held.length; r++) heldScore[r] = (heldScore[r] as number) + ((bins[(held[r] as number) * width + f] as number) <= cut ? left : right);
    const loss = heldLossNow();
    heldLoss.push(loss);
    if (loss < (heldLoss[best] as number) - 1e-12) best = trees.length;
    else if (trees.length - best >= options.patience) break;
  }
  return { model: { loss: "squared", base: mean, trees }, heldLoss };
}

const settingsOf = (options: StumpOptions, rows: number) => ({
  trees: Math.min(options.trees ?? MAX_TREES, MAX_TREES),
  rate: options.learningRate ?? 0.05,
  minLeaf: options.minLeaf ?? Math.max(30, Math.round(rows / 64)),
  lambda: options.l2 ?? 1,
  patience: options.patience ?? 100,
});

/**
 * Per target, boosted stumps on `rows` whose number of trees is chosen by `folds`-fold
 * cross-validation (the held-out loss after every tree, summed over the folds; folds by position
 * within `rows`); then fitted on all of `rows` with that number. Every fold's counts are shared by
 * all targets.
 */
export function fitStumpsCv(data: BinnedData, targets: readonly ArrayLike<number>[], rows: readonly number[], options: StumpOptions = {}): BoostedTrees[] {
  const folds = options.folds ?? 3;
  const settings = settingsOf(options, rows.length);
  const curves = targets.map(() => new Float64Array(settings.trees + 1));
  for (let f = 0; f < folds; f++) {
    const fit = rows.filter((_, j) => j % folds !== f);
    const held = rows.filter((_, j) => j % folds === f);
    const table = rowTable(data, fit);
    targets.forEach((y, k) => {
      const { heldLoss } = boostStumps(data, table, y, { ...settings, held });
      const curve = curves[k] as Float64Array;
      // After a fold stopped, its loss stays where it was (later trees only added to it).
      for (let step = 0; step <= settings.trees; step++) curve[step] = (curve[step] as number) + (heldLoss[Math.min(step, heldLoss.length - 1)] ?? 0);
    });
  }
  const counts = curves.map((curve) => {
    let best = 0;
    for (let step = 1; step < curve.length; step++) if ((curve[step] as number) < (curve[best] as number) - 1e-12) best = step;
    return best;
  });
  return fitStumps(data, targets, rows, counts, options);
}

/** Per target, exactly counts[k] boosted stumps (fewer when no cut is left) on `rows` (which may repeat rows). */
export function fitStumps(
  data: BinnedData,
  targets: readonly ArrayLike<number>[],
  rows: ArrayLike<number>,
  counts: readonly number[],
  options: StumpOptions = {},
): BoostedTrees[] {
  const settings = settingsOf(options, rows.length);
  const table = rowTable(data, rows);
  return targets.map((y, k) => boostStumps(data, table, y, { ...settings, trees: Math.min(counts[k] ?? 0, settings.trees) }).model);
}

/** The trees' sum for row i of x (width columns). */
export function boostedScore(model: BoostedTrees, x: ArrayLike<number>, width: number, i: number): number {
  let s = model.base;
  const offset = i * width;
  for (const tree of model.trees) {
    let node = 0;
    for (;;) {
      const f = tree.feature[node] as number;
      if (f < 0) {
        s += tree.value[node] as number;
        break;
      }
      node = (x[offset + f] as number) <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
    }
  }
  return s;
}
