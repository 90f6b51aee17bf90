import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { log, loggablePath } from "../../app/utils/log.server";
import { requestErrors, requestLogging } from "../../scripts/lib/server";

// Issue 18.6: the server's log is JSON lines with a level and a request id, without personal data or bodies.
let base = "";
let close: () => void = () => undefined;

beforeAll(async () => {
  const app = express();
  app.use(requestLogging());
  app.post("/clients/:code", (_req, res) => {
    res.status(200).send("ok");
  });
  app.get("/boom", (_req, res) => {
    res.status(500).send("no");
  });
  app.get("/health", (_req, res) => {
    res.status(200).send("ok");
  });
  app.get("/api/v1/clients/:code", (_req, res) => {
    res.status(200).send("ok");
  });
  app.use(requestErrors());
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

/** The JSON lines written to standard output while `work` runs. */
async function stdoutLines(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
    // The line is written when the answer has been sent ("finish"): give the server a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    spy.mockRestore();
  }
  return written.join("").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("request log lines", () => {
  it("say method, path without identifiers or query, status, duration and the request id, never the body", async () => {
    let response: Response | undefined;
    const lines = await stdoutLines(async () => {
      response = await fetch(`${base}/clients/K7PQ2ZX9MB?bsn=123456782`, { method: "POST", body: "naam=Jan+Jansen&bsn=123456782" });
    });
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? {};
    expect(line).toMatchObject({ level: "info", msg: "request", method: "POST", path: "/clients/:id", status: 200 });
    expect(typeof line.ms).toBe("number");
    expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    expect(line.reqId).toBe(response?.headers.get("x-request-id"));
    const text = JSON.stringify(lines);
    for (const secret of ["K7PQ2ZX9MB", "123456782", "Jansen"]) expect(text).not.toContain(secret);
  });

  it("keep a proxy's plain X-Request-Id and replace a forged one", async () => {
    const lines = await stdoutLines(async () => {
      const kept = await fetch(`${base}/clients/ABCDEFGHJK`, { method: "POST", headers: { "X-Request-Id": "lb-0123456789abcdef" } });
      expect(kept.headers.get("x-request-id")).toBe("lb-0123456789abcdef");
      const forged = await fetch(`${base}/clients/ABCDEFGHJK`, { method: "POST", headers: { "X-Request-Id": `x" \u00e9 {"level":"fatal"}` } });
      expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(lines.map((l) => l.reqId)).toEqual(["lb-0123456789abcdef", expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });

  it("log a 5xx as an error and health checks only at debug level", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => {
      errors.push(String(line));
    });
    const lines = await stdoutLines(async () => {
      await fetch(`${base}/boom`);
      await fetch(`${base}/health`);
    });
    spy.mockRestore();
    expect(lines).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0] ?? "{}")).toMatchObject({ level: "error", path: "/boom", status: 500 });
  });

  it("a path Express cannot decode is a 400 and one warning line, without the path's text or a stack", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => {
      errors.push(String(line));
    });
    let response: Response | undefined;
    const lines = await stdoutLines(async () => {
      response = await fetch(`${base}/api/v1/clients/123456782%E0%A4%A`);
    });
    spy.mockRestore();
    expect(response?.status).toBe(400);
    expect(response?.headers.get("content-type")).toContain("application/problem+json");
    expect(errors).toEqual([]);
    const warning = lines.find((l) => l.msg === "request refused");
    expect(warning).toMatchObject({ level: "warn", status: 400, error: "URIError", path: "/api/v1/clients/:id" });
    expect(JSON.stringify(lines)).not.toContain("123456782");
  });

  it("follow the level setting", async () => {
    const before = log.level;
    log.level = "warn";
    try {
      expect(await stdoutLines(() => fetch(`${base}/clients/ABCDEFGHJK`, { method: "POST" }))).toHaveLength(0);
    } finally {
      log.level = before;
    }
    log.level = "debug";
    try {
      const lines = await stdoutLines(() => fetch(`${base}/health`));
      expect(lines[0]).toMatchObject({ level: "debug", path: "/health" });
    } finally {
      log.level = before;
    }
  });
});

describe("loggablePath", () => {
  it("keeps our route words and hides codes, versions and ids", () => {
    expect(loggablePath("/api/v1/clients/K7PQ2ZX9MB/recommendation")).toBe("/api/v1/clients/:id/recommendation");
    expect(loggablePath("/clients/ABCDEFGHJK")).toBe("/clients/:id");
    expect(loggablePath("/models/m-20261129-1/card.md")).toBe("/models/:id/card.md");
    expect(loggablePath("/login/totp-setup")).toBe("/login/totp-setup");
    expect(loggablePath("/dashboard/csv/fairness")).toBe("/dashboard/csv/fairness");
    expect(loggablePath("/api/v1/openapi.json")).toBe("/api/v1/openapi.json");
  });
});
