import { z } from "zod";
import { stableSigmoid as sigmoid } from "../math.js";
import { createRandom } from "../random.js";

/**
 * Gradient-boosted regression trees on histogram bins (the LightGBM idea, small): every column is
 * cut at up to `bins` − 1 quantiles of the fitting rows, trees grow level by level to `depth`,
 * each split maximising the second-order gain G²/(H + λ) with at least `minLeaf` rows a side, and
 * each leaf adds −G/(H + λ) times the learning rate. Squared loss for a continuous target (and the
 * DR-learner's pseudo-outcomes), logistic loss for a 0/1 one. The number of trees is chosen by
 * early stopping on a seeded share of the fitting rows, then the trees are kept as fitted.
 * Thresholds are stored as values, so prediction needs no bins.
 */
export const BoostedTreesSchema = z.object({
  loss: z.enum(["squared", "logistic"]),
  /** Starting value on the link scale. */
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

/** The most trees one boosted model may hold (the disclosure check allows arrays this long in learner.json). */
export const MAX_TREES = 400;

export type BoostOptions = {
  loss: "squared" | "logistic";
  /** Most trees (default 300); early stopping usually keeps fewer. */
  trees?: number;
  depth?: number;
  learningRate?: number;
  minLeaf?: number;
  /** L2 penalty on leaf values, in Hessian units (default 1). */
  l2?: number;
  /** Share of the fitting rows each tree sees (default 0.7). */
  subsample?: number;
  /** Share of the fitting rows held out for early stopping (default 0.2; 0 = no early stopping). */
  stopShare?: number;
  /** Trees without improvement on the stopping rows before stopping (default 30). */
  patience?: number;
  bins?: number;
  seed?: number;
};

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

/** Bin index of every cell (n × width): the number of cut points below the value. */
export function binRows(x: ArrayLike<number>, n: number, width: number, edges: readonly Float64Array[]): Uint8Array {
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
  return out;
}

type Tree = BoostedTrees["trees"][number];

/** Binned rows shared by several fits on the same columns (the arms, the members, the folds). */
export type BinnedData = { bins: Uint8Array; edges: Float64Array[]; width: number };

export function binData(x: ArrayLike<number>, n: number, width: number, rows: ArrayLike<number>, bins = 32): BinnedData {
  const edges = binEdges(x, width, rows, bins);
  return { bins: binRows(x, n, width, edges), edges, width };
}

/**
 * Fits boosted trees to `y` on `rows` of the binned data. `weight` (optional) weights rows;
 * `offset` (optional) is added to the link before the trees.
 */
export function fitBoostedTrees(
  data: BinnedData,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  options: BoostOptions,
): BoostedTrees {
  const maxTrees = options.trees ?? 300;
  const depth = options.depth ?? 3;
  const rate = options.learningRate ?? 0.05;
  const minLeaf = options.minLeaf ?? 50;
  const lambda = options.l2 ?? 1;
  const subsample = options.subsample ?? 0.7;
  const stopShare = options.stopShare ?? 0.2;
  const patience = options.patience ?? 30;
  const random = createRandom((options.seed ?? 42) * 7 + 11);
  const logistic = options.loss === "logistic";
  const all = Array.from(rows);
  const stop: number[] = [];
  const fit: number[] = [];
  for (const i of all) (stopShare > 0 && random() < stopShare ? stop : fit).push(i);
  let mean = 0;
  for (const i of fit) mean += (y[i] as number) / Math.max(fit.length, 1);
  const base = logistic ? Math.log(Math.min(Math.max(mean, 1e-4), 1 - 1e-4) / (1 - Math.min(Math.max(mean, 1e-4), 1 - 1e-4))) : mean;
  const n = data.bins.length / data.width;
  const score = new Float64Array(n).fill(base);
  const trees: Tree[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestCount = 0;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const lossOf = (i: number) => {
    const t = y[i] as number;
    if (!logistic) return ((score[i] as number) - t) ** 2;
    const p = Math.min(Math.max(sigmoid(score[i] as number), 1e-12), 1 - 1e-12);
    return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
  };
  for (let t = 0; t < maxTrees; t++) {
    const sample = subsample < 1 ? fit.filter(() => random() < subsample) : fit;
    for (const i of sample) {
      if (logistic) {
        const p = sigmoid(score[i] as number);
        grad[i] = p - (y[i] as number);
        hess[i] = Math.max(p * (1 - p), 1e-6);
      } else {
        grad[i] = (score[i] as number) - (y[i] as number);
        hess[i] = 1;
      }
    }
    const { tree, cutBin } = growTree(data, sample, grad, hess, { depth, minLeaf, lambda, rate });
    trees.push(tree);
    for (const i of all) score[i] = (score[i] as number) + treeValueBinned(tree, cutBin, data, i);
    if (stop.length > 0) {
      let loss = 0;
      for (const i of stop) loss += lossOf(i);
      if (loss < bestLoss - 1e-9) {
        bestLoss = loss;
        bestCount = trees.length;
      } else if (trees.length - bestCount >= patience) break;
    } else bestCount = trees.length;
  }
  return { loss: options.loss, base, trees: trees.slice(0, Math.max(bestCount, 1)) };
}

function growTree(
  data: BinnedData,
  rows: readonly number[],
  grad: Float64Array,
  hess: Float64Array,
  options: { depth: number; minLeaf: number; lambda: number; rate: number },
): { tree: Tree; cutBin: number[] } {
  const { width, bins, edges } = data;
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const cutBin: number[] = [];
  const B = 256;
  const histG = new Float64Array(width * B);
  const histH = new Float64Array(width * B);
  const histN = new Int32Array(width * B);
  const addNode = () => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(0);
    cutBin.push(-1);
    return tree.feature.length - 1;
  };
  let frontier: { node: number; rows: number[] }[] = [{ node: addNode(), rows: [...rows] }];
  for (let level = 0; level <= options.depth; level++) {
    const next: { node: number; rows: number[] }[] = [];
    for (const { node, rows: nodeRows } of frontier) {
      let G = 0;
      let H = 0;
      for (const i of nodeRows) {
        G += grad[i] as number;
        H += hess[i] as number;
      }
      tree.value[node] = (-G / (H + options.lambda)) * options.rate;
      if (level === options.depth || nodeRows.length < 2 * options.minLeaf) continue;
      histG.fill(0);
      histH.fill(0);
      histN.fill(0);
      for (const i of nodeRows) {
        const g = grad[i] as number;
        const h = hess[i] as number;
        const offset = i * width;
        for (let j = 0; j < width; j++) {
          const cell = j * B + (bins[offset + j] as number);
          histG[cell] = (histG[cell] as number) + g;
          histH[cell] = (histH[cell] as number) + h;
          histN[cell] = (histN[cell] as number) + 1;
        }
      }
      const parent = (G * G) / (H + options.lambda);
      let bestGain = 1e-12;
      let bestFeature = -1;
      let bestBin = -1;
      for (let j = 0; j < width; j++) {
        const cuts = (edges[j] as Float64Array).length;
        let gl = 0;
        let hl = 0;
        let nl = 0;
        for (let b = 0; b < cuts; b++) {
          const cell = j * B + b;
          gl += histG[cell] as number;
          hl += histH[cell] as number;
          nl += histN[cell] as number;
          const nr = nodeRows.length - nl;
          if (nl < options.minLeaf) continue;
          if (nr < options.minLeaf) break;
          const gr = G - gl;
          const hr = H - hl;
          const gain = (gl * gl) / (hl + options.lambda) + (gr * gr) / (hr + options.lambda) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = j;
            bestBin = b;
          }
        }
      }
      if (bestFeature < 0) continue;
      const leftRows: number[] = [];
      const rightRows: number[] = [];
      for (const i of nodeRows) ((bins[i * width + bestFeature] as number) <= bestBin ? leftRows : rightRows).push(i);
      const l = addNode();
      const r = addNode();
      tree.feature[node] = bestFeature;
      tree.threshold[node] = (edges[bestFeature] as Float64Array)[bestBin] as number;
      cutBin[node] = bestBin;
      tree.left[node] = l;
      tree.right[node] = r;
      tree.value[node] = 0;
      next.push({ node: l, rows: leftRows }, { node: r, rows: rightRows });
    }
    frontier = next;
  }
  return { tree, cutBin };
}

/** A fitted tree's value for binned row i: bin ≤ the split's cut index ⇔ value ≤ threshold. */
function treeValueBinned(tree: Tree, cutBin: readonly number[], data: BinnedData, i: number): number {
  let node = 0;
  const offset = i * data.width;
  for (;;) {
    const f = tree.feature[node] as number;
    if (f < 0) return tree.value[node] as number;
    node = (data.bins[offset + f] as number) <= (cutBin[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
  }
}

/** The trees' link-scale score of row i of x (width columns). */
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

/** Predictions on the outcome's scale (a chance for the logistic loss) for n rows. */
export function predictBoosted(model: BoostedTrees, x: ArrayLike<number>, n: number, width: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = boostedScore(model, x, width, i);
    out[i] = model.loss === "logistic" ? sigmoid(s) : s;
  }
  return out;
}

/**
 * Boosted trees whose number of trees is chosen by `folds`-fold cross-validation on `rows` (the
 * held-out loss after every tree, summed over the folds; folds by position within `rows`), then
 * fitted on all of `rows` with that number. Steadier than one early-stopping share when the target
 * is as noisy as a pseudo-outcome.
 */
export function fitBoostedTreesCv(
  data: BinnedData,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  options: BoostOptions & { folds?: number },
): BoostedTrees {
  const folds = options.folds ?? 3;
  const maxTrees = options.trees ?? 300;
  const list = Array.from(rows);
  const loss = new Float64Array(maxTrees + 1);
  const logistic = options.loss === "logistic";
  for (let f = 0; f < folds; f++) {
    const fit = list.filter((_, j) => j % folds !== f);
    const held = list.filter((_, j) => j % folds === f);
    const model = fitBoostedTrees(data, y, fit, { ...options, trees: maxTrees, stopShare: 0 });
    const cuts = model.trees.map((tree) => tree.feature.map((feature, node) => (feature < 0 ? -1 : (data.edges[feature] as Float64Array).indexOf(tree.threshold[node] as number))));
    for (const i of held) {
      let s = model.base;
      const t = y[i] as number;
      const add = (step: number) => {
        if (logistic) {
          const p = Math.min(Math.max(sigmoid(s), 1e-12), 1 - 1e-12);
          loss[step] = (loss[step] as number) - (t * Math.log(p) + (1 - t) * Math.log(1 - p));
        } else loss[step] = (loss[step] as number) + (s - t) ** 2;
      };
      add(0);
      model.trees.forEach((tree, step) => {
        s += treeValueBinned(tree, cuts[step] as number[], data, i);
        add(step + 1);
      });
      for (let step = model.trees.length + 1; step <= maxTrees; step++) add(step);
    }
  }
  let best = 0;
  for (let step = 1; step <= maxTrees; step++) if ((loss[step] as number) < (loss[best] as number) - 1e-12) best = step;
  return fitBoostedTrees(data, y, list, { ...options, trees: Math.max(best, 1), stopShare: 0 });
}
