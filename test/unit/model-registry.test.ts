import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyBundle, writeBundleFile } from "../../model/index";
import { makeTinyBundle } from "../fixtures/tiny-bundle";
import { useTestDatabase } from "../setup/test-db";

let versions: typeof import("~/models/model-version.server");
let runs: typeof import("~/models/training-run.server");
let registry: typeof import("~/utils/registry/model-registry.server");
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let userId: string;
let modelDir: string;

beforeAll(async () => {
  await useTestDatabase();
  modelDir = await mkdtemp(path.join(tmpdir(), "tw-models-"));
  process.env.MODEL_DIR = modelDir;
  db = (await import("~/utils/db.server")).getDb();
  versions = await import("~/models/model-version.server");
  runs = await import("~/models/training-run.server");
  registry = await import("~/utils/registry/model-registry.server");
  userId = (await db.user.create({ data: { username: "ds1", displayName: "DS", role: "datascientist", passwordHash: "x" } })).id;
});

const candidate = (id: string) =>
  versions.createModelVersion({ id, dir: `/nowhere/${id}`, dataHash: null, metricsJson: "{}", disclosureStatus: "unchecked", createdById: userId });
const statusOf = async (id: string) => (await versions.getModelVersion({ id }))?.status;

describe("model registry transitions (real migrated SQLite)", () => {
  it("promotes a candidate and retires the active model; rolls back to the previous one", async () => {
    await candidate("v1");
    expect(await versions.promoteModelVersion({ id: "v1" })).toEqual({ ok: true, activated: "v1", retired: null });
    expect(await statusOf("v1")).toBe("active");
    expect(await versions.rollbackModelVersion()).toEqual({ ok: false, reason: "no_previous" });

    await candidate("v2");
    expect(await versions.promoteModelVersion({ id: "v2" })).toEqual({ ok: true, activated: "v2", retired: "v1" });
    expect(await statusOf("v1")).toBe("retired");
    expect(await statusOf("v2")).toBe("active");
    expect((await versions.getActiveModelVersion())?.id).toBe("v2");
    expect((await versions.getRollbackTarget())?.id).toBe("v1");

    expect(await versions.rollbackModelVersion()).toEqual({ ok: true, activated: "v1", retired: "v2" });
    expect(await statusOf("v1")).toBe("active");
    expect(await statusOf("v2")).toBe("retired");
    expect(await db.modelVersion.count({ where: { status: "active" } })).toBe(1);
  });

  it("promotes only candidates", async () => {
    expect(await versions.promoteModelVersion({ id: "v2" })).toEqual({ ok: false, reason: "not_candidate" });
    expect(await versions.promoteModelVersion({ id: "missing" })).toEqual({ ok: false, reason: "not_found" });
  });

  it("leaves stored recommendations' model version alone", async () => {
    const client = await db.client.create({
      data: { referenceHash: "h1", code: "TW-1", caseworkerId: userId, profileJson: "{}" },
      select: { id: true },
    });
    await db.recommendation.create({ data: { clientId: client.id, modelVersion: "v1", resultJson: "{}" } });
    await candidate("v3");
    await versions.promoteModelVersion({ id: "v3" });
    await versions.rollbackModelVersion();
    const recs = await db.recommendation.findMany({ select: { modelVersion: true } });
    expect(recs.map((r) => r.modelVersion)).toEqual(["v1"]);
  });

  it("marks only a candidate failed", async () => {
    await candidate("v4");
    expect(await versions.markModelVersionFailed({ id: "v4" })).toBe(true);
    expect(await statusOf("v4")).toBe("failed");
    const active = await versions.getActiveModelVersion();
    expect(await versions.markModelVersionFailed({ id: active?.id ?? "" })).toBe(false);
  });
});

