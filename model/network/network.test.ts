import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTinyTable } from "../../test/fixtures/tiny-table.js";
import { ensureBackend } from "../backend.js";
import { encodeTrainingTable } from "../bundle/train.js";
import { auc, expectedCalibrationError } from "../metrics/classification.js";
import { fitLinear, fitPlatt } from "./calibration.js";
import { disposeEnsemble, intervalMultiplier, loadEnsemble, predictEnsemble, trainEnsemble } from "./ensemble.js";
import { truthColumn } from "../reintegration.js";
import { batchSizeFor, forward, initialWeights, NetworkConfigSchema, paramsFromWeights, disposeParams } from "./tarnet.js";

beforeAll(async () => {
  await ensureBackend({ quiet: true });
});

const config = NetworkConfigSchema.parse({ hidden: [16, 16], headHidden: 8, maxEpochs: 2 });

describe("network", () => {
  it("gives outcome and propensity logits of shape n × arms", () => {
    const params = paramsFromWeights(initialWeights({ inputs: 7, arms: 3, config, seed: 1 }), { arms: 3, headHidden: 8, trainable: false });
    const before = tf.memory().numTensors;
    const shapes = tf.tidy(() => {
      const out = forward(params, tf.zeros([5, 7]));
      return [out.outcome.shape, out.propensity.shape];
    });
    expect(shapes).toEqual([[5, 3], [5, 3]]);
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });

  it("fits in 2 epochs, deterministically for a seed, without leaking tensors", () => {
    const tiny = makeTinyTable({ n: 600, seed: 11 });
    const { data } = encodeTrainingTable(tiny.schema, tiny.rows);
    const before = tf.memory().numTensors;
    const train = (seed: number) =>
      trainEnsemble({ data, arms: tiny.schema.treatment.arms, control: "regulier", outcomeType: "binary", config, members: 2, seed }).state;
    const a = train(5);
    const b = train(5);
    const c = train(6);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.members).toHaveLength(2);
    expect(a.members[0]?.epochs).toBeLessThanOrEqual(2);
    expect(Array.from(a.members[0]?.weights[0]?.values ?? [])).toEqual(Array.from(b.members[0]?.weights[0]?.values ?? []));
    expect(Array.from(a.members[0]?.weights[0]?.values ?? [])).not.toEqual(Array.from(c.members[0]?.weights[0]?.values ?? []));
    expect(a.members[0]?.seed).not.toBe(a.members[1]?.seed);

    const ensemble = loadEnsemble(a);
    const pred = predictEnsemble(ensemble, data.x.subarray(0, 10 * data.inputs), 10);
    disposeEnsemble(ensemble);
    expect(tf.memory().numTensors).toBe(before);
    const K = tiny.schema.treatment.arms.length;
    expect(pred.mean).toHaveLength(10 * K);
    const half = intervalMultiplier(2, config);
    for (let i = 0; i < 10 * K; i++) {
      const mean = pred.mean[i] ?? Number.NaN;
      expect(mean).toBeGreaterThan(0);
      expect(mean).toBeLessThan(1);
      expect(pred.lower[i]).toBeLessThanOrEqual((pred.upper[i] ?? 0) + 1e-7);
      expect(pred.lower[i]).toBeGreaterThanOrEqual(0);
      expect(pred.upper[i]).toBeLessThanOrEqual(1);
      // mean ± multiplier × the two members' standard deviation (|a − b| / √2), clipped to [0, 1].
      const r = Math.floor(i / K);
      const k = i % K;
      const oneMember = (m: 0 | 1) => {
        const e = loadEnsemble({ ...a, members: [a.members[m] as (typeof a.members)[number]] });
        const p = predictEnsemble(e, data.x.subarray(r * data.inputs, (r + 1) * data.inputs), 1).mean[k] ?? Number.NaN;
        disposeEnsemble(e);
        return p;
      };
      if (i < 3) {
        const sd = Math.abs(oneMember(0) - oneMember(1)) / Math.SQRT2;
        expect(pred.upper[i]).toBeCloseTo(Math.min(1, mean + half * sd), 5);
        expect(pred.lower[i]).toBeCloseTo(Math.max(0, mean - half * sd), 5);
      }
    }
    for (let r = 0; r < 10; r++) {
      const sum = Array.from(pred.propensity.subarray(r * K, (r + 1) * K)).reduce((s, v) => s + v, 0);
      expect(sum).toBeCloseTo(1, 4);
      expect(pred.gain[r * K]).toBeCloseTo(0, 6); // control arm
    }
  });

  it("widens the members' spread into an 80% interval: Student's t for few members, √c for the tempered bootstrap", () => {
    const weighted = NetworkConfigSchema.parse({ bootstrap: "weighted", bootstrapConcentration: 4 });
    expect(intervalMultiplier(5, weighted)).toBeCloseTo(1.533 * 2, 6);
    expect(intervalMultiplier(2, NetworkConfigSchema.parse({ bootstrap: "resample" }))).toBeCloseTo(3.078, 6);
    expect(intervalMultiplier(1, weighted)).toBe(0);
    // Beyond the table the normal quantile.
    expect(intervalMultiplier(50, NetworkConfigSchema.parse({ bootstrap: "none" }))).toBeCloseTo(1.2816, 4);
  });

  it("learns a continuous outcome on its own scale", () => {
    const tiny = makeTinyTable({ n: 600, seed: 12, outcome: "continuous" });
    const { data } = encodeTrainingTable(tiny.schema, tiny.rows);
    const { state } = trainEnsemble({
      data,
      arms: tiny.schema.treatment.arms,
      control: "regulier",
      outcomeType: "continuous",
      config: { ...config, maxEpochs: 3 },
      members: 1,
      seed: 1,
    });
    const ensemble = loadEnsemble(state);
    const pred = predictEnsemble(ensemble, data.x, tiny.rows.length);
    disposeEnsemble(ensemble);
    const mean = Array.from(pred.mean).reduce((s, v) => s + v, 0) / pred.mean.length;
    const observed = Array.from(data.outcome).reduce((s, v) => s + v, 0) / data.outcome.length;
    expect(Math.abs(mean - observed)).toBeLessThan(5);
  });
});

