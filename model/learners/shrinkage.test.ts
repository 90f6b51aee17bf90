import { describe, expect, it } from "vitest";
import { encodeTrainingTable } from "../bundle/train.js";
import { createRandom } from "../random.js";
import { encodeRows } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { fitLinearLearner, linearLearner } from "./linear.js";
import { selectLearner, ValidationSchema } from "./select.js";
import { type ArmShrinkage, armShrinkage, MIN_SHRINK_ARMS, shrunkLearner } from "./shrinkage.js";

const ARMS = ["ctrl", "a", "b", "c", "d"];

/** Pseudo-outcomes (n × 5) with the given true average gains, row noise `sd`, and noise `controlSd` shared by every gain of a row. */
function pseudo(n: number, gains: number[], sd: number, controlSd: number, seed = 3): Float64Array {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const out = new Float64Array(n * ARMS.length);
  for (let i = 0; i < n; i++) {
    const control = 0.3 + controlSd * normal();
    out[i * ARMS.length] = control;
    for (let k = 1; k < ARMS.length; k++) out[i * ARMS.length + k] = 0.3 + (gains[k - 1] ?? 0) + sd * normal();
  }
  return out;
}

describe("empirical-Bayes shrinkage of the arms' average gains", () => {
  it("pulls arms the data cannot tell apart to their common mean", () => {
    // Four arms with the same true gain: what separates their averages is noise alone.
    const s = armShrinkage({ gamma: pseudo(2000, [0.1, 0.1, 0.1, 0.1], 1, 0), arms: ARMS, control: "ctrl" }) as ArmShrinkage;
    expect(s.arms.map((a) => a.arm)).toEqual(["a", "b", "c", "d"]);
    for (const a of s.arms) {
      expect(a.shrink).toBeGreaterThan(0.6);
      // The shrunk average lies between the arm's own average and the common mean.
      const shrunk = a.averageGain + a.offset;
      expect(Math.abs(shrunk - s.commonGain)).toBeLessThanOrEqual(Math.abs(a.averageGain - s.commonGain) + 1e-12);
    }
    expect(s.commonGain).toBeCloseTo(0.1, 1);
  });

  it("leaves clearly different arms almost alone, and does not count the control arm's noise shared by every gain", () => {
    const gains = [-0.3, 0, 0.3, 0.6];
    const quiet = armShrinkage({ gamma: pseudo(4000, gains, 0.5, 0), arms: ARMS, control: "ctrl" }) as ArmShrinkage;
    // The control arm's noise moves every gain of a row alike: it widens each average's standard
    // error, but not the spread between the arms, so the shrinkage stays the same.
    const noisyControl = armShrinkage({ gamma: pseudo(4000, gains, 0.5, 3), arms: ARMS, control: "ctrl" }) as ArmShrinkage;
    for (const s of [quiet, noisyControl]) {
      expect(s.spread).toBeGreaterThan(0.3);
      for (const a of s.arms) expect(a.shrink).toBeLessThan(0.01);
    }
    quiet.arms.forEach((a, j) => {
      const b = noisyControl.arms[j] as ArmShrinkage["arms"][number];
      expect(b.standardError).toBeGreaterThan(3 * a.standardError);
      expect(b.shrink).toBeCloseTo(a.shrink, 3);
    });
    expect(quiet.arms.map((a) => a.averageGain + a.offset)).toEqual(quiet.arms.map((a) => expect.closeTo(a.averageGain, 2)));
  });

  it("shrinks the learner's own deviations by B: a learner that already shrinks is moved less, and never out again", () => {
    const gamma = pseudo(1500, [0.05, 0.1, 0.15, 0.2], 1, 0.5);
    const own = armShrinkage({ gamma, arms: ARMS, control: "ctrl" }) as ArmShrinkage;
    // A learner whose averages are the pseudo-outcomes': the shift takes B of each deviation away,
    // centred so the shifts sum to zero (the arms' common level stays).
    const taken = own.arms.map((a) => a.shrink * (a.averageGain - own.commonGain));
    const takenMean = taken.reduce((s, v) => s + v, 0) / taken.length;
    own.arms.forEach((a, j) => {
      expect(a.offset).toBeCloseTo(takenMean - (taken[j] ?? 0), 10);
    });
    expect(own.arms.reduce((s, a) => s + a.offset, 0)).toBeCloseTo(0, 10);
    // A learner (constant gains per arm, control at 0.3) with half those deviations is moved half as far.
    const n = 1500;
    const at = (gains: number[]) => Float64Array.from({ length: n * ARMS.length }, (_, o) => 0.3 + (o % ARMS.length === 0 ? 0 : (gains[(o % ARMS.length) - 1] ?? 0)));
    const half = armShrinkage({ gamma, arms: ARMS, control: "ctrl", predicted: at(own.arms.map((a) => 0.1 + (a.averageGain - own.commonGain) / 2)) }) as ArmShrinkage;
    half.arms.forEach((a, j) => {
      expect(a.shrink).toBe(own.arms[j]?.shrink);
      expect(a.offset).toBeCloseTo((own.arms[j]?.offset ?? 0) / 2, 10);
    });
    // One whose gains of every arm are alike is not moved at all.
    const flat = armShrinkage({ gamma, arms: ARMS, control: "ctrl", predicted: at([0.1, 0.1, 0.1, 0.1]) }) as ArmShrinkage;
    for (const a of flat.arms) {
      expect(a.learnerGain).toBeCloseTo(0.1, 10);
      expect(a.offset).toBeCloseTo(0, 10);
    }
  });

  it(`needs at least ${MIN_SHRINK_ARMS} arms beside the control arm`, () => {
    const gamma = pseudo(500, [0.1, 0.2, 0.3, 0.4], 1, 0);
    const three = Float64Array.from({ length: 500 * 3 }, (_, o) => gamma[Math.floor(o / 3) * 5 + (o % 3)] ?? 0);
    expect(armShrinkage({ gamma: three, arms: ["ctrl", "a", "b"], control: "ctrl" })).toBeNull();
  });
});

