import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../setup/test-db";

/**
 * What a finished login or a logout leaves behind must not keep working: the training event
 * stream stops when its session ends, and the cookie between password and second factor is
 * single-use.
 */
let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let session: typeof import("~/utils/auth/session.server");

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  session = await import("~/utils/auth/session.server");
});

const cookieOf = (setCookie: string) => setCookie.split(";")[0] ?? "";

describe("the training event stream", () => {
  it("ends once the session is logged out", async () => {
    const user = await db.user.create({ data: { username: "ds-stream", displayName: "DS", role: "datascientist", passwordHash: "x" } });
    const run = await db.trainingRun.create({ data: { status: "running", tableName: "linked", settingsJson: "{}", createdById: user.id } });
    const cookie = cookieOf(await session.createSession(user.id));
    const { loader } = await import("~/routes/models.runs.$runId_.events");
    const controller = new AbortController();
    const request = new Request(`http://localhost/models/runs/${run.id}/events`, { headers: { Cookie: cookie }, signal: controller.signal });
    const response = (await loader({ request, params: { runId: run.id }, context: {} })) as Response;
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: run")) text += decoder.decode((await reader.read()).value);
    await session.destroySession(new Request("http://localhost/logout", { headers: { Cookie: cookie } }));
    // Within a few ticks the stream closes by itself (the run is still running).
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000)),
    ]);
    controller.abort();
    expect(ended).toBe(true);
  });
});

describe("the pending second-factor login", () => {
  it("cannot be used again once the login it started has finished", async () => {
    const user = await db.user.create({ data: { username: "cw-pending", displayName: "CW", role: "caseworker", passwordHash: "x" } });
    const { startPendingLogin } = await import("~/utils/auth/pending-login.server");
    const { requirePendingLogin, finishLogin } = await import("~/utils/auth/second-factor.server");
    const pending = cookieOf(await startPendingLogin(user.id, "/clients"));
    const request = () => new Request("http://localhost/login/totp", { method: "POST", headers: { Cookie: pending } });
    expect((await requirePendingLogin(request())).userId).toBe(user.id);
    const finished = await finishLogin(request(), user.id, "/clients");
    expect(finished.status).toBe(302);
    // A copy of the cookie, replayed after the login: back to the password step.
    let thrown: unknown;
    try {
      await requirePendingLogin(request());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("Location")).toBe("/login");
  });
});
