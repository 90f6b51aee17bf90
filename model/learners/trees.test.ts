import { describe, expect, it } from "vitest";
import { createRandom } from "../random.js";
import { BoostedTreesSchema, binData, boostedScore, fitStumps, fitStumpsCv } from "./trees.js";

/** Rows: a threshold column (step of +1 at 0.6), a binary column (+0.5), a noise column, a constant column. */
function table(n: number, seed: number, noise: number) {
  const random = createRandom(seed);
  const width = 4;
  const x = new Float32Array(n * width);
  const truth = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = random();
    const b = random() < 0.4 ? 1 : 0;
    x.set([a, b, random(), 7], i * width);
    truth[i] = (a > 0.6 ? 1 : 0) + 0.5 * b;
    y[i] = (truth[i] as number) + noise * (random() - 0.5) * 2;
  }
  return { x, y, truth, width, n };
}

/** Boosting stumps the plain way, row by row: the reference the histogram-space version must equal. */
function naiveStumps(x: Float32Array, width: number, edges: Float64Array[], y: Float64Array, rows: number[], trees: number, rate: number, minLeaf: number) {
  const m = rows.length;
  const mean = rows.reduce((s, i) => s + (y[i] as number), 0) / m;
  const score = new Map(rows.map((i) => [i, mean]));
  const out: { f: number; threshold: number; left: number; right: number }[] = [];
  for (let t = 0; t < trees; t++) {
    const g = rows.map((i) => (score.get(i) as number) - (y[i] as number));
    const G = g.reduce((s, v) => s + v, 0);
    let best: { gain: number; f: number; threshold: number; gl: number; hl: number } | null = null;
    for (let f = 0; f < width; f++) {
      for (const threshold of edges[f] ?? []) {
        let gl = 0;
        let hl = 0;
        rows.forEach((i, r) => {
          if ((x[i * width + f] as number) <= threshold) {
            gl += g[r] as number;
            hl += 1;
          }
        });
        if (hl < minLeaf || m - hl < minLeaf) continue;
        const gain = (gl * gl) / (hl + 1) + ((G - gl) * (G - gl)) / (m - hl + 1) - (G * G) / (m + 1);
        if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, f, threshold, gl, hl };
      }
    }
    if (!best) break;
    const left = (-best.gl / (best.hl + 1)) * rate;
    const right = (-(G - best.gl) / (m - best.hl + 1)) * rate;
    out.push({ f: best.f, threshold: best.threshold, left, right });
    // Once per row, however often the sample holds it.
    for (const i of new Set(rows)) score.set(i, (score.get(i) as number) + ((x[i * width + best.f] as number) <= best.threshold ? left : right));
  }
  return { mean, trees: out };
}

describe("boosted stumps", () => {
  it("equal boosting row by row, tree for tree (histogram space is only faster), also on a bootstrap sample", () => {
    const { x, y, width, n } = table(300, 3, 0.3);
    const rows = Array.from({ length: n }, (_, i) => i);
    const data = binData(x, n, width, rows, 16);
    const random = createRandom(9);
    for (const sample of [rows, rows.map(() => Math.floor(random() * n))]) {
      const [model] = fitStumps(data, [y], sample, [25], { learningRate: 0.1, minLeaf: 20 });
      const reference = naiveStumps(x, width, data.edges, y, sample, 25, 0.1, 20);
      expect(model?.base).toBeCloseTo(reference.mean, 10);
      expect(model?.trees).toHaveLength(reference.trees.length);
      model?.trees.forEach((tree, t) => {
        const r = reference.trees[t];
        expect(tree.feature[0]).toBe(r?.f);
        expect(tree.threshold[0]).toBeCloseTo(r?.threshold ?? Number.NaN, 10);
        expect(tree.value[1]).toBeCloseTo(r?.left ?? Number.NaN, 10);
        expect(tree.value[2]).toBeCloseTo(r?.right ?? Number.NaN, 10);
      });
    }
  });

  it("find a step and a binary effect, never split a constant column, and round-trip through their schema", () => {
    const { x, y, truth, width, n } = table(2000, 5, 0.5);
    const rows = Array.from({ length: n }, (_, i) => i);
    const data = binData(x, n, width, rows);
    const [model] = fitStumpsCv(data, [y], rows);
    if (!model) throw new Error("no model");
    expect(BoostedTreesSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(model.trees.every((t) => t.feature[0] !== 3)).toBe(true);
    let error = 0;
    for (let i = 0; i < n; i++) error += (boostedScore(model, x, width, i) - (truth[i] as number)) ** 2 / n;
    // The truth's variance is about 0.30; the fit recovers most of it from noise of variance 0.083.
    expect(Math.sqrt(error)).toBeLessThan(0.15);
  });

  it("keep next to nothing of a target that is pure noise (the number of trees by cross-validation)", () => {
    const { x, width, n } = table(2000, 7, 0);
    const random = createRandom(11);
    const noise = Float64Array.from({ length: n }, () => random() - 0.5);
    const rows = Array.from({ length: n }, (_, i) => i);
    const [model] = fitStumpsCv(binData(x, n, width, rows), [noise], rows);
    let spread = 0;
    for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(boostedScore(model ?? { loss: "squared", base: 0, trees: [] }, x, width, i) - (model?.base ?? 0)));
    expect(spread).toBeLessThan(0.05);
  });
});