const toySchema = (type: "binary" | "continuous"): TableSchema => ({
  name: "toy5",
  id: "id",
  treatment: { column: "arm", arms: ARMS, control: "ctrl" },
  outcome: { column: "y", type },
  features: [
    { name: "debts", type: "binary" },
    { name: "months", type: "numeric" },
  ],
});

/** Five arms, each helping a little and some clients more; assignment depends on debts. */
function toyRows(n: number, type: "binary" | "continuous", seed = 7): Row[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const debts = random() < 0.4 ? 1 : 0;
    const months = Math.floor(random() * 96);
    const k = Math.min(4, Math.floor(random() * (debts ? 4 : 5)));
    const mu = 0.3 - 0.1 * debts + (k === 0 ? 0 : 0.05 * k + (k === 3 && months >= 48 ? 0.15 : 0));
    const y = type === "continuous" ? 40 * mu + 5 * (random() - 0.5) : random() < mu ? 1 : 0;
    return { id: String(i), debts: String(debts), months: String(months), arm: ARMS[k] as string, y: String(y) };
  });
}

describe("the shrunk learner", () => {
  for (const type of ["continuous", "binary"] as const) {
    it(`moves every client's expected outcome and gain under an arm by its offset (${type}); the control arm and the explanations' attributions stay`, () => {
      const schema = toySchema(type);
      const rows = toyRows(1200, type);
      const { encoder, data } = encodeTrainingTable(schema, rows);
      const state = fitLinearLearner(data, { kind: "t-linear", arms: ARMS, control: "ctrl", outcomeType: type, encoder, members: 3 });
      const plain = linearLearner(state, encoder);
      const offsets = [0.04, -0.03, 0, 0.02];
      const shrinkage: ArmShrinkage = {
        spread: 0.05,
        commonGain: 0.1,
        arms: ARMS.slice(1).map((arm, j) => ({ arm, averageGain: 0.1, standardError: 0.01, shrink: 0.3, learnerGain: 0.1, offset: offsets[j] ?? 0 })),
      };
      const shrunk = shrunkLearner(plain, shrinkage);
      const x = encodeRows(encoder, rows.slice(0, 50));
      const before = plain.predict(x, 50);
      const after = shrunk.predict(x, 50);
      const K = ARMS.length;
      const clip = (v: number) => (type === "binary" ? Math.min(1, Math.max(0, v)) : v);
      for (let i = 0; i < 50; i++) {
        for (let k = 0; k < K; k++) {
          const o = i * K + k;
          const offset = k === 0 ? 0 : (offsets[k - 1] ?? 0);
          expect(after.mean[o]).toBeCloseTo(clip((before.mean[o] ?? 0) + offset), 5);
          expect(after.lower[o]).toBeCloseTo(clip((before.lower[o] ?? 0) + offset), 5);
          expect(after.gain[o]).toBeCloseTo((before.gain[o] ?? 0) + offset, 5);
          expect(after.gainUpper[o]).toBeCloseTo((before.gainUpper[o] ?? 0) + offset, 5);
          expect(after.propensity[o]).toBe(before.propensity[o]);
        }
      }
      const [a] = plain.attribute(x.subarray(0, encoder.width), 1);
      const [b] = shrunk.attribute(x.subarray(0, encoder.width), 1);
      expect(b?.chance).toEqual(a?.chance);
      expect(b?.gain).toEqual(a?.gain);
      ARMS.forEach((arm, k) => {
        expect(b?.baselineExpected[arm]).toBeCloseTo((a?.baselineExpected[arm] ?? 0) + (k === 0 ? 0 : (offsets[k - 1] ?? 0)), 10);
      });
    });
  }
});

describe("the validation's shrinkage", () => {
  it("is computed from the cross-fitted pseudo-outcomes, and the advice check rests on the shrunk first choices", async () => {
    const schema = toySchema("binary");
    const { encoder, data } = encodeTrainingTable(schema, toyRows(2500, "binary"));
    const v = await selectLearner({ data, encoder, arms: ARMS, control: "ctrl", outcomeType: "binary", candidates: ["t-linear", "s-linear"], folds: 3 });
    expect(ValidationSchema.parse(v)).toEqual(v);
    const s = v.shrinkage as ArmShrinkage;
    expect(s.arms.map((a) => a.arm)).toEqual(["a", "b", "c", "d"]);
    for (const a of s.arms) {
      expect(a.shrink).toBeGreaterThanOrEqual(0);
      expect(a.shrink).toBeLessThanOrEqual(1);
      expect(a.standardError).toBeGreaterThan(0);
    }
    // The true average gains rise from arm a to d; the AIPW averages see that.
    expect((s.arms[3]?.averageGain ?? 0) - (s.arms[0]?.averageGain ?? 0)).toBeGreaterThan(0.1);
    const g = v.adviceGain;
    expect(g).toBeDefined();
    expect(v.advise).toBe((g?.lower ?? 0) > 0);
    expect(v.adviceReason).toContain("shrunk");
  });
});
