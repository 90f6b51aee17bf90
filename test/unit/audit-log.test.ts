import { beforeAll, describe, expect, it } from "vitest";
import { formatDateTime, localDayStart } from "~/utils/i18n";
import { useTestDatabase } from "../setup/test-db";

/**
 * The audit log as a privacy officer reads it: names and roles instead of ids, the client's code for
 * entries about a client (its views, advice, decisions), plain action names, Dutch local time, filters
 * and a CSV export that is itself audited.
 */
let cookie = "";
let otherCookie = "";
let ids: { worker: string; other: string; manager: string; client: string; decision: string };
let audit: typeof import("~/utils/audit.server");

beforeAll(async () => {
  await useTestDatabase();
  const { getDb } = await import("~/utils/db.server");
  const { createSession } = await import("~/utils/auth/session.server");
  audit = await import("~/utils/audit.server");
  const db = getDb();
  const worker = await db.user.create({ data: { username: "kim", displayName: "Kim de Vries", role: "caseworker", passwordHash: "x" } });
  const other = await db.user.create({ data: { username: "=evil", displayName: "=HYPERLINK(1)", role: "caseworker", passwordHash: "x" } });
  const manager = await db.user.create({ data: { username: "mgr-audit", displayName: "Manager M", role: "manager", passwordHash: "x" } });
  const client = await db.client.create({ data: { referenceHash: "h-audit", code: "TW-AUD1T", caseworkerId: worker.id, profileJson: "{}" } });
  const rec = await db.recommendation.create({ data: { clientId: client.id, modelVersion: "t", resultJson: "{}", topArm: "jobcoaching" } });
  const decision = await db.decision.create({
    data: { clientId: client.id, recommendationId: rec.id, chosenArm: "jobcoaching", followedAdvice: true, decidedById: worker.id, version: 1 },
  });
  ids = { worker: worker.id, other: other.id, manager: manager.id, client: client.id, decision: decision.id };
  const event = (at: string, actorId: string | null, action: string, object: string | null, reason: string | null = null) =>
    db.auditEvent.create({ data: { at: new Date(at), actorId, action, object, result: "ok", origin: "127.0.0.1", reason } });
  // 23:30 UTC on 28 March 2026 is 00:30 on 29 March in Amsterdam (the night clocks go forward).
  await event("2026-03-28T23:30:00Z", worker.id, "client.view", `client:${client.id}`, "caseload");
  await event("2026-03-29T10:00:00Z", worker.id, "decision.record", `decision:${decision.id}`, "caseload");
  await event("2026-03-29T10:00:01Z", other.id, "recommendation.shown", `recommendation:${rec.id}`, "other: vraag van de wijkteamleider");
  await event("2026-03-30T08:00:00Z", other.id, "login", `user:${other.id}`);
  await event("2026-03-27T08:00:00Z", null, "login.failed", "user:oidc-0123456789abcdef0123");
  cookie = (await createSession(manager.id)).split(";")[0] ?? "";
  otherCookie = (await createSession(other.id)).split(";")[0] ?? "";
});

const page = (query: string, lang: "nl" | "en" = "nl") => audit.getAuditPage(audit.parseAuditQuery(new URL(`http://localhost/audit?${query}`)), lang, 50);

