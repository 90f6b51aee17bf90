import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEMO_PASSWORD, expect, test } from "./fixtures";

// `TRAJECTWIJZER_DEMO=0 npm start` on an empty data directory: the real start path, in production mode,
// next to the demo server of the other specs (its build is reused: same sources, same fingerprint).
const PORT = Number(process.env.E2E_PORT ?? 3100) + 7;
const BASE = `http://localhost:${PORT}`;
let server: ChildProcess;
let dataDir: string;
let output = "";
// Starting a second server (migrations, the start-up checks) takes longer than one test step on a busy machine.
test.describe.configure({ timeout: 240_000 });

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tw-production-"));
  const started = Date.now();
  server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, TRAJECTWIJZER_DEMO: "0", DATA_DIR: dataDir, PORT: String(PORT), BUILD_DIR: process.env.E2E_BUILD_DIR ?? "build", OIDC_ISSUER: "" },
  });
  server.stdout?.on("data", (d) => {
    output += d;
  });
  server.stderr?.on("data", (d) => {
    output += d;
  });
  for (;;) {
    if (server.exitCode !== null) throw new Error(`production start stopped: ${output.slice(-500)}`);
    const ok = await fetch(`${BASE}/login`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() - started > 120_000) throw new Error(`production start did not serve /login within 120 s: ${output.slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("production mode serves the login page without generating data or training a model", async () => {
  expect(output).toContain("productiemodus");
  expect(output).toContain("nog geen actief model");
  // Nothing synthetic was made: no source files, no linked table, no model.
  expect(existsSync(path.join(dataDir, "source"))).toBe(false);
  expect(existsSync(path.join(dataDir, "linked"))).toBe(false);
  const models = path.join(dataDir, "models");
  expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
});

test("the demo password logs nobody in", async ({ request }) => {
  for (const username of ["admin", "klantmanager1", "manager", "datascientist"]) {
    const response = await request.post(`${BASE}/login`, {
      headers: { Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
      data: `username=${username}&password=${DEMO_PASSWORD}`,
      maxRedirects: 0,
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["set-cookie"] ?? "").not.toContain("tw_session");
  }
});
