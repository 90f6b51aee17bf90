import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTinyTable } from "../../test/fixtures/tiny-table.js";
import { ensureBackend } from "../backend.js";
import { encodeTrainingTable } from "../bundle/train.js";
import { disposeEnsemble, ensembleTensors, loadEnsemble, trainEnsemble } from "./ensemble.js";
import { summedInputGradients } from "./input-gradients.js";
import { NetworkConfigSchema } from "./tarnet.js";

beforeAll(async () => {
  await ensureBackend({ quiet: true });
});

/** The same quantity by tfjs autodiff: one backward pass per arm. */
function autodiffGradients(ensemble: ReturnType<typeof loadEnsemble>, points: tf.Tensor3D): tf.Tensor2D {
  const [M, S, D] = points.shape;
  const K = ensemble.arms.length;
  const rows = tf.reshape(points, [M * S, D]) as tf.Tensor2D;
  const perArm = ensemble.arms.map((_, k) =>
    tf.sum(
      tf.grad((input: tf.Tensor) => {
        const { values } = ensembleTensors(ensemble, input as tf.Tensor2D, { perMember: true }); // M × S × K
        return tf.sum(tf.slice(values, [0, 0, k], [M, S, 1]));
      })(rows),
      0,
    ),
  );
  return tf.reshape(tf.stack(perArm), [K, D]) as tf.Tensor2D;
}

describe("hand-written input gradients", () => {
  const cases = [
    { outcome: "binary" as const, baseHead: true, hidden: [16, 12] },
    { outcome: "binary" as const, baseHead: false, hidden: [16] },
    { outcome: "continuous" as const, baseHead: true, hidden: [16, 12, 8] },
  ];
  for (const c of cases) {
    it(`equal tfjs autodiff (${c.outcome}, base head ${c.baseHead}, ${c.hidden.length} layers)`, () => {
      const tiny = makeTinyTable({ n: 400, seed: 21, outcome: c.outcome });
      const { data } = encodeTrainingTable(tiny.schema, tiny.rows);
      const config = NetworkConfigSchema.parse({ hidden: c.hidden, headHidden: 6, maxEpochs: 2, baseHead: c.baseHead });
      const { state } = trainEnsemble({ data, arms: tiny.schema.treatment.arms, control: "regulier", outcomeType: c.outcome, config, members: 2, seed: 3 });
      // A visible calibration, so that the chain through it is checked too.
      const arms = Object.fromEntries(state.arms.map((arm, k) => [arm, { a: 0.8 + 0.05 * k, b: 0.1 * k - 0.2, rows: 10 }]));
      const ensemble = loadEnsemble({ ...state, calibration: { ...state.calibration, arms } });
      const before = tf.memory().numTensors;
      const [fast, reference] = tf.tidy(() => {
        const points = tf.tensor3d(data.x.subarray(0, 2 * 10 * data.inputs), [2, 10, data.inputs]);
        const [K, D] = [ensemble.arms.length, data.inputs];
        // Two groups of 5 points each, summed per group, add up to the sum over all 10 points.
        expect(() => summedInputGradients(ensemble, points, 3)).toThrow(RangeError);
        const perGroup = summedInputGradients(ensemble, points, 2);
        expect(perGroup.shape).toEqual([K, 2, D]);
        const all = tf.reshape(summedInputGradients(ensemble, points), [K, D]);
        expect(tf.max(tf.abs(tf.sub(tf.sum(perGroup, 1), all))).dataSync()[0]).toBeLessThan(1e-5);
        return [all.arraySync() as number[][], autodiffGradients(ensemble, points).arraySync()];
      });
      expect(tf.memory().numTensors).toBe(before);
      disposeEnsemble(ensemble);
      const scale = Math.max(...(reference ?? []).flat().map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      (reference ?? []).forEach((row, k) => {
        row.forEach((v, d) => {
          expect(Math.abs((fast?.[k]?.[d] ?? Number.NaN) - v)).toBeLessThan(1e-4 * scale);
        });
      });
    });
  }
});
