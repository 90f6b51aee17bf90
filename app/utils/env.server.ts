import path from "node:path";
import { z } from "zod";

/** Configuration from environment variables, validated once at start-up (STYLE.md: env checked by zod). */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:)/, "must be a file: or libsql: URL")
    .default(`file:${path.resolve("data/trajectwijzer.db")}`),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  PSEUDONYM_KEY: z.string().min(32, "must be at least 32 characters"),
  MODEL_DIR: z.string().min(1).default(path.resolve("data/models")),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    // Name the variable and the rule, never its value: it may be a secret.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** What the browser may see of the configuration: nothing secret. */
export function getPublicEnv() {
  return { NODE_ENV: getEnv().NODE_ENV };
}
