import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type CliRun, runCli, runInProcess } from "../setup/run-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSecretsFile } from "../../scripts/lib/app-env";
import { main as usersMain } from "../../scripts/users";

/**
 * `npm run users` as a real process on a fresh DATA_DIR (nothing else: the CLI sets up the database as
 * `npm start` would; later commands run its main in this process, on the same DATA_DIR, to keep the
 * suite fast), and the accounts it makes, used through the app's own route modules as a server
 * on that DATA_DIR would: the first administrator logs in only after the second factor and a new password.
 */
type Run = CliRun;
let dataDir: string;
/** km1's API token, from the token test, for the deactivation test. */
let km1Token = "";

/** The CLI as a real process (the first run and --help), otherwise its main in this process. */
async function users(args: string[], asProcess = false): Promise<Run> {
  if (asProcess) return runCli("users.ts", args, { env: { DATA_DIR: dataDir, DATABASE_URL: "", MODEL_DIR: "" } });
  const run = await runInProcess(usersMain, args);
  return { code: run.exit ?? 0, stdout: run.stdout, stderr: run.stderr };
}

const oneTimePassword = (run: Run) => /one-time password.*\(shown once\): (\S+)/.exec(run.stdout)?.[1] ?? "";

/** Cookies a browser would send back after these responses (name=value; expired ones dropped). */
function cookieJar() {
  const jar = new Map<string, string>();
  return {
    take(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const at = pair.indexOf("=");
        const name = pair.slice(0, at);
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || pair.slice(at + 1) === "") jar.delete(name);
        else jar.set(name, pair.slice(at + 1));
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
    has: (name: string) => jar.has(name),
  };
}

type Jar = ReturnType<typeof cookieJar>;

function post(url: string, jar: Jar, fields: Record<string, string>): Request {
  return new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.header(), Origin: "http://localhost" },
    body: new URLSearchParams(fields),
  });
}
const get = (url: string, jar: Jar) => new Request(`http://localhost${url}`, { headers: { Cookie: jar.header() } });

