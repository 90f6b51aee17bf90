import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROFILE } from "../fixtures/client-profile";
import { useTestDatabase } from "../setup/test-db";

/**
 * Every route that exports an action, found on disk (a new route is covered without editing this
 * file), answers a body in the wrong format with a 4xx and a message, never a 5xx: JSON, plain
 * text, no content type, multipart with a broken or missing boundary. Each route is tried as every
 * role (with a pending second-factor login too), so the role that can reach it reads the body.
 */
const ROUTES_DIR = path.resolve("app/routes");
const ROLES = ["caseworker", "manager", "datascientist", "admin"] as const;

type ActionModule = { action: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown> };

const routeFiles = readdirSync(ROUTES_DIR)
  .filter((name) => /\.tsx?$/.test(name) && !name.endsWith(".test.ts"))
  .filter((name) => /export (async function action\b|const \{[^}]*\baction\b[^}]*\}|const action\b|\{[^}]*\baction\b[^}]*\} from)/.test(readFileSync(path.join(ROUTES_DIR, name), "utf8")));

/** The URL path of a flat-routes file name: dots are slashes, `$x` a parameter, `_` prefixes and suffixes pathless, `[.x]` an escaped dot. */
function urlPath(file: string, params: Record<string, string>): string {
  const base = file.replace(/\.tsx?$/, "").replace(/\[\.(\w+)\]/g, "~$1");
  const segments = base
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => s.replace(/_$/, "").replace(/~/g, "."))
    .map((s) => (s === "$" ? "anything" : s.startsWith("$") ? (params[s.slice(1)] ?? "x") : s));
  return `/${segments.join("/")}`;
}

const BAD_BODIES: { name: string; headers: Record<string, string>; body: BodyInit }[] = [
  { name: "application/json", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent: "decision", username: "x" }) },
  { name: "text/plain", headers: { "Content-Type": "text/plain" }, body: "intent=decision&code=123456" },
  { name: "no content type", headers: {}, body: new TextEncoder().encode("intent=decision") },
  { name: "multipart, broken boundary", headers: { "Content-Type": "multipart/form-data; boundary=abc" }, body: "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz" },
  { name: "multipart, no boundary", headers: { "Content-Type": "multipart/form-data" }, body: "intent=decision" },
];

const userIds: Record<string, string> = {};
const bearer: Record<string, string> = {};
let pendingCookie = "";
const params: Record<string, string> = {};

beforeAll(async () => {
  await useTestDatabase();
  const { getDb } = await import("~/utils/db.server");
  const { startPendingLogin } = await import("~/utils/auth/pending-login.server");
  const { newApiToken } = await import("~/utils/api/api.server");
  const db = getDb();
  for (const role of ROLES) {
    const user = await db.user.create({ data: { username: `form-${role}`, displayName: role, role, passwordHash: "x" } });
    userIds[role] = user.id;
    const generated = newApiToken();
    bearer[role] = generated.token;
    await db.apiToken.create({ data: { name: role, tokenHash: generated.tokenHash, userId: user.id } });
    if (role === "caseworker") {
      // Between password and second factor, with a one-time password still to replace: every /login/* step reads its form.
      const pending = await db.user.create({ data: { username: "form-pending", displayName: "P", role, passwordHash: "x", mustChangePassword: true } });
      pendingCookie = (await startPendingLogin(pending.id, "/clients")).split(";")[0] ?? "";
      const client = await db.client.create({ data: { caseworkerId: user.id, referenceHash: "form-ref", code: "TW-FORMTEST01", profileJson: JSON.stringify(PROFILE) } });
      params.clientId = client.id;
    }
  }
});

