import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { disposeBundle, loadBundle } from "../bundle/bundle.js";
import { ModelCardSchema } from "../bundle/model-card.js";
import { trainBundle } from "../bundle/train.js";
import { fitBaseline, predictBaseline } from "../baseline/t-learner.js";
import { encodeTrainingTable } from "../bundle/train.js";
import { encodeRows } from "../table/encoder.js";
import { HOURS_SCHEMA as schema, hoursRows, writeHoursTable } from "../../test/fixtures/hours-table.js";
import { fitLinearLearner, LinearLearnerStateSchema, linearGradient, linearLearner, linearMemberValue, LOG_LINK_CAP } from "./linear.js";

describe("t-linear on a multiplicative continuous outcome", () => {
  const { rows, gains } = hoursRows(900, 11);
  const { encoder, data } = encodeTrainingTable(schema, rows);
  const common = { arms: ["ctrl", "coach"], control: "ctrl", outcomeType: "continuous" as const, encoder };
  const state = fitLinearLearner(data, { ...common, kind: "t-linear", members: 3 });
  const x = encodeRows(encoder, rows);
  const estimate = linearMemberValue(state, x, rows.length, 0);
  const rmse = (gain: (i: number) => number) => Math.sqrt(gains.reduce((s, g, i) => s + (gain(i) - g) ** 2, 0) / gains.length);

  it("fits the control arm log-linear, as cross-validation prefers, and the state survives JSON", () => {
    expect(state.links?.[0]?.link).toBe("log");
    expect(LinearLearnerStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
  });

  it("estimates the gains far closer to the truth than the ridge T-learner", () => {
    const ridge = predictBaseline(fitBaseline(rows, schema), rows).expected;
    const ours = rmse((i) => (estimate[i * 2 + 1] ?? 0) - (estimate[i * 2] ?? 0));
    const theirs = rmse((i) => (ridge[i]?.[1] ?? 0) - (ridge[i]?.[0] ?? 0));
    expect(ours).toBeLessThan(0.5);
    expect(ours).toBeLessThan(theirs / 5);
  });

  it("caps a log-linear arm's expected outcome far outside the arm's rows", () => {
    const far = encodeRows(encoder, [{ months: "900", debts: "0" }]);
    const cap = state.links?.[0]?.link === "log" ? state.links[0].cap : Number.NaN;
    const largest = Math.max(...rows.filter((r) => r.arm === "ctrl").map((r) => Math.abs(Number(r.y))));
    expect(cap).toBeCloseTo(LOG_LINK_CAP * largest, 3);
    expect(linearMemberValue(state, far, 1, 0)[0]).toBe(cap);
    expect(linearLearner(state, encoder).predict(far, 1).mean[0]).toBeLessThanOrEqual(cap + 1e-3);
  });

  it("has the input gradient of its expected outcomes (central differences) on both links", () => {
    const probe = encodeRows(encoder, [{ months: "30", debts: "1" }, { months: "70", debts: "0" }]);
    const D = encoder.width;
    const h = 1e-4;
    const gradient = linearGradient(state, probe, 2, 0);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < D; j++) {
        const moved = (by: number) => {
          const row = Float64Array.from(probe.subarray(i * D, (i + 1) * D));
          row[j] = (row[j] ?? 0) + by;
          return linearMemberValue(state, row, 1, 0);
        };
        const [up, down] = [moved(h), moved(-h)];
        for (let k = 0; k < 2; k++) {
          const expected = ((up[k] ?? 0) - (down[k] ?? 0)) / (2 * h);
          expect(gradient[(i * 2 + k) * D + j] ?? 0).toBeCloseTo(expected, 2);
        }
      }
    }
    // The months move the log-linear control arm's expected hours, by more the longer out of work.
    const slope = (i: number) => gradient[(i * 2) * D + (encoder.features.find((f) => f.name === "months")?.column ?? -1)] ?? 0;
    expect(slope(1)).toBeGreaterThan(slope(0));
  });

  it("keeps ridge on an arm whose mean outcome is not positive", () => {
    const negative = rows.map((r) => ({ ...r, y: String(-Math.abs(Number(r.y)) - 1) }));
    const { data: flipped } = encodeTrainingTable(schema, negative);
    expect(fitLinearLearner(flipped, { ...common, kind: "t-linear", members: 1 }).links).toBeUndefined();
  });
});

describe("a bundle trained on a multiplicative continuous outcome", () => {
  it("names the log-linear arm in its model card and predicts the gains with it", async () => {
    const files = await writeHoursTable({ n: 900, seed: 11 });
    try {
      const out = await trainBundle({
        table: files.table,
        schema: files.schema,
        outDir: join(files.root, "bundle"),
        seed: 3,
        members: 2,
        maxEpochs: 2,
        config: { hidden: [16, 16], headHidden: 8 },
        learner: "t-linear",
        baseline: false,
      });
      const card = ModelCardSchema.parse(JSON.parse(await readFile(join(out.dir, "model-card.json"), "utf8")));
      // The coaching arm's straight line may go either way (a gentle exponential fits it as well); the control arm's curve may not.
      expect(card.model.logLinearArms).toContain("ctrl");
      expect(await readFile(join(out.dir, "model-card.md"), "utf8")).toMatch(/^- fitted log-linear \(multiplicative\), as cross-validation on the arm's rows preferred: `ctrl`/m);
      const bundle = await loadBundle(out.dir);
      try {
        const { rows, gains } = hoursRows(200, 12);
        const p = bundle.learner.predict(encodeRows(bundle.encoder, rows), rows.length);
        const rmse = Math.sqrt(gains.reduce((s, g, i) => s + ((p.gain[i * 2 + 1] ?? 0) - g) ** 2, 0) / gains.length);
        expect(rmse).toBeLessThan(1);
      } finally {
        disposeBundle(bundle);
      }
    } finally {
      await rm(files.root, { recursive: true, force: true });
    }
  }, 240_000);
});

