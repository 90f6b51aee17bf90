import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { errorLine } from "~/utils/error-line";
import { NonceContext } from "~/utils/nonce";
import { loggablePath, requestLog } from "./utils/log.server";

const ABORT_DELAY = 5_000;

/**
 * Every page and its data may hold personal data (a client's profile and advice) or a secret (a new
 * API token, a TOTP key): no browser cache or proxy keeps them. Static assets do not pass through
 * here (the HTTP server serves them) and stay cacheable.
 */
function noStore(headers: Headers): void {
  headers.set("Cache-Control", "no-store");
}

/** Single-fetch data (`.data`), action answers and their redirects: no-store as the pages. */
export function handleDataRequest(response: Response): Response {
  try {
    noStore(response.headers);
    return response;
  } catch {
    // A Response with immutable headers (Response.redirect): copy it.
    const copy = new Response(response.body, response);
    noStore(copy.headers);
    return copy;
  }
}

/**
 * Renders the whole document before sending it (no out-of-order streaming is used), with the
 * request's CSP nonce on every inline script.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : undefined;
  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          noStore(responseHeaders);
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status }));
          pipe(body);
        },
        onShellError: reject,
        onError() {
          status = 500;
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Server-side errors are logged as one line: no stack with internal paths, no request data
 * (which could hold personal data). An unknown URL or an aborted request is not an error.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (error instanceof Error && /^No route matches URL/.test(error.message)) return;
  // An unknown URL (404) and other answers below 500 are not server errors.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const line = { method: request.method, path: loggablePath(new URL(request.url).pathname), error: errorLine(error) };
  requestLog(request).error(process.env.TRAJECTWIJZER_DEBUG === "1" && error instanceof Error ? { ...line, stack: error.stack } : line, "server error");
};