async function status(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    const value = await promise;
    if (value instanceof Response) return { status: value.status, text: await value.text() };
    if (value && typeof value === "object" && "init" in value && "data" in value) {
      return { status: (value as { init?: { status?: number } | null }).init?.status ?? 200, text: JSON.stringify((value as { data: unknown }).data) };
    }
    return { status: 200, text: JSON.stringify(value) };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    return { status: 500, text: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

describe("form actions and bad content types", () => {
  it("finds the routes with an action on disk", () => {
    expect(routeFiles).toEqual(expect.arrayContaining(["login.tsx", "lang.tsx", "clients.new.tsx", "clients.$clientId.tsx", "admin.users.tsx", "account.tsx"]));
  });

  it.each(routeFiles)("%s: no 5xx for any bad body as any role", async (file) => {
    const route = (await import(path.join(ROUTES_DIR, file))) as ActionModule;
    const url = `http://localhost${urlPath(file, params)}`;
    const { createSession } = await import("~/utils/auth/session.server");
    const reachedWith: number[] = [];
    for (const role of ROLES) {
      for (const bad of BAD_BODIES) {
        // A fresh session each time: /logout ends the one it is sent.
        const sessionCookie = (await createSession(userIds[role] ?? "")).split(";")[0] ?? "";
        const request = new Request(url, {
          method: "POST",
          headers: { ...bad.headers, Origin: "http://localhost", Cookie: `${sessionCookie}; ${pendingCookie}`, Authorization: `Bearer ${bearer[role]}` },
          body: bad.body,
        });
        const answer = await status(route.action({ request, params, context: {} }));
        expect(answer.status, `${file} as ${role} with ${bad.name}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
        expect(answer.text).not.toMatch(/\n\s+at |node_modules|\/work\//);
        reachedWith.push(answer.status);
        if (process.env.DEBUG_FORMS) process.stdout.write(`${file} ${role} ${bad.name} ${answer.status}\n`);
      }
    }
    // A route that reads a form says what was wrong with the body to at least the role that reaches it.
    if (/readForm\(/.test(readFileSync(path.join(ROUTES_DIR, file), "utf8"))) {
      expect(reachedWith).toContain(415);
      expect(reachedWith).toContain(400);
    }
  });

  it("every route reads its form through readForm, never request.formData() directly", () => {
    for (const file of readdirSync(ROUTES_DIR)) {
      expect(readFileSync(path.join(ROUTES_DIR, file), "utf8"), file).not.toMatch(/request\.formData\(\)/);
    }
  });
});

describe("other bad input that caused a 5xx", () => {
  async function as(role: (typeof ROLES)[number]) {
    const { createSession } = await import("~/utils/auth/session.server");
    return (await createSession(userIds[role] ?? "")).split(";")[0] ?? "";
  }
  const form = (url: string, cookie: string, fields: Record<string, string>) =>
    new Request(url, {
      method: "POST",
      headers: { Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });

  it("an API token for a user that does not exist: 404 with a message, nothing stored", async () => {
    const { action } = await import("~/routes/admin.users");
    const answer = await status(action({ request: form("http://localhost/admin/users", await as("admin"), { intent: "token", userId: "nope", name: "x" }), params: {}, context: {} }));
    expect(answer.status).toBe(404);
    expect(answer.text).toMatch(/bestaat niet/);
    for (const intent of ["role", "password", "active"]) {
      const fields = { intent, userId: "nope", role: "manager", password: "a-long-enough-password", active: "false" };
      const other = await status(action({ request: form("http://localhost/admin/users", await as("admin"), fields), params: {}, context: {} }));
      expect(other.status, intent).toBeLessThan(500);
    }
  });

  it("the audit log with a date beyond what the database stores: the filter is ignored", async () => {
    const { loader } = await import("~/routes/audit");
    for (const query of ["to=9999-12-31", "from=9999-12-31", "from=0000-01-01&to=0000-01-01", "to=2025-02-30"]) {
      const request = new Request(`http://localhost/audit?${query}`, { headers: { Cookie: await as("manager") } });
      const answer = await status(loader({ request, params: {}, context: {} }));
      expect(answer.status, query).toBe(200);
    }
  });

  it("/lang with a carriage return in redirectTo: a redirect home, not a broken header", async () => {
    const { action } = await import("~/routes/lang");
    for (const redirectTo of ["/\r/x", "/\n/x", "/\t/evil.example", "//evil.example"]) {
      const answer = await action({ request: form("http://localhost/lang", "", { lang: "en", redirectTo }), params: {}, context: {} });
      expect(answer.status).toBe(302);
      expect(answer.headers.get("Location")).toBe("/");
    }
  });
});
