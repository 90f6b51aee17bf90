/** What a route's loader or action answered. */
export type RouteAnswer = { status: number; location: string | null; body: unknown };

/**
 * A route's answer as a status, redirect target and body, whether it returned or threw, a Response or
 * Remix's data(). A thrown value that is not a Response is what would reach the error boundary: a 500.
 */
export async function routeAnswer(promise: Promise<unknown>): Promise<RouteAnswer> {
  let value: unknown;
  try {
    value = await promise;
  } catch (thrown) {
    if (!(thrown instanceof Response)) return { status: 500, location: null, body: String(thrown) };
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, location: value.headers.get("Location"), body: await value.text() };
  if (value && typeof value === "object" && "init" in value && "data" in value) {
    const init = (value as { init?: { status?: number } | null }).init;
    return { status: init?.status ?? 200, location: null, body: (value as { data: unknown }).data };
  }
  return { status: 200, location: null, body: value };
}
