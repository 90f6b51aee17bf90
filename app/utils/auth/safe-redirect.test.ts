import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

const ORIGIN = "http://localhost:3000";

/** How a browser would follow the Location header: resolved against the page's origin. */
function followedOrigin(location: string): string {
  return new URL(location, ORIGIN).origin;
}

describe("safeRedirect", () => {
  it("keeps same-origin paths with query and fragment", () => {
    expect(safeRedirect("/clients", "/")).toBe("/clients");
    expect(safeRedirect("/clients/abc?whatif=schulden_opgelost#top", "/")).toBe("/clients/abc?whatif=schulden_opgelost#top");
    expect(safeRedirect("/audit?from=2025-01-01&to=2025-02-01", "/")).toBe("/audit?from=2025-01-01&to=2025-02-01");
  });

  it.each([
    ["protocol-relative", "//evil.example"],
    ["absolute", "https://evil.example/"],
    ["backslash", "/\\evil.example"],
    ["tab after the slash", "/\t/evil.example"],
    ["CR after the slash", "/\r/evil.example"],
    ["LF after the slash", "/\n/evil.example"],
    ["carriage return anywhere", "/clients\r\nSet-Cookie: x=1"],
    ["NUL", "/clients\u0000"],
    ["DEL", "/clients\u007f"],
    ["backslash later", "/clients\\..\\evil"],
    ["double slash later", "/clients//evil.example"],
    ["javascript: scheme", "javascript:alert(1)"],
    ["relative path", "clients"],
    ["empty", ""],
  ])("refuses a %s target", (_name, target) => {
    expect(safeRedirect(target, "/fallback")).toBe("/fallback");
  });

  it("falls back on null and undefined", () => {
    expect(safeRedirect(null, "/x")).toBe("/x");
    expect(safeRedirect(undefined, "/x")).toBe("/x");
  });

  it("never accepts a target that a browser resolves to another origin", () => {
    const pieces = fc.constantFrom("/", "//", "\\", "\t", "\r", "\n", " ", "%2f", "%5c", ".", "..", "evil.example", "@", ":", "?", "#", "http:", "x", "\u0000", "\u00a0");
    const target = fc.oneof(fc.string(), fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join("")), fc.webUrl());
    fc.assert(
      fc.property(target, (t) => {
        const result = safeRedirect(t, "/");
        expect(result.startsWith("/")).toBe(true);
        expect(followedOrigin(result)).toBe(ORIGIN);
        // A Location header must not carry control characters, which browsers strip before resolving.
        expect([...result].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === "\\")).toBe(false);
        expect(result.startsWith("//")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
