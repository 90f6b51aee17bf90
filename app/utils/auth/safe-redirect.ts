/** Any origin of our own will do: a target is resolved against it and must stay on it. */
const OWN_ORIGIN = "http://trajectwijzer.invalid";

/**
 * Control characters (a browser strips tab, CR and LF before resolving, so "/\t/evil.example"
 * becomes "//evil.example"), backslashes (read as "/") and "//" anywhere are refused outright.
 */
function hasUnsafeCharacters(to: string): boolean {
  if (to.includes("\\") || to.includes("//")) return true;
  for (let i = 0; i < to.length; i++) {
    const code = to.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Only same-origin paths: the target is resolved against the app's own origin, the way a browser
 * follows a Location header, and accepted only when it stays there. Anything else gives the fallback.
 */
export function safeRedirect(to: string | null | undefined, fallback: string): string {
  if (!to?.startsWith("/") || hasUnsafeCharacters(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("/") && !path.startsWith("//") ? path : fallback;
}
