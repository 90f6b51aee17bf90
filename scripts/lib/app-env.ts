import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checkSqliteFile } from "./db-check.js";

/**
 * Where the app's data lives, resolved the same way for `npm start` and for the operations CLIs
 * (`npm run models`, `npm run users`), so a CLI always works on the database and the model folder
 * that the server uses:
 *   DATA_DIR      default data/ (relative to the working directory)
 *   DATABASE_URL  default file:$DATA_DIR/trajectwijzer.db
 *   MODEL_DIR     default $DATA_DIR/models
 *   secrets       SESSION_SECRET and PSEUDONYM_KEY from $DATA_DIR/.env (made on first use, mode 0600)
 */
const LocationEnvSchema = z.object({
  DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).default("data")),
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
  MODEL_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
});

export const SECRET_NAMES = ["SESSION_SECRET", "PSEUDONYM_KEY"] as const;

export type AppLocations = {
  dataDir: string;
  databaseUrl: string;
  modelDir: string;
  /** The variables to hand to the app's modules (and to child processes): locations and secrets. */
  env: Record<string, string>;
};

/** Reads DATA_DIR/.env (NAME=value lines); missing file: nothing. */
export function readSecretsFile(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, ".env");
  const values: Record<string, string> = {};
  if (!existsSync(file)) return values;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values[match[1]] = match[2];
  }
  return values;
}

/**
 * DATA_DIR holds source files with BSNs, the database and the secrets: owner-only. The directory
 * becomes 0700 and what is in it 0600 (0700 for folders), also when an older start left it
 * world-readable; the umask makes everything this process and its children write afterwards the same.
 */
function protectDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const restrict = (target: string, mode: number) => {
    try {
      chmodSync(target, mode);
    } catch {
      // Not ours to change (a read-only or foreign-owned mount): leave it as the operator set it.
    }
  };
  const walk = (dir: string) => {
    restrict(dir, 0o700);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) restrict(full, 0o600);
    }
  };
  walk(dataDir);
}

/** Secrets are generated on first use and kept in DATA_DIR/.env, which git ignores. */
export function ensureSecrets(dataDir: string): Record<string, string> {
  const values = readSecretsFile(dataDir);
  let changed = false;
  for (const name of SECRET_NAMES) {
    if (!values[name]) {
      values[name] = randomBytes(32).toString("hex");
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, ".env"), `${Object.entries(values).map(([k, v]) => `${k}=${v}`).join("\n")}\n`, { mode: 0o600 });
  }
  return values;
}

/**
 * The locations and secrets from `source` (default process.env), exactly as `npm start` uses them.
 * A secret the deployment sets in the environment wins over the generated file's (production sets its own).
 */
export function resolveAppLocations(source: Record<string, string | undefined> = process.env): AppLocations {
  const parsed = LocationEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join(".") ?? "environment"}: ${issue?.message ?? "invalid"}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  protectDataDir(dataDir);
  const secrets = ensureSecrets(dataDir);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "trajectwijzer.db")}`;
  const modelDir = parsed.data.MODEL_DIR ?? path.join(dataDir, "models");
  const fromEnvironment = Object.fromEntries(SECRET_NAMES.flatMap((name) => (source[name] ? [[name, source[name]]] : [])));
  return { dataDir, databaseUrl, modelDir, env: { ...secrets, ...fromEnvironment, DATABASE_URL: databaseUrl, MODEL_DIR: modelDir, DATA_DIR: dataDir } };
}

/** Resolves the locations and puts them into process.env, for app/ modules that read it (getEnv, getDb). */
export function applyAppLocations(): AppLocations {
  const locations = resolveAppLocations();
  Object.assign(process.env, locations.env);
  return locations;
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);
const migrationsDir = (url: string) => (isPostgres(url) ? "prisma/postgresql/migrations" : "prisma/migrations");

/** Whether every migration in the repository is recorded as applied (false when unsure: then migrate). */
export async function isMigrated(databaseUrl: string): Promise<boolean> {
  const wanted = readdirSync(migrationsDir(databaseUrl), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const { createDbClient } = await import("../../app/utils/db.server.js");
  const db = createDbClient(databaseUrl);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return wanted.every((name) => applied.has(name));
  } catch {
    return false;
  } finally {
    await db.$disconnect();
  }
}

/** Brings the database to the current schema: `prisma migrate deploy` (the PostgreSQL migrations for a postgres URL). */
export async function migrateDatabase(options: { databaseUrl: string; env: NodeJS.ProcessEnv; stdio?: "inherit" | "ignore" }): Promise<void> {
  await checkSqliteFile(options.databaseUrl);
  const postgres = isPostgres(options.databaseUrl);
  const args = ["node_modules/prisma/build/index.js", "migrate", "deploy", ...(postgres ? ["--config", "prisma/postgresql/prisma.config.ts"] : [])];
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const child = spawn(process.execPath, args, { stdio: options.stdio === "inherit" ? "inherit" : ["ignore", "pipe", "pipe"], env: options.env });
    child.stdout?.on("data", (d) => {
      output = (output + String(d)).slice(-2000);
    });
    child.stderr?.on("data", (d) => {
      output = (output + String(d)).slice(-2000);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) return resolve();
      const last = output.trim().split("\n").filter(Boolean).at(-1);
      reject(new Error(`the database could not be migrated (prisma migrate deploy exit code ${code}${last ? `: ${last}` : ""})`));
    });
  });
}

/**
 * For the operations CLIs: the locations into process.env and the database migrated (so a fresh data
 * directory works without `npm start` first, e.g. to create the first administrator).
 */
export async function openAppDatabase(): Promise<AppLocations> {
  const locations = applyAppLocations();
  // A database a server already migrated is used as it is; only a new or older one starts the (slower) migration.
  const file = locations.databaseUrl.startsWith("file:") ? locations.databaseUrl.slice("file:".length) : null;
  if ((file !== null && !existsSync(file)) || !(await isMigrated(locations.databaseUrl))) {
    await migrateDatabase({ databaseUrl: locations.databaseUrl, env: process.env });
  }
  return locations;
}