describe("audit log for a privacy officer", () => {
  it("local time in Europe/Amsterdam, across a clock change", () => {
    expect(formatDateTime(new Date("2026-03-28T23:30:00Z"), "nl")).toBe("29-03-2026 00:30:00");
    expect(formatDateTime(new Date("2026-07-01T12:00:00Z"), "en")).toBe("01/07/2026 14:00:00");
    expect(formatDateTime(new Date("2026-07-01T12:00:00Z"), "en", { sortable: true })).toBe("2026-07-01 14:00:00");
    expect(localDayStart("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(localDayStart("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(localDayStart("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("names and roles instead of ids; the client's code for its views, advice and decisions; plain action names", async () => {
    const { rows, total } = await page("");
    expect(total).toBe(5);
    const view = rows.find((r) => r.code === "client.view");
    expect(view).toMatchObject({ who: "Kim de Vries", role: "Klantmanager", client: "TW-AUD1T", action: "Cliëntdossier ingezien", at: "29-03-2026 00:30:00" });
    expect(rows.find((r) => r.code === "decision.record")?.client).toBe("TW-AUD1T");
    expect(rows.find((r) => r.code === "recommendation.shown")).toMatchObject({ client: "TW-AUD1T", action: "Trajectadvies getoond" });
    // A failed login of an unknown account: no person, the object as recorded.
    expect(rows.find((r) => r.code === "login.failed")).toMatchObject({ who: "Systeem", object: "user:oidc-0123456789abcdef0123" });
    expect((await page("", "en")).rows.find((r) => r.code === "client.view")).toMatchObject({ role: "Case worker", action: "Client file viewed" });
  });

  it("filters by person, client code, action and period (whole local days, 'to' inclusive); bad values are ignored", async () => {
    expect((await page(`person=${ids.worker}`)).total).toBe(2);
    expect((await page("client=tw-aud1t")).total).toBe(3);
    expect(await page("client=TW-NOPE")).toMatchObject({ total: 0, unknownClient: true });
    expect((await page("action=login")).rows.map((r) => r.code)).toEqual(["login"]);
    // 29 March local: the view at 00:30 local and the two entries at noon.
    expect((await page("from=2026-03-29&to=2026-03-29")).total).toBe(3);
    expect((await page("to=2026-03-28")).total).toBe(1);
    expect((await page("from=2026-02-30&person=x%20y&client=%3Cscript%3E&page=-4")).total).toBe(5);
  });

  it("exports the filtered view as CSV (byte order mark, ';', NEN 7513 columns), and the export is audited", async () => {
    const route = await import("~/routes/audit_.export[.csv]");
    const response = await route.loader({ request: new Request(`http://localhost/audit/export.csv?client=TW-AUD1T`, { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(response.headers.get("Content-Type")).toMatch(/^text\/csv; charset=utf-8/);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe("Tijd (Europe/Amsterdam);Wie;Wie (id);Rol;Cliënt;Handeling;Handeling (code);Waarom;Reden van inzage;Resultaat;Object;Herkomst (adres)");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe(
      `2026-03-29 00:30:00;Kim de Vries;${ids.worker};Klantmanager;TW-AUD1T;Cliëntdossier ingezien;client.view;Begeleiding van de cliënt naar werk;Eigen caseload;Gelukt;;127.0.0.1`,
    );
    expect(lines[1]).toContain(";Anders: vraag van de wijkteamleider;");
    const { getDb } = await import("~/utils/db.server");
    const exported = await getDb().auditEvent.findFirst({ where: { action: "audit.export" }, select: { actorId: true, object: true } });
    expect(exported).toEqual({ actorId: ids.manager, object: "audit?client=TW-AUD1T" });
    // A name that looks like a formula stays text in a spreadsheet.
    const all = await route.loader({ request: new Request(`http://localhost/audit/export.csv?person=${ids.other}`, { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(await all.text()).toContain(";'=HYPERLINK(1);");
  });

  it("shows per entry why a client's file was opened; entries about no client file have none", async () => {
    const { rows } = await page("");
    expect(rows.find((r) => r.code === "client.view")?.reason).toBe("Eigen caseload");
    expect(rows.find((r) => r.code === "recommendation.shown")?.reason).toBe("Anders: vraag van de wijkteamleider");
    expect(rows.find((r) => r.code === "login")?.reason).toBe("");
    expect((await page("", "en")).rows.find((r) => r.code === "client.view")?.reason).toBe("Own caseload");
  });
});

describe("opening another case worker's client: a stated reason first (break the glass)", () => {
  const url = () => `http://localhost/clients/${ids.client}`;
  const post = async (form: Record<string, string>) => {
    const route = await import("~/routes/clients.$clientId");
    const request = new Request(url(), { method: "POST", body: new URLSearchParams(form), headers: { Cookie: otherCookie, Origin: "http://localhost" } });
    try {
      return await route.action({ request, params: { clientId: ids.client }, context: {} });
    } catch (thrown) {
      return thrown;
    }
  };

  it("without a reason the file does not open: 403 with the form, and the attempt is audited", async () => {
    const route = await import("~/routes/clients.$clientId");
    const result = await route.loader({ request: new Request(url(), { headers: { Cookie: otherCookie } }), params: { clientId: ids.client }, context: {} });
    expect(result).toMatchObject({ init: { status: 403 }, data: { reasonRequired: true, hours: 8 } });
    expect(JSON.stringify(result)).not.toContain("TW-AUD1T");
    const { getDb } = await import("~/utils/db.server");
    expect(await getDb().auditEvent.count({ where: { actorId: ids.other, action: "client.access", result: "denied" } })).toBe(1);
  });

  it("a reason from the list, or 'other' with an explanation; nothing else", async () => {
    const { AccessReasonSchema, storedReason } = await import("~/utils/audit-actions");
    expect(AccessReasonSchema.safeParse({ intent: "access", reason: "other", note: "" }).success).toBe(false);
    expect(AccessReasonSchema.safeParse({ intent: "access", reason: "curious" }).success).toBe(false);
    const other = AccessReasonSchema.parse({ intent: "access", reason: "other", note: "  vraag   van de  wijkteamleider " });
    expect(storedReason(other)).toBe("other: vraag van de wijkteamleider");
    expect(storedReason(AccessReasonSchema.parse({ intent: "access", reason: "handover", note: "ignored" }))).toBe("handover");
    const refused = (await post({ intent: "access", reason: "other", note: "" })) as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.note).toContain("toelichting");
  });

  it("the stated reason is audited and opens the file for a working day; a change is still refused", async () => {
    const audits = await import("~/models/audit.server");
    const since = new Date(Date.now() - 8 * 3600 * 1000);
    expect(await audits.getStatedAccessReason({ actorId: ids.other, clientId: ids.client, since })).toBeNull();
    const done = (await post({ intent: "access", reason: "replacement" })) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe(`/clients/${ids.client}`);
    expect(await audits.getStatedAccessReason({ actorId: ids.other, clientId: ids.client, since })).toBe("replacement");
    // Another person, or a reason given before the period: not this grant.
    expect(await audits.getStatedAccessReason({ actorId: ids.worker, clientId: ids.client, since })).toBeNull();
    expect(await audits.getStatedAccessReason({ actorId: ids.other, clientId: ids.client, since: new Date(Date.now() + 60_000) })).toBeNull();
    // Recording a decision stays with the client's own case worker.
    const write = (await post({ intent: "decision", chosenArm: "jobcoaching" })) as Response;
    expect(write.status).toBe(404);
  });
});
