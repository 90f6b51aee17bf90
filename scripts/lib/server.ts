import { randomBytes } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { API_VERSION } from "../../app/utils/api/api-version";
import { log, loggablePath, REQUEST_ID_HEADER, requestIdFrom } from "../../app/utils/log.server";

/**
 * Security headers on every response, a CSP nonce per response, and the client's address for the audit
 * log (set here so a client cannot forge it). `hsts`: the deployment is served over HTTPS
 * (COOKIE_SECURE=true), so browsers are told to use HTTPS only, for a year.
 */
export function securityHeaders(options: { hsts: boolean }): express.RequestHandler {
  return (req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    if (options.hsts) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    req.headers["x-tw-remote-address"] = req.socket.remoteAddress ?? "unknown";
    next();
  };
}

/**
 * Every request gets an id (a proxy's X-Request-Id when it is plain, else a new one), answered in
 * X-Request-Id and carried by every log line about it; when the answer is sent, one line says what
 * was asked and how it went: method, the path without identifiers or query, status and duration.
 * Never a body, a query string or a header value. Load-balancer health checks log at debug level.
 */
export function requestLogging(): express.RequestHandler {
  return (req, res, next) => {
    const reqId = requestIdFrom(req.headers["x-request-id"]);
    req.headers[REQUEST_ID_HEADER] = reqId;
    res.setHeader("X-Request-Id", reqId);
    const startedAt = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number((process.hrtime.bigint() - startedAt) / 1000n) / 1000;
      const line = { reqId, method: req.method, path: loggablePath(req.path), status: res.statusCode, ms };
      if (req.path === "/health") log.debug(line, "request");
      else if (res.statusCode >= 500) log.error(line, "request");
      else log.info(line, "request");
    });
    next();
  };
}

/**
 * The production HTTP server: static assets, security headers, the client's address for the
 * audit log (set here so a client cannot forge it), and a graceful shutdown on SIGTERM.
 */
export async function serve(options: { port: number; buildDir?: string }) {
  const buildDir = path.resolve(options.buildDir ?? "build");
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  // Behind a TLS-terminating proxy the origin check needs the original protocol.
  if (process.env.TRUST_PROXY === "true") app.set("trust proxy", 1);
  app.use(requestLogging());
  app.use(compression());
  app.use(securityHeaders({ hsts: process.env.COOKIE_SECURE === "true" }));
  // A load balancer stops sending new requests once /health says so; requests in flight still finish.
  let shuttingDown = false;
  app.get("/health", (_req, res, next) => {
    if (!shuttingDown) return next();
    res.status(503).set("Cache-Control", "no-store").json({ status: "shutting_down", database: { reachable: null }, model: null });
  });
  app.use(requestBodyLimit(MAX_REQUEST_BODY_BYTES));
  app.use((req, res, next) => {
    if (isCrossSiteWrite(req)) {
      log.warn({ reqId: req.headers[REQUEST_ID_HEADER], method: req.method, path: loggablePath(req.path) }, "refused: cross-site or unknown origin");
      res.status(403).type("text/plain").send("Verzoek geweigerd: de herkomst van dit formulier is onbekend (CSRF-bescherming).");
      return;
    }
    next();
  });
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce) }) }));
  app.use(requestErrors());

  const server = app.listen(options.port, () => log.info({ port: options.port }, `Trajectwijzer serves http://localhost:${options.port}`));
  const shutdown = (signal: string) => {
    log.info({ signal }, `${signal}: finishing requests in flight, then stopping`);
    shuttingDown = true;
    server.close(() => process.exit(0));
    // Idle keep-alive sockets would hold close() open; requests in flight still finish.
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return server;
}

/**
 * What Express itself refuses before a route runs (a path that is not valid percent-encoding, a
 * malformed body): a 4xx in plain words (problem+json under /api/), and one JSON log line instead of
 * Express's own stack trace on standard error.
 */
export function requestErrors(): express.ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const declared = typeof error === "object" && error !== null && "status" in error ? Number(error.status) : Number.NaN;
    const status = error instanceof URIError ? 400 : declared >= 400 && declared < 600 ? declared : 500;
    // Only the error's kind: Express's messages quote the request's path or body.
    const kind = error instanceof Error ? error.name : "thrown value";
    const line = { reqId: req.headers[REQUEST_ID_HEADER], method: req.method, path: loggablePath(req.path), status, error: kind };
    if (status >= 500) log.error(line, "request failed");
    else log.warn(line, "request refused");
    if (res.headersSent) return;
    if (req.path.startsWith("/api/")) {
      const title = status >= 500 ? "Internal Server Error" : "Bad Request";
      res
        .status(status)
        .set({ "Content-Type": "application/problem+json", "API-Version": API_VERSION, "Cache-Control": "no-store" })
        .send(JSON.stringify({ type: "about:blank", title, status, detail: status >= 500 ? "The request could not be handled." : "The request address or body is not valid." }));
      return;
    }
    res.status(status).type("text/plain").send(status >= 500 ? "Er ging iets mis; probeer het later opnieuw." : "Verzoek geweigerd: het adres of de inhoud is ongeldig.");
  };
}

/** Request bodies on every route (forms, uploads, the JSON API) are at most this large. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Refuses a body over `maxBytes` by its Content-Length (413) before anything reads it. A body without
 * a length (chunked transfer) is refused with 411: browsers and API clients send the length, and
 * counting a stream here would race the request handler for its data.
 */
export function requestBodyLimit(maxBytes: number): express.RequestHandler {
  return (req, res, next) => {
    const length = req.headers["content-length"];
    const chunked = req.headers["transfer-encoding"] !== undefined;
    if (length === undefined && !chunked) return next();
    const status = length === undefined ? 411 : Number(length) > maxBytes || !/^\d+$/.test(length) ? 413 : 0;
    if (status === 0) return next();
    const detail = status === 411 ? "Send the request body with a Content-Length." : `The request body is larger than ${maxBytes} bytes.`;
    res.setHeader("Connection", "close");
    if (req.path.startsWith("/api/")) {
      res
        .status(status)
        .set({ "Content-Type": "application/problem+json", "API-Version": API_VERSION, "Cache-Control": "no-store" })
        .send(JSON.stringify({ type: "about:blank", title: status === 411 ? "Length Required" : "Content Too Large", status, detail }));
    } else {
      res.status(status).type("text/plain").send(status === 411 ? "Verzoek geweigerd: de lengte van de inhoud ontbreekt." : "Verzoek geweigerd: de inhoud is groter dan 1 MB.");
    }
  };
}

/** Scripts only from our origin or with this request's nonce (Remix's inline hydration scripts). */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a state-changing request to the cookie-authenticated app must come from our own origin
 * (Origin header, or Referer when a browser leaves Origin out). The bearer-token API (/api/) carries
 * no cookies and so cannot be ridden by another site.
 */
export function isCrossSiteWrite(req: { method: string; path: string; headers: Record<string, string | string[] | undefined>; protocol: string }): boolean {
  if (SAFE_METHODS.has(req.method) || req.path.startsWith("/api/")) return false;
  const host = req.headers.host;
  if (typeof host !== "string") return true;
  const expected = `${req.protocol}://${host}`;
  const origin = req.headers.origin;
  if (typeof origin === "string" && origin !== "null") return origin !== expected;
  const referer = req.headers.referer;
  if (typeof referer === "string") {
    try {
      return new URL(referer).origin !== expected;
    } catch {
      return true;
    }
  }
  return true;
}
