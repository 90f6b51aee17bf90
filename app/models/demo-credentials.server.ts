import { verify } from "@node-rs/argon2";
import type { PrismaClient } from "~/generated/prisma/client";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "~/utils/auth/demo-credentials";
import { decryptTotpSecret } from "~/utils/auth/totp-secret.server";

export type DemoCredentialFinding = { username: string; demoPassword: boolean; demoTotpKey: boolean };

/**
 * Every account (active or not: an inactive one can be reactivated) that still has the published demo
 * password or the published demo TOTP key. Checks run a few at a time: each password check is a full argon2 hash.
 */
export async function accountsWithDemoCredentials(db: Pick<PrismaClient, "user">): Promise<DemoCredentialFinding[]> {
  const users = await db.user.findMany({ select: { username: true, passwordHash: true, totpSecret: true }, orderBy: { username: "asc" } });
  const findings: DemoCredentialFinding[] = [];
  for (let i = 0; i < users.length; i += 4) {
    const batch = users.slice(i, i + 4);
    const checked = await Promise.all(
      batch.map(async (user) => ({
        username: user.username,
        demoPassword: user.passwordHash.startsWith("$argon2") && (await verify(user.passwordHash, DEMO_PASSWORD).catch(() => false)),
        demoTotpKey: user.totpSecret !== null && decryptTotpSecret(user.totpSecret) === DEMO_TOTP_SECRET,
      })),
    );
    findings.push(...checked.filter((c) => c.demoPassword || c.demoTotpKey));
  }
  return findings;
}

/** The start-up refusal in production mode: one line naming the accounts and what to do. */
export function demoCredentialsRefusal(findings: DemoCredentialFinding[]): string | null {
  if (findings.length === 0) return null;
  const list = findings.map((f) => `${f.username} (${[f.demoPassword ? "demo password" : "", f.demoTotpKey ? "demo TOTP key" : ""].filter(Boolean).join(", ")})`);
  return `production mode (TRAJECTWIJZER_DEMO=0) refuses to start: ${findings.length} account(s) still have the published demo credentials: ${list.join("; ")}; reset them with npm run users -- reset-password --username NAME (and a new TOTP enrolment) or deactivate and replace them`;
}
