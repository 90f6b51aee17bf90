import type { z } from "zod";

/**
 * The error for settings that fail their schema: each bad variable with its rule on its own line, never
 * its value (it may be a secret). Shared by the server's start-up settings and the CLIs that read some.
 */
export function invalidConfiguration(error: z.ZodError): Error {
  const lines = error.issues.map((i) => `  ${i.path.join(".") || "settings"}: ${i.message}`);
  return new Error(`Invalid configuration:\n${lines.join("\n")}`);
}