describe("stale training runs", () => {
  const settings = { seed: 1, members: 1, maxEpochs: 2 };
  it("marks runs whose worker is gone or silent as failed with 'server restarted'", async () => {
    const now = new Date("2030-01-01T12:00:00Z");
    const dead = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    const silent = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    const alive = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    const queued = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    const done = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    const at = (ms: number) => new Date(now.getTime() - ms);
    await db.trainingRun.update({ where: { id: dead.id }, data: { status: "running", pid: 111, heartbeatAt: at(1_000) } });
    await db.trainingRun.update({ where: { id: silent.id }, data: { status: "running", pid: 222, heartbeatAt: at(31_000) } });
    await db.trainingRun.update({ where: { id: alive.id }, data: { status: "running", pid: 333, heartbeatAt: at(5_000) } });
    await db.trainingRun.update({ where: { id: queued.id }, data: { heartbeatAt: at(60_000), createdAt: at(60_000) } });
    await db.trainingRun.update({ where: { id: done.id }, data: { status: "succeeded", pid: 111, heartbeatAt: at(600_000) } });

    const marked = await runs.recoverStaleRuns({ now, isAlive: (pid) => pid !== 111 });
    expect(marked.sort()).toEqual([dead.id, silent.id, queued.id].sort());
    for (const id of marked) {
      const run = await runs.getTrainingRun({ id });
      expect(run?.status).toBe("failed");
      expect(run?.error).toBe("server restarted");
      expect(run?.pid).toBeNull();
    }
    expect((await runs.getTrainingRun({ id: alive.id }))?.status).toBe("running");
    expect((await runs.getTrainingRun({ id: done.id }))?.status).toBe("succeeded");
    // A second start-up finds nothing more to do.
    expect(await runs.recoverStaleRuns({ now, isAlive: (pid) => pid !== 111 })).toEqual([]);
  });

  it("keeps a cancelled run cancelled when late progress or a failure arrives", async () => {
    const run = await runs.createTrainingRun({ tableName: "linked", settings, createdById: userId });
    await runs.markRunStarted({ id: run.id, pid: 999_999 });
    expect((await runs.cancelRun({ id: run.id })).ok).toBe(true);
    await runs.updateRunProgress({ id: run.id, progress: { phase: "training", epoch: 2 } });
    expect(await runs.failRun({ id: run.id, error: "x" })).toBe(false);
    expect(await runs.finishRun({ id: run.id, modelVersionId: "v1" })).toBe(false);
    const after = await runs.getTrainingRun({ id: run.id });
    expect(after?.status).toBe("cancelled");
    expect(runs.parseProgress(after?.progressJson ?? "{}").epoch).toBeUndefined();
  });
});

