import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFrom, makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { type Bundle, disposeBundle, loadBundle } from "../bundle/bundle.js";
import { createRecommendPool, PoolError, type RecommendPool } from "./recommend-pool.js";
import { recommend } from "./recommend.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let bundle: Bundle;
let pool: RecommendPool;

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 900, seed: 32, epochs: 2 });
  bundle = await loadBundle(fixture.dir);
  pool = await createRecommendPool({ bundleDir: fixture.dir, threads: 2 });
}, 60_000);
afterAll(async () => {
  await pool.close();
  disposeBundle(bundle);
});

describe("recommendation threads", () => {
  it("give the very same results as the server thread, for requests in flight at once", async () => {
    expect(pool.version).toBe(bundle.version);
    const clients = Array.from({ length: 12 }, (_, i) => clientFrom(fixture.tiny, i));
    const threaded = await Promise.all(clients.map((c) => pool.recommend(c)));
    threaded.forEach((result, i) => {
      // Requests in flight together are computed as one batch: the same advice up to float rounding.
      const one = recommend(bundle, clients[i] ?? {});
      expect(result.arms.map((a) => [a.arm, a.rank, a.eligible, a.lowEvidence])).toEqual(one.arms.map((a) => [a.arm, a.rank, a.eligible, a.lowEvidence]));
      result.arms.forEach((a, k) => {
        expect(a.expected).toBeCloseTo(one.arms[k]?.expected ?? -1, 5);
      });
    });
  });

  it("pass a model error back with its name and message, and keep serving", async () => {
    const bad = { ...clientFrom(fixture.tiny, 0), taaleis_voldaan: 3 };
    const error = await pool.recommend(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as Error).name).toBe("SchemaError");
    expect((error as Error).message).toContain("taaleis_voldaan");
    await expect(pool.recommend(clientFrom(fixture.tiny, 1))).resolves.toMatchObject({ modelVersion: bundle.version });
  });

  it("refuses work once closed, instead of leaving it waiting", async () => {
    const own = await createRecommendPool({ bundleDir: fixture.dir, threads: 1 });
    await own.close();
    await expect(own.recommend(clientFrom(fixture.tiny, 0))).rejects.toThrow(/closed/);
  });

  it("refuses a bundle that does not load, naming the file", async () => {
    await expect(createRecommendPool({ bundleDir: `${fixture.dir}-missing`, threads: 1 })).rejects.toThrow(/missing/);
  });
});
