import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

/**
 * The production HTTP server: static assets, security headers, the client's address for the
 * audit log (set here so a client cannot forge it), and a graceful shutdown on SIGTERM.
 */
export async function serve(options: { port: number; buildDir?: string; log?: (line: string) => void }) {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const buildDir = path.resolve(options.buildDir ?? "build");
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use((req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'");
    req.headers["x-tw-remote-address"] = req.socket.remoteAddress ?? "unknown";
    next();
  });
  app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));

  const server = app.listen(options.port, () => log(`Trajectwijzer serves http://localhost:${options.port}`));
  const shutdown = (signal: string) => {
    log(`${signal}: finishing requests in flight, then stopping`);
    server.close(() => process.exit(0));
    // Idle keep-alive sockets would hold close() open; requests in flight still finish.
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  return server;
}
