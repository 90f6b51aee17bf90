import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/** GET /health on a real test database: 200 when the database answers (with or without a model), 503 when it is gone. */
let route: typeof import("~/routes/health");
let health: typeof import("~/utils/health.server");
let dbModule: typeof import("~/utils/db.server");

beforeAll(async () => {
  await useTestDatabase();
  route = await import("~/routes/health");
  health = await import("~/utils/health.server");
  dbModule = await import("~/utils/db.server");
  await dbModule.getDb().$connect(); // the first connection is not what these tests time
});

describe("GET /health", () => {
  it("is 200 without a model: the instance is ready, model null, nothing personal", async () => {
    const response = await route.loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", database: { reachable: true }, model: null });
  });

  it("reports the active model's version and disclosure status, and whether this process has loaded it", async () => {
    await dbModule.getDb().modelVersion.create({
      data: { id: "m-health-1", dir: "/nowhere", status: "active", metricsJson: "{}", disclosureStatus: "passed", activatedAt: new Date() },
    });
    const check = health.createHealthCheck({ db: dbModule.getDb, loadedVersion: async () => "m-health-1" });
    expect(await check()).toEqual({ status: "ok", database: { reachable: true }, model: { version: "m-health-1", disclosure: "passed", loaded: true } });
    const notLoaded = health.createHealthCheck({ db: dbModule.getDb, loadedVersion: async () => null });
    expect((await notLoaded()).model?.loaded).toBe(false);
  });

  it("is 'unavailable' when the database is gone (its directory deleted)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tw-gone-"));
    rmSync(dir, { recursive: true });
    const gone = dbModule.createDbClient(`file:${path.join(dir, "missing", "app.db")}`);
    const check = health.createHealthCheck({ db: () => gone, loadedVersion: async () => null });
    expect(await check()).toEqual({ status: "unavailable", database: { reachable: false }, model: null });
  });

  it("is 'unavailable' when the database does not answer in time", async () => {
    const never = { modelVersion: { findFirst: () => new Promise(() => undefined) } } as unknown as ReturnType<typeof dbModule.getDb>;
    const check = health.createHealthCheck({ db: () => never, loadedVersion: async () => null, timeoutMs: 50 });
    expect((await check()).status).toBe("unavailable");
  });

  it("asks the database at most once per second", async () => {
    let queries = 0;
    let now = 0;
    const real = dbModule.getDb();
    const findFirst = (args: Parameters<typeof real.modelVersion.findFirst>[0]) => {
      queries++;
      return real.modelVersion.findFirst(args);
    };
    const counting = { modelVersion: { findFirst } } as unknown as typeof real;
    const check = health.createHealthCheck({ db: () => counting, loadedVersion: async () => null, now: () => now });
    await Promise.all([check(), check(), check()]);
    now = 999;
    await check();
    expect(queries).toBe(1);
    now = 1000;
    await check();
    expect(queries).toBe(2);
  });
});

describe("the route with the database gone", () => {
  it("answers 503", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tw-gone-"));
    const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof dbModule.getDb> };
    const working = globalForPrisma.prisma;
    rmSync(dir, { recursive: true });
    globalForPrisma.prisma = dbModule.createDbClient(`file:${path.join(dir, "missing", "app.db")}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the cached answer
      const response = await route.loader();
      expect(response.status).toBe(503);
      expect((await response.json()).database.reachable).toBe(false);
    } finally {
      globalForPrisma.prisma = working;
    }
  });
});
