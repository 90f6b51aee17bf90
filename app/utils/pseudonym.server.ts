import { createHash } from "node:crypto";
import { createPseudonymiser } from "../../model/link/pseudonym";

/** Keyed pseudonym of a municipal reference: HMAC-SHA-256 with PSEUDONYM_KEY, hex. The reference is never stored. */
export function pseudonymise(reference: string, key: string): string {
  // The same keyed hash the linker uses, so one pseudonym scheme serves the app and the secure side.
  return createPseudonymiser(key)(reference.trim());
}

const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** 10 characters of 5 bits: 2^50 codes, so even a million clients practically never share one (p ≈ 4·10⁻⁴). */
const CODE_LENGTH = 10;

/**
 * A display code derived from the pseudonym: unambiguous to read aloud, no personal data.
 * `attempt` > 0 derives the next candidate, for the rare case that the first is taken.
 */
export function displayCode(pseudonym: string, attempt = 0): string {
  const hex = attempt === 0 ? pseudonym : createHash("sha256").update(`${pseudonym}:${attempt}`).digest("hex");
  let code = "";
  // 256 is a multiple of 32: every character is equally likely.
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % CODE_ALPHABET.length];
  return `TW-${code}`;
}
