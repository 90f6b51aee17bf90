import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyTable } from "../../test/fixtures/tiny-table.js";
import { ensureBackend } from "../backend.js";
import { chooseLearner } from "../bundle/choose-learner.js";
import { encodeTrainingTable } from "../bundle/train.js";
import { disposeEnsemble, loadEnsemble, predictEnsemble, trainEnsemble, trainEnsembleInPool } from "../network/ensemble.js";
import { NetworkConfigSchema } from "../network/tarnet.js";
import { createTrainingPool, type TrainingPool } from "./pool.js";
import { MIN_ROWS_FOR_THREADS, trainingThreads } from "./threads.js";

const config = NetworkConfigSchema.parse({ hidden: [16, 16], headHidden: 8, maxEpochs: 2 });
const tiny = makeTinyTable({ n: 300, seed: 11 });
const { data, encoder } = encodeTrainingTable(tiny.schema, tiny.rows);
const arms = tiny.schema.treatment.arms;
const common = { data, arms, control: "regulier", outcomeType: "binary" as const, config, members: 2, seed: 5 };

let pool: TrainingPool;
beforeAll(async () => {
  await ensureBackend({ quiet: true });
  pool = await createTrainingPool({ threads: 2 });
});
afterAll(async () => {
  await pool.close();
});

function predict(state: ReturnType<typeof trainEnsemble>["state"]): Float32Array {
  const ensemble = loadEnsemble(state);
  try {
    return predictEnsemble(ensemble, data.x, tiny.rows.length).mean;
  } finally {
    disposeEnsemble(ensemble);
  }
}

describe("training on worker threads", () => {
  it("gives the same ensemble as this thread: same members in the same order, same predictions", async () => {
    const progress: string[] = [];
    const threaded = await trainEnsembleInPool({ ...common, pool, onProgress: (p) => progress.push(`${p.member}/${p.epoch}`) });
    const here = trainEnsemble(common);
    expect(threaded.state.members.map((m) => m.seed)).toEqual(here.state.members.map((m) => m.seed));
    const a = predict(threaded.state);
    const b = predict(here.state);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    expect(worst).toBeLessThan(1e-6);
    // Every member reports its epochs, from whichever thread fitted it.
    expect(new Set(progress)).toEqual(new Set(["1/1", "1/2", "2/1", "2/2"]));
  });

  it("runs the learners' held-out fits there too, with the same numbers", async () => {
    const fit = Int32Array.from({ length: 200 }, (_, i) => i);
    const held = Int32Array.from({ length: 100 }, (_, i) => 200 + i);
    const job = { kind: "learner-held-out" as const, learners: ["t-linear" as const, "dr" as const], data, encoder, arms, control: "regulier", outcomeType: "binary" as const, seed: 3, fit, held };
    const [threaded, here] = await Promise.all([pool.run(job), (await createTrainingPool({ threads: 1 })).run(job)]);
    expect(threaded.map((f) => Array.from(f.values))).toEqual(here.map((f) => Array.from(f.values)));
    expect(threaded.map((f) => f.values.length)).toEqual([100 * arms.length, 100 * arms.length]);
  });

  it("chooses the same learner with the same validation when the folds' fits run there", async () => {
    const context = { data, encoder, arms, control: "regulier", outcomeType: "binary" as const, network: config, seed: 2, validationShare: 0.2 };
    const choose = (p: TrainingPool) => chooseLearner({ learner: "auto", candidates: ["network", "t-linear"] }, { ...context, pool: p });
    const [threadedChoice, hereChoice] = await Promise.all([choose(pool), createTrainingPool({ threads: 1 }).then(choose)]);
    const [threaded, here] = [threadedChoice.file, hereChoice.file];
    const withoutTime = (file: typeof here) => JSON.stringify(file, (key, value: unknown) => (key === "seconds" ? 0 : value));
    expect(withoutTime(threaded)).toBe(withoutTime(here));
    expect(Array.from(threadedChoice.outOfFold ?? [])).toEqual(Array.from(hereChoice.outOfFold ?? []));
    expect(threadedChoice.outOfFold?.length).toBe(data.treatment.length * arms.length);
    // Both candidates, and their stack unless its weights put everything on one of them.
    const kinds = threaded.validation?.candidates.map((c) => c.kind) ?? [];
    expect(kinds.slice(0, 2)).toEqual(["network", "t-linear"]);
    expect(kinds.slice(2)).toEqual(kinds.length > 2 ? ["stack"] : []);
  });

  it("fails a job that throws with the job's error, and keeps the threads working", async () => {
    // One arm only: refused by the job's schema in the thread, reported here.
    const bad = { kind: "learner-held-out" as const, learners: ["t-linear" as const], data, encoder, arms: ["regulier"], control: "regulier", outcomeType: "binary" as const, seed: 3, fit: new Int32Array(0), held: new Int32Array(0) };
    await expect(pool.run(bad)).rejects.toThrow(/arms/);
    const member = await trainEnsembleInPool({ ...common, members: 1, pool });
    expect(member.state.members).toHaveLength(1);
  });

  it("fails every job with a clear message when a thread crashes, instead of hanging", async () => {
    const file = join(tmpdir(), `tw-crashing-worker-${process.pid}.ts`);
    await writeFile(file, 'throw new SyntaxError("the training thread could not start");\n');
    const broken = await createTrainingPool({ threads: 2, workerFile: file });
    try {
      await expect(trainEnsembleInPool({ ...common, pool: broken })).rejects.toThrow(/training thread failed: the training thread could not start/);
      await expect(broken.run({ kind: "network-member", data, arms: arms.length, outcomeType: "binary", trainRows: new Int32Array(2), validationRows: new Int32Array(2), config, seed: 1 })).rejects.toThrow(
        /could not start/,
      );
    } finally {
      await broken.close();
    }
  });

  it("refuses work once closed", async () => {
    const own = await createTrainingPool({ threads: 2 });
    await own.close();
    await expect(trainEnsembleInPool({ ...common, pool: own })).rejects.toThrow(/closed/);
  });

  it("takes its size from TRAIN_THREADS, else the cores (this thread alone for a small table)", () => {
    expect(trainingThreads({ rows: 50_000, env: { TRAIN_THREADS: "3" } })).toBe(3);
    expect(trainingThreads({ rows: 100, env: { TRAIN_THREADS: "2" } })).toBe(2);
    expect(trainingThreads({ rows: MIN_ROWS_FOR_THREADS - 1, env: {} })).toBe(1);
    expect(trainingThreads({ rows: 50_000, env: {} })).toBeGreaterThanOrEqual(1);
    expect(() => trainingThreads({ rows: 50_000, env: { TRAIN_THREADS: "two" } })).toThrow(/TRAIN_THREADS/);
  });
});
