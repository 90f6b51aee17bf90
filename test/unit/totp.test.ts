import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchTotp, totp } from "~/utils/auth/totp";

describe("TOTP", () => {
  // RFC 4226 appendix D test values for the secret "12345678901234567890".
  const secret = base32Encode(Buffer.from("12345678901234567890"));
  it("matches the RFC 4226 HOTP test vectors", () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(secret, c))).toEqual(["755224", "287082", "359152", "969429", "520489"]);
  });
  it("matches the RFC 6238 SHA-1 vector at T=59 s (last 6 digits of 94287082)", () => {
    expect(totp(secret, 59_000)).toBe("287082");
  });
  it("accepts one step of drift and nothing further; returns the step for replay protection", () => {
    const t = 1_800_000_000_000;
    expect(matchTotp(secret, totp(secret, t), t)).toBe(Math.floor(t / 30_000));
    expect(matchTotp(secret, totp(secret, t - 30_000), t)).not.toBeNull();
    expect(matchTotp(secret, totp(secret, t - 90_000), t)).toBeNull();
    expect(matchTotp(secret, "12345", t)).toBeNull();
    expect(matchTotp(secret, "abcdef", t)).toBeNull();
  });
  it("base32 round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect([...base32Decode(base32Encode(bytes))]).toEqual([...bytes]);
      }),
    );
  });
});
