import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { beforeAll, describe, expect, it } from "vitest";
import { createDbClient } from "~/utils/db.server";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "~/utils/auth/demo-credentials";
import { accountsWithDemoCredentials, demoCredentialsRefusal } from "~/models/demo-credentials.server";
import { encryptTotpSecret } from "~/utils/auth/totp-secret.server";
import { seedUsers } from "../../prisma/seed";

process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";
process.env.PSEUDONYM_KEY ??= "test-pseudonym-key-0123456789abcdef";
// The started server decrypts TOTP keys with the SESSION_SECRET these tests encrypt them with.
const SECRETS = { SESSION_SECRET: process.env.SESSION_SECRET, PSEUDONYM_KEY: process.env.PSEUDONYM_KEY };

/** One database migrated the way npm start migrates it (prisma migrate deploy), copied for each test. */
let migratedBase = "";
beforeAll(() => {
  migratedBase = path.join(mkdtempSync(path.join(tmpdir(), "tw-prod-base-")), "trajectwijzer.db");
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${migratedBase}` },
    stdio: "ignore",
  });
});

/** A data directory of its own with a copy of the migrated database. */
function migratedDataDir(): { dataDir: string; url: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tw-prod-"));
  const file = path.join(dataDir, "trajectwijzer.db");
  copyFileSync(migratedBase, file);
  return { dataDir, url: `file:${file}` };
}

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

describe("demo credentials", () => {
  it("finds accounts with the demo password or the demo TOTP key, and only those", async () => {
    const { url } = migratedDataDir();
    const db = createDbClient(url);
    await db.user.create({ data: { username: "pw", displayName: "pw", role: "manager", passwordHash: await hash(DEMO_PASSWORD) } });
    await db.user.create({
      data: { username: "key", displayName: "key", role: "admin", passwordHash: await hash("Another-secret-2026"), totpSecret: encryptTotpSecret(DEMO_TOTP_SECRET), totpEnabled: true },
    });
    await db.user.create({ data: { username: "fine", displayName: "fine", role: "admin", passwordHash: await hash("Another-secret-2026"), totpSecret: encryptTotpSecret("JBSWY3DPEHPK3PXP") } });
    await db.user.create({ data: { username: "oidc", displayName: "oidc", role: "caseworker", passwordHash: "oidc-only" } });
    const findings = await accountsWithDemoCredentials(db);
    expect(findings).toEqual([
      { username: "key", demoPassword: false, demoTotpKey: true },
      { username: "pw", demoPassword: true, demoTotpKey: false },
    ]);
    expect(demoCredentialsRefusal(findings)).toContain("2 account(s)");
    expect(demoCredentialsRefusal([])).toBeNull();
    await db.$disconnect();
  });

  it("npm start in production mode refuses to start while the demo accounts exist", async () => {
    const { dataDir, url } = migratedDataDir();
    const db = createDbClient(url);
    await seedUsers(db);
    await db.$disconnect();
    const result = await start({ ...SECRETS, DATA_DIR: dataDir, DATABASE_URL: url, TRAJECTWIJZER_DEMO: "0", PORT: "3999" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refuses to start: 5 account\(s\) still have the published demo credentials: admin \(demo password, demo TOTP key\)/);
    expect(result.stderr).not.toContain(DEMO_PASSWORD);
  }, 240_000);

  it("refuses a TRAJECTWIJZER_DEMO value other than 0 or 1 with the variable's name", async () => {
    const { dataDir } = migratedDataDir();
    const result = await start({ ...SECRETS, DATA_DIR: dataDir, TRAJECTWIJZER_DEMO: "no" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("TRAJECTWIJZER_DEMO");
  }, 240_000);

  it("stops at start-up on a bad municipal configuration, naming the file and the key", async () => {
    const { dataDir } = migratedDataDir();
    const config = path.join(dataDir, "gemeente.json");
    writeFileSync(config, JSON.stringify({ version: 1, control: "basis" }));
    const result = await start({ ...SECRETS, DATA_DIR: dataDir, MUNICIPALITY_CONFIG: config });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`start: error: ${config}: trajectories:`);
  }, 240_000);
});
