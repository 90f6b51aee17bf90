import { createHmac } from "node:crypto";
import { z } from "zod";

/** The secret key: at least 32 characters, from the environment, never written anywhere. */
export const PseudonymKeySchema = z
  .string({ error: "PSEUDONYM_KEY is not set" })
  .min(32, { error: "PSEUDONYM_KEY must be at least 32 characters" });

/** Reads and validates PSEUDONYM_KEY from an environment object; throws one clear error. */
export function requirePseudonymKey(env: Record<string, string | undefined> = process.env): string {
  const parsed = PseudonymKeySchema.safeParse(env.PSEUDONYM_KEY);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "invalid PSEUDONYM_KEY");
  return parsed.data;
}

/** HMAC-SHA-256 of the bsn under the secret key, hex: the same person always gets the same pseudonym. */
export function createPseudonymiser(key: string): (bsn: string) => string {
  PseudonymKeySchema.parse(key);
  const secret = Buffer.from(key, "utf8");
  return (bsn: string) => createHmac("sha256", secret).update(bsn).digest("hex");
}
