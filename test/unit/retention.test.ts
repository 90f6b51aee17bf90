import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_MINIMUM_MONTHS, monthsBefore, retentionCutoffs, retentionFromEnv } from "~/utils/retention";
import { useTestDatabase } from "../setup/test-db";

/**
 * Issue 18.7: retention of shown advice, closed clients and audit entries, and `npm run purge`.
 * `npm run test:db:postgres` runs this file on PostgreSQL too (the audit minimum is a trigger there).
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
const NOW = new Date();
const monthsAgo = (m: number) => monthsBefore(NOW, m);

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
});

async function seed(tag: string) {
  const user = await db.user.create({ data: { username: `cw-${tag}`, displayName: "Kim", passwordHash: "x", role: "caseworker" } });
  const client = (code: string, status: string, lastContactAt: Date) =>
    db.client.create({ data: { referenceHash: `${tag}-${code}`, code: `${tag}${code}`, caseworkerId: user.id, profileJson: "{}", status, lastContactAt } });
  const oldClosed = await client("OLDCLOSED", "closed", monthsAgo(30));
  const newClosed = await client("NEWCLOSED", "closed", monthsAgo(3));
  const oldActive = await client("OLDACTIVE", "active", monthsAgo(30));
  const advice = (clientId: string, createdAt: Date) => db.recommendation.create({ data: { clientId, modelVersion: "v", resultJson: "{}", createdAt } });
  const oldShown = await advice(oldActive.id, monthsAgo(30));
  const oldDecided = await advice(oldActive.id, monthsAgo(30));
  const newShown = await advice(oldActive.id, monthsAgo(1));
  await advice(oldClosed.id, monthsAgo(30));
  const closedDecided = await advice(oldClosed.id, monthsAgo(31));
  const decide = (clientId: string, recommendationId: string) =>
    db.decision.create({ data: { clientId, recommendationId, chosenArm: "regulier", followedAdvice: true, decidedById: user.id, version: 1 } });
  await decide(oldActive.id, oldDecided.id);
  const closedDecision = await decide(oldClosed.id, closedDecided.id);
  await db.outcome.create({
    data: { clientId: oldClosed.id, decisionId: closedDecision.id, work: true, leftBenefits: true, wmoAfter: false, debtsAfter: false, recordedById: user.id, version: 1 },
  });
  const audit = (action: string, at: Date) => db.auditEvent.create({ data: { action, result: "ok", at } });
  await audit(`${tag}.ancient`, monthsAgo(AUDIT_MINIMUM_MONTHS + 2));
  await audit(`${tag}.young`, monthsAgo(AUDIT_MINIMUM_MONTHS - 2));
  return { oldClosed, newClosed, oldActive, oldShown, oldDecided, newShown };
}

describe("retention periods", () => {
  it("come from the environment with defaults, and refuse an audit period under the legal minimum by name", () => {
    expect(retentionFromEnv({})).toEqual({ recommendationsMonths: 24, closedClientsMonths: 24, auditMonths: AUDIT_MINIMUM_MONTHS });
    expect(retentionFromEnv({ RETENTION_CLOSED_CLIENTS_MONTHS: "84", RETENTION_AUDIT_MONTHS: "" }).closedClientsMonths).toBe(84);
    expect(() => retentionFromEnv({ RETENTION_AUDIT_MONTHS: "12" })).toThrow(/RETENTION_AUDIT_MONTHS: must be at least 60 months \(the audit log's legal minimum\)/);
    expect(() => retentionFromEnv({ RETENTION_RECOMMENDATIONS_MONTHS: "zes" })).toThrow(/RETENTION_RECOMMENDATIONS_MONTHS/);
  });

  it("count calendar months, the end of a month included", () => {
    expect(monthsBefore(new Date("2026-03-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(monthsBefore(new Date("2026-11-29T10:00:00Z"), 24).toISOString()).toBe("2024-11-29T10:00:00.000Z");
    const cutoffs = retentionCutoffs({ recommendationsMonths: 6, closedClientsMonths: 12, auditMonths: 1 }, new Date("2026-11-29T00:00:00Z"));
    expect(cutoffs.audit.toISOString()).toBe("2021-11-29T00:00:00.000Z");
  });
});

describe("purge", () => {
  it("removes what is past its period and keeps the rest: advice a decision rests on, open clients, young audit entries", async () => {
    const { purgeExpired } = await import("~/models/retention.server");
    const s = await seed("P");
    const cutoffs = retentionCutoffs(retentionFromEnv({}), new Date());
    const counted = await purgeExpired(cutoffs, { dryRun: true });
    expect(counted).toEqual({ recommendations: 2, closedClients: 1, auditEntries: 1 });
    expect(await db.client.count()).toBe(3);

    const removed = await purgeExpired(cutoffs, { dryRun: false });
    // The old closed client's own old advice goes with the client, not counted as shown advice.
    expect(removed).toEqual({ recommendations: 1, closedClients: 1, auditEntries: 1 });
    expect((await db.client.findMany({ select: { id: true }, orderBy: { code: "asc" } })).map((c) => c.id).sort()).toEqual([s.newClosed.id, s.oldActive.id].sort());
    const advice = (await db.recommendation.findMany({ select: { id: true } })).map((r) => r.id).sort();
    expect(advice).toEqual([s.oldDecided.id, s.newShown.id].sort());
    expect(await db.decision.count({ where: { clientId: s.oldClosed.id } })).toBe(0);
    expect(await db.outcome.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "P.young" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "P.ancient" } })).toBe(0);
    expect(await purgeExpired(cutoffs, { dryRun: false })).toEqual({ recommendations: 0, closedClients: 0, auditEntries: 0 });
  });

  it("cannot remove an audit entry younger than the legal minimum, even by hand in SQL", async () => {
    const young = await db.auditEvent.create({ data: { action: "test.young", result: "ok", at: monthsAgo(AUDIT_MINIMUM_MONTHS - 1) } });
    // Prisma's SQLite adapter reports the trigger's abort as a constraint error; raw SQL shows its text.
    await expect(db.auditEvent.delete({ where: { id: young.id } })).rejects.toThrow();
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = ${young.id}`)).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.update({ where: { id: young.id }, data: { result: "failed" } })).rejects.toThrow(/append-only/);
    const old = await db.auditEvent.create({ data: { action: "test.old", result: "ok", at: monthsAgo(AUDIT_MINIMUM_MONTHS + 1) } });
    await expect(db.auditEvent.update({ where: { id: old.id }, data: { result: "failed" } })).rejects.toThrow(/append-only/);
    await db.auditEvent.delete({ where: { id: old.id } });
    expect(await db.auditEvent.count({ where: { id: { in: [young.id, old.id] } } })).toBe(1);
  });

  it("npm run purge removes, prints what, and is audited; a bad period stops it with the variable's name", async () => {
    // A fresh data directory, as an operator's first run: the CLI migrates it and records its run.
    const dataDir = mkdtempSync(path.join(tmpdir(), "tw-purge-"));
    const { DATABASE_URL: _testDatabase, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = { ...inherited, DATA_DIR: dataDir, TRAJECTWIJZER_QUIET_BACKEND: "1" };
    const run = (args: string[], extra: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/purge.ts", ...args], { env: { ...env, ...extra }, encoding: "utf8" }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const refused = await run(["--dry-run"], { RETENTION_AUDIT_MONTHS: "24" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^purge: error: Invalid configuration:\n {2}RETENTION_AUDIT_MONTHS: must be at least 60 months/);
    const done = await run([], { RETENTION_CLOSED_CLIENTS_MONTHS: "2" });
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/closed clients\s+2\s+\d{4}-\d{2}-\d{2}\s+0/);
    expect(done.stdout).toMatch(/audit entries\s+60\s/);
    const { createDbClient } = await import("~/utils/db.server");
    const cli = createDbClient(`file:${path.join(dataDir, "trajectwijzer.db")}`);
    try {
      const entry = await cli.auditEvent.findFirst({ where: { action: "retention.purge" }, orderBy: { id: "desc" } });
      expect(entry).toMatchObject({ result: "ok", origin: "cli", object: "recommendations=0 closed_clients=0 audit_entries=0" });
    } finally {
      await cli.$disconnect();
    }
  }, 180_000);
});
