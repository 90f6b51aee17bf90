import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFrom, makeTinyBundle, writeDisclosureVerdict } from "../fixtures/tiny-bundle";
import { useTestDatabase } from "../setup/test-db";

/**
 * The served model follows the registry (real migrated SQLite, real bundles): after a promote or
 * a roll back the previous bundle's tensors are freed once its requests have finished, so a
 * server that changes models often does not grow; requests in flight across a change still finish.
 */
let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let versions: typeof import("~/models/model-version.server");
let predictor: typeof import("~/utils/registry/predictor.server");

beforeAll(async () => {
  await useTestDatabase();
  process.env.MODEL_THREADS = "0"; // tensors of the server thread are what is counted here
  fixture = await makeTinyBundle({ n: 700, seed: 71 });
  const db = (await import("~/utils/db.server")).getDb();
  versions = await import("~/models/model-version.server");
  predictor = await import("~/utils/registry/predictor.server");
  const user = await db.user.create({ data: { username: "ds-life", displayName: "DS", role: "datascientist", passwordHash: "x" } });
  for (const id of ["life-a", "life-b"]) {
    const dir = join(fixture.root, id);
    await cp(fixture.dir, dir, { recursive: true });
    await writeDisclosureVerdict(dir, fixture.tiny.rows, { passed: true });
    await versions.createModelVersion({ id, dir, dataHash: null, metricsJson: "{}", disclosureStatus: "passed", createdById: user.id });
  }
});

afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

const ask = () => predictor.recommendForClient(clientFrom(fixture.tiny));

/** The tensor count once disposal (which waits for the old bundle's promise) has run: polled, for a busy machine. */
async function settledTensors(expected: number): Promise<number> {
  const until = Date.now() + 10_000;
  while (tf.memory().numTensors !== expected && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return tf.memory().numTensors;
}

describe("served model lifecycle", () => {
  it("frees the previous bundle after a change of model, and does not grow over many changes", async () => {
    const before = tf.memory().numTensors;
    expect(await versions.promoteModelVersion({ id: "life-a" })).toMatchObject({ ok: true });
    expect((await ask())?.modelVersion).toBeTruthy();
    const oneBundle = tf.memory().numTensors - before;
    expect(oneBundle).toBeGreaterThan(0);

    expect(await versions.promoteModelVersion({ id: "life-b" })).toMatchObject({ ok: true });
    expect((await ask())?.arms.length).toBeGreaterThan(0);
    expect((await settledTensors(before + oneBundle)) - before).toBe(oneBundle);

    for (let i = 0; i < 6; i++) {
      expect(await versions.rollbackModelVersion()).toMatchObject({ ok: true });
      expect((await ask())?.arms.length).toBeGreaterThan(0);
    }
    expect((await settledTensors(before + oneBundle)) - before).toBe(oneBundle);
  });

  it("finishes requests that were in flight when the model changed", async () => {
    const before = tf.memory().numTensors;
    const inFlight = Array.from({ length: 8 }, () => ask());
    const change = versions.rollbackModelVersion();
    const after = Array.from({ length: 8 }, () => ask());
    const results = await Promise.all([...inFlight, ...after]);
    expect(await change).toMatchObject({ ok: true });
    for (const r of results) expect(r?.arms.length).toBeGreaterThan(0);
    expect((await ask())?.arms.length).toBeGreaterThan(0);
    expect(await settledTensors(before)).toBe(before);
  });
});