describe("bundle import", () => {
  let bundleDir: string;
  beforeAll(async () => {
    bundleDir = (await makeTinyBundle({ n: 400, members: 1, epochs: 1 })).dir;
    await mkdir(path.join(modelDir, "import"), { recursive: true });
  });

  it("imports a verified bundle as a candidate into MODEL_DIR/<version>, once", async () => {
    await cp(bundleDir, path.join(modelDir, "import", "good"), { recursive: true });
    const result = await registry.importBundle({ source: "good", createdById: userId });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = await versions.getModelVersion({ id: result.version });
    expect(stored?.status).toBe("candidate");
    expect(stored?.disclosureStatus).toBe("unchecked");
    expect(stored?.dir).toBe(path.join(modelDir, result.version));
    expect(registry.keyMetrics(stored?.metricsJson ?? "").auc).not.toBeUndefined();
    expect(await registry.importBundle({ source: "good", createdById: userId })).toMatchObject({ ok: false, code: "duplicate" });
  });

  it("refuses a tampered bundle with a reason that names the file but no server path", async () => {
    const dir = path.join(modelDir, "import", "tampered");
    await cp(bundleDir, dir, { recursive: true });
    const card = path.join(dir, "model-card.json");
    await writeFile(card, (await readFile(card, "utf8")).replace("Estimates", "Guarantees"));
    const result = await registry.importBundle({ source: "tampered", createdById: userId });
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (result.ok) return;
    expect(result.detail).toContain("model-card.json");
    expect(result.detail).toContain("checksum");
    expect(result.detail).not.toContain(modelDir);
  });

  it("refuses a path outside the import directory and a missing one", async () => {
    expect(await registry.importBundle({ source: bundleDir, createdById: userId })).toMatchObject({ ok: false, code: "outside" });
    expect(await registry.importBundle({ source: "../", createdById: userId })).toMatchObject({ ok: false, code: "outside" });
    expect(await registry.importBundle({ source: "nope", createdById: userId })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("refuses a bundle whose disclosure report does not pass the app's own rule; no report is 'unchecked'", async () => {
    const failed = path.join(modelDir, "import", "disclosure-failed");
    await cp(bundleDir, failed, { recursive: true });
    await writeBundleFile(failed, "disclosure-report.json", JSON.stringify({ passed: false, reason: "a cell of 3 people" }));
    const refused = await registry.importBundle({ source: "disclosure-failed", createdById: userId });
    expect(refused).toMatchObject({ ok: false, code: "disclosure" });
    if (!refused.ok) expect(refused.detail).toMatch(/disclosure report/);
    const { manifest } = await verifyBundle(bundleDir);
    expect(await registry.disclosureStatusOf({ dir: bundleDir, manifest })).toEqual({ status: "unchecked", reason: null });
    // Unchecked candidates cannot be promoted: the app would refuse to serve them.
    expect(await registry.promotionBlocker(bundleDir)).toBe("disclosure");
    expect(await registry.promotionBlocker(path.join(modelDir, "nowhere"))).toBe("invalid");
  });
});

describe("promotion guardrails", () => {
  it("refuses without a reason, and without a passed comparison against the current active model", async () => {
    const comparisons = await import("~/models/model-comparison.server");
    await candidate("g0");
    await versions.promoteModelVersion({ id: "g0" });
    const active = await versions.getActiveModelVersion();
    expect(active).not.toBeNull();
    await candidate("g1");
    const promote = (reason: string) => registry.promoteRegisteredModel({ id: "g1", reason, userId, comparison: "required" });
    expect(await promote("")).toEqual({ ok: false, reason: "no_reason" });
    expect(await promote("   abc  ")).toEqual({ ok: false, reason: "no_reason" });
    expect(await promote("better on the held-out table")).toEqual({ ok: false, reason: "no_comparison" });
    // A comparison that is worse, still running, or made against another model does not count.
    const compare = async (activeId: string, verdict: "better" | "worse" | null) => {
      const { id } = await comparisons.createComparison({ candidateId: "g1", activeId, tableName: "linked-heldout", tableHash: null, createdById: userId });
      if (verdict) await db.modelComparison.update({ where: { id }, data: { status: "done", verdict } });
    };
    await compare(active?.id ?? "", "worse");
    await compare(active?.id ?? "", null);
    await compare("another-model", "better");
    expect(await promote("better on the held-out table")).toEqual({ ok: false, reason: "no_comparison" });
    await compare(active?.id ?? "", "better");
    // Past the guardrails, the bundle itself is checked (here it does not exist).
    expect(await promote("better on the held-out table")).toEqual({ ok: false, reason: "invalid" });
  });

  it("never offers a model's training table for its comparison", async () => {
    const { heldOutTables, isTrainingTable } = await import("~/utils/registry/comparison.server");
    const dataDir = await mkdtemp(path.join(tmpdir(), "tw-tables-"));
    process.env.DATA_DIR = dataDir;
    for (const name of ["linked", "linked-heldout", "linked-b"]) {
      await mkdir(path.join(dataDir, name), { recursive: true });
      await writeFile(path.join(dataDir, name, "analysis.csv"), `a,b\n1,${name}\n`);
      await writeFile(path.join(dataDir, name, "schema.json"), "{}");
    }
    const { sha256File } = await import("../../model/index");
    const trainedOnB = { id: "b", dataHash: await sha256File(path.join(dataDir, "linked-b", "analysis.csv")), trainingTable: null };
    const trainedOnLinked = { id: "l", dataHash: null, trainingTable: "linked" };
    expect(await isTrainingTable("linked-b", trainedOnB)).toBe(true);
    expect(await isTrainingTable("linked", trainedOnLinked)).toBe(true);
    expect(await heldOutTables([trainedOnB, trainedOnLinked])).toEqual(["linked-heldout"]);
  });
});