describe("batches on small tables", () => {
  it("keeps the configured batch on a large table and takes at least 16 steps an epoch on a small one with a continuous outcome", () => {
    expect(batchSizeFor({ batchSize: 512 }, 15_000, "continuous")).toBe(512);
    expect(batchSizeFor({ batchSize: 512 }, 480, "continuous")).toBe(32);
    expect(batchSizeFor({ batchSize: 512 }, 2400, "continuous")).toBe(150);
    expect(Math.ceil(2400 / batchSizeFor({ batchSize: 512 }, 2400, "continuous"))).toBeGreaterThanOrEqual(16);
    expect(batchSizeFor({ batchSize: 16 }, 480, "continuous")).toBe(16);
    expect(batchSizeFor({ batchSize: 512 }, 480, "binary")).toBe(512);
  });

  it("learns the spread of a small table's outcome in a few epochs instead of stopping near the mean", () => {
    const tiny = makeTinyTable({ n: 600, seed: 12, outcome: "continuous" });
    const { data } = encodeTrainingTable(tiny.schema, tiny.rows);
    const { state } = trainEnsemble({ data, arms: tiny.schema.treatment.arms, control: "regulier", outcomeType: "continuous", config: { ...config, maxEpochs: 3 }, members: 1, seed: 1 });
    const ensemble = loadEnsemble(state);
    const pred = predictEnsemble(ensemble, data.x, tiny.rows.length);
    disposeEnsemble(ensemble);
    const K = tiny.schema.treatment.arms.length;
    // Each client's own arm: the predicted against the true expected outcome.
    const truth = tiny.rows.map((row) => Number(row[truthColumn(String(row.interventie))]));
    const predicted = tiny.rows.map((_, i) => pred.mean[i * K + (data.treatment[i] ?? 0)] ?? 0);
    const sd = (v: number[]) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
    };
    expect(sd(predicted) / sd(truth)).toBeGreaterThan(0.5);
  });
});

describe("calibration", () => {
  it("Platt scaling recovers a known miscalibration and lowers ECE", () => {
    const z: number[] = [];
    const y: number[] = [];
    let s = 1;
    const rand = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647;
    };
    for (let i = 0; i < 4000; i++) {
      const logit = rand() * 6 - 3;
      z.push(logit);
      y.push(rand() < 1 / (1 + Math.exp(-(0.5 * logit - 0.7))) ? 1 : 0);
    }
    const cal = fitPlatt(z, y, 0);
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-0.7, 1);
    const raw = z.map((v) => 1 / (1 + Math.exp(-v)));
    const fixed = z.map((v) => 1 / (1 + Math.exp(-(cal.a * v + cal.b))));
    expect(expectedCalibrationError(fixed, y)).toBeLessThan(0.03);
    expect(expectedCalibrationError(fixed, y)).toBeLessThan(expectedCalibrationError(raw, y) ?? 0);
  });

  it("linear recalibration and AUC on hand-checked inputs", () => {
    const cal = fitLinear([1, 2, 3, 4], [3, 5, 7, 9], 0);
    expect(cal.a).toBeCloseTo(2, 6);
    expect(cal.b).toBeCloseTo(1, 6);
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 6);
    expect(auc([0.1, 0.2], [1, 1])).toBeNull();
  });
});
