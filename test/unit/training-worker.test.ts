import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../model/bundle/bundle";
import { makeTinyTable } from "../fixtures/tiny-table";
import { useTestDatabase } from "../setup/test-db";

/** The real worker process, started by the real launcher, against a migrated SQLite database. */
let training: typeof import("~/utils/registry/training.server");
let runs: typeof import("~/models/training-run.server");
let versions: typeof import("~/models/model-version.server");
let userId: string;
let modelDir: string;
let dataDir: string;

async function waitForEnd(id: string, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.getTrainingRun({ id });
    if (run && !["queued", "running"].includes(run.status)) return run;
    if (Date.now() > until) throw new Error(`run ${id} still ${run?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  await useTestDatabase();
  modelDir = await mkdtemp(path.join(tmpdir(), "tw-train-models-"));
  dataDir = await mkdtemp(path.join(tmpdir(), "tw-train-data-"));
  process.env.MODEL_DIR = modelDir;
  process.env.DATA_DIR = dataDir;
  // Large enough that every count in the bundle covers 10 people after the hold-out split.
  const tiny = makeTinyTable({ n: 3000, seed: 3 });
  await mkdir(path.join(dataDir, "linked"), { recursive: true });
  await writeFile(path.join(dataDir, "linked", "analysis.csv"), tiny.csv);
  await writeFile(path.join(dataDir, "linked", "schema.json"), JSON.stringify(tiny.schema));
  // A table that does not match its schema: the outcome column is missing.
  await mkdir(path.join(dataDir, "linked-broken"), { recursive: true });
  await writeFile(path.join(dataDir, "linked-broken", "analysis.csv"), "a,b\n1,2\n");
  await writeFile(path.join(dataDir, "linked-broken", "schema.json"), JSON.stringify(tiny.schema));
  const db = (await import("~/utils/db.server")).getDb();
  userId = (await db.user.create({ data: { username: "ds", displayName: "DS", role: "datascientist", passwordHash: "x" } })).id;
  training = await import("~/utils/registry/training.server");
  runs = await import("~/models/training-run.server");
  versions = await import("~/models/model-version.server");
});

describe("retraining worker", () => {
  it("lists linked tables that hold analysis.csv and schema.json", async () => {
    const registry = await import("~/utils/registry/model-registry.server");
    expect(await registry.listLinkedTables()).toEqual(["linked", "linked-broken"]);
    expect(await registry.linkedTablePaths("../etc")).toBeNull();
  });

  it("trains in a separate process, reports progress and lands a candidate with the table's hash", async () => {
    const { runId } = await training.startTraining({ tableName: "linked", settings: { seed: 1, members: 1, maxEpochs: 2 }, userId });
    const run = await waitForEnd(runId);
    expect({ status: run.status, error: run.error }).toEqual({ status: "succeeded", error: null });
    // The candidate carries a passing disclosure report (the worker trains on part of the table and checks against the rest).
    expect((await versions.getModelVersion({ id: run.modelVersionId ?? "" }))?.disclosureStatus).toBe("passed");
    expect(run.error).toBeNull();
    expect(runs.parseProgress(run.progressJson).phase).toBe("done");
    const version = await versions.getModelVersion({ id: run.modelVersionId ?? "" });
    expect(version?.status).toBe("candidate");
    // The hash of the part it was trained on: a held-out part of the table never entered training.
    expect(version?.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(version?.dataHash).not.toBe(sha256(await readFile(path.join(dataDir, "linked", "analysis.csv"))));
    expect(version?.dir).toBe(path.join(modelDir, run.modelVersionId ?? ""));
    // No temporary directory is left behind.
    expect((await readdir(modelDir)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("a failing run ends failed with a plain reason, no server path", async () => {
    const { runId } = await training.startTraining({ tableName: "linked-broken", settings: { seed: 1, members: 1, maxEpochs: 1 }, userId });
    const run = await waitForEnd(runId);
    expect(run.status).toBe("failed");
    expect(run.error).toBeTruthy();
    expect(run.error).not.toContain(dataDir);
    expect(run.error).not.toMatch(/\n\s+at /);
    expect((await readdir(modelDir)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("cancel stops the worker process, keeps the run cancelled and leaves no temporary files", async () => {
    const { runId } = await training.startTraining({ tableName: "linked", settings: { seed: 1, members: 10, maxEpochs: 500 }, userId });
    const until = Date.now() + 60_000;
    let pid: number | null = null;
    for (;;) {
      const run = await runs.getTrainingRun({ id: runId });
      pid = run?.pid ?? null;
      if (run?.status === "running" && runs.parseProgress(run.progressJson).phase === "training") break;
      if (Date.now() > until) throw new Error("the run never started training");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(pid).not.toBeNull();
    expect(await training.cancelTraining({ runId })).toBe(true);
    const stopped = Date.now() + 10_000;
    while (pid !== null && runs.processAlive(pid) && Date.now() < stopped) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pid !== null && runs.processAlive(pid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const run = await runs.getTrainingRun({ id: runId });
    expect(run?.status).toBe("cancelled");
    expect(run?.modelVersionId).toBeNull();
    expect((await readdir(modelDir)).filter((name) => name.startsWith("."))).toEqual([]);
    expect(await training.cancelTraining({ runId })).toBe(false);
  });
});
