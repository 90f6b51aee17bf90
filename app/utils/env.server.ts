import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { TrainThreadsSchema } from "../../model/parallel/threads";
import { ROLES, type Role } from "./auth/roles";
import { LogLevelSchema } from "./log.server";
import { RetentionEnvShape } from "./retention";
import { invalidConfiguration } from "./invalid-configuration";

// --- OpenID Connect (docs/decisions/002-oidc-login.md) ---------------------------------------
/** All or none: OIDC is on when OIDC_ISSUER is set, and then every one of these must be set. */
export const OIDC_VARS = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_REDIRECT_URI", "OIDC_ROLE_CLAIM", "OIDC_ROLE_MAP"] as const;
export type RoleMapping = { value: string; role: Role };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** An http(s) URL; plain http only for this machine (a local test provider). */
const OidcUrlSchema = z.url({ protocol: /^https?$/ }).refine((value) => {
  if (!URL.canParse(value)) return true; // z.url() has reported it already
  const url = new URL(value);
  return url.protocol === "https:" || LOCAL_HOSTS.has(url.hostname);
}, "must be an https URL (http only for localhost)");

/** "claim-value:role,claim-value:role"; the claim value may itself contain colons. Order is precedence. */
export const RoleMapSchema = z.string().transform((text, ctx): RoleMapping[] => {
  const mappings: RoleMapping[] = [];
  for (const entry of text.split(",").map((e) => e.trim()).filter((e) => e.length > 0)) {
    const at = entry.lastIndexOf(":");
    const value = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at <= 0 || value.length === 0) {
      ctx.addIssue({ code: "custom", message: `entry ${mappings.length + 1} is not "claim-value:role"` });
      return z.NEVER;
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: "custom", message: `entry ${mappings.length + 1} maps to unknown role "${role}" (one of ${ROLES.join(", ")})` });
      return z.NEVER;
    }
    if (mappings.some((m) => m.value === value)) {
      ctx.addIssue({ code: "custom", message: `entry ${mappings.length + 1} repeats a claim value` });
      return z.NEVER;
    }
    mappings.push({ value, role: role as Role });
  }
  if (mappings.length === 0) {
    ctx.addIssue({ code: "custom", message: 'must map at least one claim value, e.g. "tw-klantmanager:caseworker"' });
    return z.NEVER;
  }
  return mappings;
});

/** An unset or empty variable is "not set" (an empty line in a .env file). */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const OidcEnvShape = {
  OIDC_ISSUER: optional(OidcUrlSchema),
  OIDC_CLIENT_ID: optional(z.string()),
  OIDC_CLIENT_SECRET: optional(z.string()),
  OIDC_REDIRECT_URI: optional(OidcUrlSchema),
  OIDC_ROLE_CLAIM: optional(z.string()),
  OIDC_ROLE_MAP: optional(RoleMapSchema),
};
export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; redirectUri: string; roleClaim: string; roleMap: RoleMapping[] };
// ---------------------------------------------------------------------------------------------

/** Worker threads computing recommendations (0: in the server thread); default one per core but one. */
const ModelThreadsSchema = z.coerce.number().int().min(0).max(16).default(Math.min(4, availableParallelism() - 1));

/** MODEL_THREADS alone, for code that needs no other setting (validated again with the rest at start-up). */
export function getModelThreads(): number {
  const parsed = ModelThreadsSchema.safeParse(process.env.MODEL_THREADS === "" ? undefined : process.env.MODEL_THREADS);
  if (!parsed.success) throw new Error("Invalid configuration:\n  MODEL_THREADS: must be a whole number from 0 to 16");
  return parsed.data;
}

/** Configuration from environment variables, validated once at start-up (STYLE.md: env checked by zod). */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:|postgres(ql)?:\/\/)/, "must be a file:, libsql: or postgresql:// URL")
    .default(`file:${path.resolve("data/trajectwijzer.db")}`),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  PSEUDONYM_KEY: z.string().min(32, "must be at least 32 characters"),
  MODEL_DIR: z.string().min(1).default(path.resolve("data/models")),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  MODEL_THREADS: ModelThreadsSchema,
  /** Threads of a retraining run (read by the training process itself; unset: one per core). */
  TRAIN_THREADS: optional(TrainThreadsSchema),
  /** "1" (default): the demo (demo accounts, synthetic data, a demo model); "0": production mode. */
  TRAJECTWIJZER_DEMO: z
    .enum(["0", "1"], { message: 'must be "0" (production) or "1" (demo)' })
    .default("1")
    .transform((v) => v === "1"),
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** How much the server logs (app/utils/log.server.ts); default info. */
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), LogLevelSchema.default("info")),
  /** Retention periods for `npm run purge` (app/utils/retention.ts): checked at start-up too. */
  ...RetentionEnvShape,
  ...OidcEnvShape,
})
  .superRefine((env, ctx) => {
    const set = OIDC_VARS.filter((name) => env[name] !== undefined);
    if (set.length === 0) return;
    for (const name of OIDC_VARS) {
      if (env[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: `must be set when OpenID Connect is configured (${set.join(", ")} set)` });
    }
  })
  .transform(({ OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_ROLE_CLAIM, OIDC_ROLE_MAP, ...rest }) => {
    const oidc: OidcSettings | null =
      OIDC_ISSUER && OIDC_CLIENT_ID && OIDC_CLIENT_SECRET && OIDC_REDIRECT_URI && OIDC_ROLE_CLAIM && OIDC_ROLE_MAP
        ? { issuer: OIDC_ISSUER, clientId: OIDC_CLIENT_ID, clientSecret: OIDC_CLIENT_SECRET, redirectUri: OIDC_REDIRECT_URI, roleClaim: OIDC_ROLE_CLAIM, roleMap: OIDC_ROLE_MAP }
        : null;
    return { ...rest, oidc };
  });
export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Validates a set of variables; the error names each bad variable and its rule. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  return parsed.data;
}

/** What the browser may see of the configuration: nothing secret. */
export function getPublicEnv() {
  return { NODE_ENV: getEnv().NODE_ENV };
}
