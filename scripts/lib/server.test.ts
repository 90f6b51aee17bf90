import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBodyLimit, securityHeaders } from "./server";

/** The body limit on a real HTTP server: refused before any handler reads the body. */
let base = "";
let close: () => void = () => undefined;
let reached = 0;

beforeAll(async () => {
  const app = express();
  app.use(requestBodyLimit(1000));
  app.all("*", (req, res) => {
    reached++;
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
    });
    req.on("end", () => res.json({ size }));
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe("request body limit", () => {
  it("lets a body up to the limit through", async () => {
    const response = await fetch(`${base}/login`, { method: "POST", body: "x".repeat(1000) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ size: 1000 });
  });

  it("refuses a larger body with 413, as a problem on /api/ and plain text elsewhere", async () => {
    const before = reached;
    const page = await fetch(`${base}/login`, { method: "POST", body: "x".repeat(1001) });
    expect(page.status).toBe(413);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/plain/);
    const api = await fetch(`${base}/api/v1/recommendations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "x".repeat(5000) });
    expect(api.status).toBe(413);
    expect(api.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(api.headers.get("API-Version")).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await api.json()).toMatchObject({ status: 413, title: "Content Too Large" });
    expect(reached).toBe(before);
  });

  it("refuses a body without a length (chunked) with 411", async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("x".repeat(10)));
        controller.close();
      },
    });
    const response = await fetch(`${base}/api/v1/clients`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(response.status).toBe(411);
  });

  it("lets a request without a body through", async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe("security headers", () => {
  async function headersWith(hsts: boolean): Promise<Headers> {
    const app = express();
    app.use(securityHeaders({ hsts }));
    app.get("*", (_req, res) => res.send("ok"));
    const server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      return response.headers;
    } finally {
      server.close();
    }
  }

  it("sends Strict-Transport-Security only when the deployment is on HTTPS (COOKIE_SECURE=true)", async () => {
    expect((await headersWith(true)).get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const plain = await headersWith(false);
    expect(plain.get("strict-transport-security")).toBeNull();
    expect(plain.get("x-content-type-options")).toBe("nosniff");
    expect(plain.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
  });
});
