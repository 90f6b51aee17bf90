import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/**
 * The audit log is append-only in the database itself (triggers), not only by the app having no
 * update or delete path: a bug, a script or a stolen database connection cannot rewrite it.
 * `npm run test:db:postgres` runs this file on PostgreSQL too.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
});

describe("the audit table", () => {
  it("takes new events", async () => {
    await db.auditEvent.create({ data: { action: "test.append", result: "ok", object: "x" } });
    expect(await db.auditEvent.count({ where: { action: "test.append" } })).toBe(1);
  });

  it("refuses UPDATE and DELETE, through Prisma and in raw SQL", async () => {
    const event = await db.auditEvent.create({ data: { action: "test.keep", result: "failed", object: "user:x" } });
    await expect(db.auditEvent.update({ where: { id: event.id }, data: { result: "ok" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.updateMany({ data: { object: null } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "result" = 'ok'`)).rejects.toThrow(/append-only/);
    const after = await db.auditEvent.findUnique({ where: { id: event.id }, select: { result: true, object: true } });
    expect(after).toEqual({ result: "failed", object: "user:x" });
  });
});
