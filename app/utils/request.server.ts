/** The client's address as seen by this server, for the audit log and the login rate limit. */
export function requestOrigin(request: Request): string {
  // Only trust a proxy header when the deployment says a proxy sets it.
  if (process.env.TRUST_PROXY === "true") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-tw-remote-address") ?? "local";
}
