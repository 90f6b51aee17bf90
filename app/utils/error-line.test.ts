import { describe, expect, it, vi } from "vitest";
import { errorLine } from "./error-line";

/** A Prisma error as the driver adapters throw it: the message starts with a newline and quotes our source. */
function prismaError(code: string, reason: string) {
  const error = new Error(`\nInvalid \`db.apiToken.create()\` invocation in\n/work/main/app/models/user.server.ts:80:27\n\n  79 const x = 1;\n→ 80 await db.apiToken.create(\n${reason}`);
  error.name = "PrismaClientKnownRequestError";
  return Object.assign(error, { code, meta: { modelName: "ApiToken" } });
}

function expectUseful(line: string) {
  expect(line.trim().length).toBeGreaterThan(0);
  expect(line).not.toMatch(/[\r\n]/);
  expect(line).not.toContain("[object Object]");
  expect(line).not.toMatch(/\/work\/|node_modules|\.tsx?:\d+/);
  expect(line.length).toBeLessThanOrEqual(300);
}

describe("errorLine", () => {
  it("a Prisma error: its code and its reason, not the quoted source", () => {
    const line = errorLine(prismaError("P2003", "Foreign key constraint violated on the foreign key"));
    expectUseful(line);
    expect(line).toBe("PrismaClientKnownRequestError P2003: Foreign key constraint violated on the foreign key");
  });

  it("a plain error: name and first line", () => {
    expect(errorLine(new TypeError("Headers.set: invalid value\nmore"))).toBe("TypeError: Headers.set: invalid value");
  });

  it.each([
    ["an object", { some: "thing", bsn: "123456782" }],
    ["null", null],
    ["undefined", undefined],
    ["an empty error", new Error("")],
    ["an error of only newlines", new Error("\n\n")],
    ["a string with a carriage return", "bad\r\nline"],
    ["a very long message", new Error("x".repeat(5000))],
    ["a thrown Response", new Response("secret body", { status: 502 })],
  ])("%s: one useful line without its data", (_name, thrown) => {
    const line = errorLine(thrown);
    expectUseful(line);
    expect(line).not.toContain("123456782");
    expect(line).not.toContain("secret body");
  });
});

describe("handleError", () => {
  it("logs one JSON line per server error: level, request id, method, path and the error's line", async () => {
    const { handleError } = await import("../entry.server");
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const request = new Request("http://localhost/admin/users?token=abc", { method: "POST", headers: { "x-tw-request-id": "req-12345678" } });
    handleError(prismaError("P2002", "Unique constraint failed on the fields: (`code`)"), { request, params: {}, context: {} });
    handleError({ not: "an error" }, { request, params: {}, context: {} });
    expect(spy).toHaveBeenCalledTimes(2);
    const lines = spy.mock.calls.map((call) => String(call[0]));
    for (const line of lines) {
      expect(line).not.toContain("\n");
      expect(line).not.toContain("token=abc");
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: "error", reqId: "req-12345678", method: "POST", path: "/admin/users", msg: "server error" });
      expectUseful(String(entry.error));
      expect(Number.isNaN(Date.parse(String(entry.time)))).toBe(false);
    }
    expect(lines[0]).toContain("P2002: Unique constraint failed");
    // An unknown URL is Remix's 404 error response: not a server error, no line. A 5xx one says its status.
    const errorResponse = (status: number) => ({ status, statusText: "x", internal: true, data: "No route matches URL" });
    spy.mockClear();
    handleError(errorResponse(404), { request, params: {}, context: {} });
    expect(spy).not.toHaveBeenCalled();
    handleError(errorResponse(503), { request, params: {}, context: {} });
    expect(JSON.parse(String(spy.mock.calls[0]?.[0]))).toMatchObject({ path: "/admin/users", error: "ErrorResponse 503" });
    spy.mockRestore();
  });
});

describe("log lines in app/", () => {
  it("never interpolate a thrown value's raw message: it may carry request data or a newline", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const files = readdirSync("app", { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f) && !f.includes("generated") && !f.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      for (const line of readFileSync(path.join("app", file), "utf8").split("\n")) {
        if (/console\.(error|warn|log|info)\(/.test(line)) expect(line, file).not.toMatch(/\.message\b|String\((error|thrown|e)\)/);
      }
    }
  });
});
