/** Only same-site paths: an attacker-supplied "//evil.example" or "https://…" falls back to the default. */
export function safeRedirect(to: string | null | undefined, fallback: string): string {
  if (!to?.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
