import { randomUUID } from "node:crypto";
import { type Logger, multistream, pino, stdTimeFunctions } from "pino";
import { z } from "zod";

/**
 * The server's log: one JSON object per line (level, time, request id, message and fields), on
 * standard output, errors on standard error. What goes in is chosen by the caller and never a request
 * body, a query string or a thrown value as such: pass `errorLine(error)` (app/utils/error-line.ts).
 */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;

/** LOG_LEVEL (default info); an unknown value is refused at start-up by the environment check. */
function levelFromEnv(): LogLevel {
  const parsed = LogLevelSchema.safeParse(process.env.LOG_LEVEL || "info");
  return parsed.success ? parsed.data : "info";
}

// Errors go through console.error so that the tests' guard (STYLE.md: an unexpected console.error
// fails a test) still sees them; everything else is written to standard output as it is.
const streams = multistream(
  [
    { level: "trace", stream: { write: (line: string) => process.stdout.write(line) } },
    { level: "error", stream: { write: (line: string) => console.error(line.trimEnd()) } },
  ],
  { dedupe: true },
);

export const log: Logger = pino(
  {
    level: levelFromEnv(),
    base: undefined,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
  streams,
);

/** The request id the HTTP server gave this request (scripts/lib/server.ts): set there, so a client cannot forge it. */
export const REQUEST_ID_HEADER = "x-tw-request-id";

/** An id a proxy or load balancer sent along (X-Request-Id) is kept when it is short and plain; otherwise a new one. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === "string" && /^[A-Za-z0-9._:-]{8,64}$/.test(incoming) ? incoming : randomUUID();
}

/** The log for one request: every line carries its request id. */
export function requestLog(request: Request): Logger {
  const reqId = request.headers.get(REQUEST_ID_HEADER);
  return reqId ? log.child({ reqId }) : log;
}

// Our routes' own path segments are lower-case words ("clients", "totp-setup", "openapi.json", "v1").
const ROUTE_WORD = /^(?:v\d|[a-z]+(?:[.-][a-z]+)*)$/;

/**
 * A path as it may be logged: every segment that is not one of our route words (a client code, a
 * model version, a run id: upper case or digits) becomes ":id", so the log shows which page, not whose.
 */
export function loggablePath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => (segment === "" || (ROUTE_WORD.test(segment) && segment.length <= 32) ? segment : ":id"))
    .join("/");
}
