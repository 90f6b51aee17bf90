import { readFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, expect, test } from "./fixtures";

// Runs last (the demo server's specs run in name order on one worker): by now every other spec has exercised the server.
const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";

test("the server log of the whole run holds no secrets and no personal data", async () => {
  const log = readFileSync(path.join(DATA_DIR, "server.log"), "utf8");
  expect(log.length).toBeGreaterThan(100);
  const env = Object.fromEntries(
    readFileSync(path.join(DATA_DIR, ".env"), "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  for (const name of ["SESSION_SECRET", "PSEUDONYM_KEY"]) {
    expect(env[name]?.length ?? 0, name).toBeGreaterThan(30);
    expect(log.includes(env[name] ?? "\u0000"), `${name} in the log`).toBe(false);
  }
  expect(log).not.toContain(DEMO_PASSWORD);
  expect(log).not.toContain(DEMO_TOTP_SECRET);
  // Municipal references typed in the e2e intakes, API tokens, session cookies, BSN-like numbers, postcodes.
  expect(log).not.toMatch(/E2E-\d{10,}/);
  expect(log).not.toMatch(/tw_[A-Za-z0-9_-]{30,}/);
  expect(log).not.toMatch(/tw_session=/);
  // Request ids are random hex: a run of nine hex digits in one is not a citizen service number.
  expect(log.replace(/"reqId":"[^"]*"/g, "")).not.toMatch(/(?<![\d.])\d{9}(?![\d.])/);
  expect(log).not.toMatch(/\b\d{4} ?[A-Z]{2}\b(?= |$)/m);
});

test("the server log is JSON lines with a level, a time and, for requests, a request id (issue 18.6)", async () => {
  const lines = readFileSync(path.join(DATA_DIR, "server.log"), "utf8").split("\n").filter((l) => l.trim() !== "");
  const entries = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON log line: ${line.slice(0, 120)}`);
    }
  });
  for (const entry of entries) {
    expect(["trace", "debug", "info", "warn", "error", "fatal"]).toContain(entry.level);
    expect(Number.isNaN(Date.parse(String(entry.time)))).toBe(false);
  }
  const requests = entries.filter((e) => e.msg === "request");
  expect(requests.length).toBeGreaterThan(50);
  for (const entry of requests) {
    expect(String(entry.reqId)).toMatch(/^[A-Za-z0-9._:-]{8,64}$/);
    expect(String(entry.path)).not.toContain("?");
  }
});