/** A route's answer as a Response (thrown or returned), or its plain data. */
async function answer(result: Promise<unknown>): Promise<Response | unknown> {
  try {
    return await result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
async function redirectOf(result: Promise<unknown>, jar: Jar): Promise<string | null> {
  const value = await answer(result);
  if (!(value instanceof Response)) return null;
  jar.take(value);
  return value.status >= 300 && value.status < 400 ? value.headers.get("Location") : null;
}

let routes: {
  login: typeof import("~/routes/login");
  totpSetup: typeof import("~/routes/login_.totp-setup");
  totpLogin: typeof import("~/routes/login_.totp");
  password: typeof import("~/routes/login_.password");
};
let totp: typeof import("~/utils/auth/totp");
const ctx = { params: {}, context: {} };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tw-users-cli-"));
  const empty = await users(["list"], true);
  expect(empty).toMatchObject({ code: 0, stdout: "no accounts\n" });
  // This process stands in for a server on the same DATA_DIR: its database and its secrets.
  Object.assign(process.env, readSecretsFile(dataDir), { DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "trajectwijzer.db")}`, MODEL_DIR: path.join(dataDir, "models") });
  routes = {
    login: await import("~/routes/login"),
    totpSetup: await import("~/routes/login_.totp-setup"),
    totpLogin: await import("~/routes/login_.totp"),
    password: await import("~/routes/login_.password"),
  };
  totp = await import("~/utils/auth/totp");
}, 240_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm run users", { timeout: 300_000 }, () => {
  it("--help, bad input and a missing account: usage or one line, exit 0 / 1", async () => {
    const help = await users(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create --username U --role R \[--team T\]/);
    expect((await users(["token", "--help"])).stdout).toMatch(/--expires-days D/);
    for (const [args, pattern] of [
      [[], /^users: error: missing command/],
      [["create", "--username", "beheer", "--role", "boss"], /^users create: error: --role: /],
      [["create", "--role", "admin"], /^users create: error: --username: is required/],
      [["token", "--username", "beheer", "--name", "x", "--expires-days", "0"], /^users token: error: --expires-days: /],
      [["deactivate", "--username", "nobody"], /^users deactivate: error: --username: there is no account with this username/],
    ] as const) {
      const run = await users([...args]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(pattern)]);
      expect(run.stdout).toBe("");
    }
  });

  it("create makes the first administrator, who gets a session only after a second factor and a new password", async () => {
    const created = await users(["create", "--username", "beheer", "--role", "admin"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const oneTime = oneTimePassword(created);
    expect(oneTime).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    expect(created.stdout).toMatch(/must replace this password, and then enrols a second factor/);
    expect((await users(["create", "--username", "beheer", "--role", "admin"])).code).toBe(2);

    // Password: on to the second factor's enrolment; no session.
    const jar = cookieJar();
    expect(await redirectOf(routes.login.action({ request: post("/login", jar, { username: "beheer", password: oneTime }), ...ctx }), jar)).toBe("/login/totp-setup");
    expect(jar.has("tw_session")).toBe(false);
    // The password page is not a way around the second factor.
    expect(await redirectOf(routes.password.loader({ request: get("/login/password", jar), ...ctx }), jar)).toBe("/login/totp-setup");
    const setup = (await routes.totpSetup.loader({ request: get("/login/totp-setup", jar), ...ctx })) as { secret: string };
    // Second factor: on to the password change, still no session.
    const code = totp.totp(setup.secret);
    expect(await redirectOf(routes.totpSetup.action({ request: post("/login/totp-setup", jar, { code }), ...ctx }), jar)).toBe("/login/password");
    expect(jar.has("tw_session")).toBe(false);
    expect(await answer(routes.password.loader({ request: get("/login/password", jar), ...ctx }))).toBeNull();
    // Bad new passwords are answered on the page.
    expect(await answer(routes.password.action({ request: post("/login/password", jar, { password: "kort", confirm: "kort" }), ...ctx }))).toEqual({ error: "password" });
    expect(
      await answer(routes.password.action({ request: post("/login/password", jar, { password: "een-lang-wachtwoord", confirm: "een-ander-wachtwoord" }), ...ctx })),
    ).toEqual({ error: "confirm" });
    expect(await answer(routes.password.action({ request: post("/login/password", jar, { password: oneTime, confirm: oneTime }), ...ctx }))).toEqual({ error: "same" });
    expect(jar.has("tw_session")).toBe(false);
    // A new password: now a session, at the administrator's home.
    const chosen = "Mijn-eigen-wachtwoord-2026";
    expect(await redirectOf(routes.password.action({ request: post("/login/password", jar, { password: chosen, confirm: chosen }), ...ctx }), jar)).toBe("/admin/users");
    expect(jar.has("tw_session")).toBe(true);

    // The one-time password no longer works; the chosen one does, with the enrolled factor, and no password page.
    const again = cookieJar();
    expect(await answer(routes.login.action({ request: post("/login", again, { username: "beheer", password: oneTime }), ...ctx }))).toMatchObject({ error: "invalid" });
    expect(await redirectOf(routes.login.action({ request: post("/login", again, { username: "beheer", password: chosen }), ...ctx }), again)).toBe("/login/totp");
    const later = totp.totp(setup.secret, Date.now() + 30_000);
    expect(await redirectOf(routes.totpLogin.action({ request: post("/login/totp", again, { code: later }), ...ctx }), again)).toBe("/admin/users");
    expect(again.has("tw_session")).toBe(true);

    const list = await users(["list"]);
    expect(list.stdout).toMatch(/^USERNAME\s+ROLE\s+TEAM\s+ACTIVE\s+MUST CHANGE PASSWORD\s+CREATED\n/);
    expect(list.stdout).toMatch(/\nbeheer\s+admin\s+yes\s+no\s+\d{4}-\d\d-\d\d\n/);
  });

  it("a case worker with a one-time password goes straight to the password page, without a session", async () => {
    const created = await users(["create", "--username", "km1", "--role", "caseworker", "--team", "Team Noord"]);
    expect(created.code).toBe(0);
    expect(created.stdout).not.toMatch(/second factor/);
    const jar = cookieJar();
    const oneTime = oneTimePassword(created);
    expect(await redirectOf(routes.login.action({ request: post("/login", jar, { username: "km1", password: oneTime }), ...ctx }), jar)).toBe("/login/password");
    expect(jar.has("tw_session")).toBe(false);
    const chosen = "Klantmanager-wachtwoord-1";
    expect(await redirectOf(routes.password.action({ request: post("/login/password", jar, { password: chosen, confirm: chosen }), ...ctx }), jar)).toBe("/clients");
    expect(jar.has("tw_session")).toBe(true);
    expect((await users(["list"])).stdout).toMatch(/\nkm1\s+caseworker\s+Team Noord\s+yes\s+no\s/);

    // reset-password: a new one-time password, the sessions end, and the password page comes back.
    const reset = await users(["reset-password", "--username", "km1"]);
    expect(reset.code).toBe(0);
    const { getSessionUser } = await import("~/utils/auth/session.server");
    expect(await getSessionUser(get("/clients", jar))).toBeNull();
    const next = cookieJar();
    expect(await redirectOf(routes.login.action({ request: post("/login", next, { username: "km1", password: oneTimePassword(reset) }), ...ctx }), next)).toBe(
      "/login/password",
    );
  });

  it("token prints a token, once, that authenticates against /api/v1 as the account until it expires or the account is deactivated", async () => {
    const issued = await users(["token", "--username", "km1", "--name", "zaaksysteem", "--expires-days", "30"]);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^tw_[A-Za-z0-9_-]{40,}$/);
    km1Token = token;
    expect(issued.stderr).not.toContain(token);
    const { requireApiUser } = await import("~/utils/api/api.server");
    const { getDb } = await import("~/utils/db.server");
    const call = (bearer: string) => new Request("http://localhost/api/v1/recommendations", { headers: { Authorization: `Bearer ${bearer}` } });
    const km1 = await getDb().user.findUniqueOrThrow({ where: { username: "km1" }, select: { id: true } });
    expect(await requireApiUser(call(token), ["caseworker"], "recommend")).toEqual({ id: km1.id, role: "caseworker" });
    const stored = await getDb().apiToken.findFirstOrThrow({ where: { name: "zaaksysteem" }, select: { tokenHash: true, expiresAt: true } });
    expect(stored.tokenHash).not.toContain(token);
    expect((stored.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    // An expired token does not authenticate.
    const second = (await users(["token", "--username", "km1", "--name", "verlopen", "--expires-days", "1"])).stdout.trim();
    await getDb().apiToken.updateMany({ where: { name: "verlopen" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await answer(requireApiUser(call(second), ["caseworker"], "recommend"));
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
  });

  it("deactivate: never the last active administrator; an account's tokens stop working", async () => {
    const last = await users(["deactivate", "--username", "beheer"]);
    expect(last.code).toBe(2);
    expect(last.stderr.trim()).toMatch(/^users deactivate: error: --username: this is the last active administrator/);
    const done = await users(["deactivate", "--username", "km1"]);
    expect(done.code).toBe(0);
    expect((await users(["list"])).stdout).toMatch(/\nkm1\s+caseworker\s+Team Noord\s+no\s/);
    expect((await users(["token", "--username", "km1", "--name", "x"])).code).toBe(2);
    // Another instance (this process) remembers a token for at most 3 s.
    await new Promise((r) => setTimeout(r, 3100));
    const { requireApiUser } = await import("~/utils/api/api.server");
    const refused = await answer(requireApiUser(new Request("http://localhost/api/v1/clients", { headers: { Authorization: `Bearer ${km1Token}` } }), ["caseworker"], "read"));
    expect((refused as Response).status).toBe(401);
    const { getDb } = await import("~/utils/db.server");
    const audited = await getDb().auditEvent.findMany({ where: { origin: "cli" }, select: { action: true } });
    expect(new Set(audited.map((a) => a.action))).toEqual(new Set(["user.create", "api_token.create", "user.password_reset", "user.deactivate"]));
  });
});
