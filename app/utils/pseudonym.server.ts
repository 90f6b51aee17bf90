import { createPseudonymiser } from "../../model/link/pseudonym";

/** Keyed pseudonym of a municipal reference: HMAC-SHA-256 with PSEUDONYM_KEY, hex. The reference is never stored. */
export function pseudonymise(reference: string, key: string): string {
  // The same keyed hash the linker uses, so one pseudonym scheme serves the app and the secure side.
  return createPseudonymiser(key)(reference.trim());
}

const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** A display code derived from the pseudonym: short, unambiguous to read aloud, no personal data. */
export function displayCode(pseudonym: string): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET[Number.parseInt(pseudonym.slice(i * 2, i * 2 + 2), 16) % CODE_ALPHABET.length];
  return `TW-${code}`;
}
