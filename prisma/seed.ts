import { createReadStream } from "node:fs";
import { hash } from "@node-rs/argon2";
import { parse } from "csv-parse";
import type { PrismaClient } from "../app/generated/prisma/client";
import { displayCode, pseudonymise } from "../app/utils/pseudonym.server";
import { type Role, TOTP_REQUIRED_ROLES } from "../app/utils/auth/roles";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "../app/utils/auth/demo-credentials";
import { encryptTotpSecret } from "../app/utils/auth/totp-secret.server";
import { ClientProfileSchema, REINTEGRATION_FEATURES } from "../model/reintegration";

/** Demo accounts; their password is listed in the README and is for a local demo only. */
export { DEMO_PASSWORD, DEMO_TOTP_SECRET };
export const DEMO_USERS: { username: string; displayName: string; role: Role; team?: string }[] = [
  { username: "klantmanager1", displayName: "Klantmanager Een", role: "caseworker", team: "Team Noord" },
  { username: "klantmanager2", displayName: "Klantmanager Twee", role: "caseworker", team: "Team Zuid" },
  { username: "manager", displayName: "Teammanager", role: "manager" },
  { username: "datascientist", displayName: "Data scientist", role: "datascientist" },
  { username: "admin", displayName: "Beheerder", role: "admin" },
];


export async function seedUsers(db: PrismaClient): Promise<void> {
  for (const user of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { username: user.username }, select: { id: true } });
    if (existing) continue;
    const secondFactor = TOTP_REQUIRED_ROLES.includes(user.role)
      ? { totpSecret: encryptTotpSecret(DEMO_TOTP_SECRET), totpEnabled: true }
      : {};
    await db.user.create({ data: { ...user, ...secondFactor, passwordHash: await hash(DEMO_PASSWORD) } });
  }
}

/** Reads the first `count` profiles of the analysis table: demo clients drawn from the synthetic population. */
async function readProfiles(analysisCsv: string, count: number) {
  const profiles = [];
  const parser = createReadStream(analysisCsv).pipe(parse({ columns: true }));
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const features = Object.fromEntries(REINTEGRATION_FEATURES.map((f) => [f.name, row[f.name]]));
    const parsed = ClientProfileSchema.safeParse(features);
    if (parsed.success) profiles.push(parsed.data);
    if (profiles.length >= count) break;
  }
  parser.destroy();
  return profiles;
}

/** Gives each demo case worker a caseload, once. */
export async function seedCaseload(db: PrismaClient, options: { analysisCsv: string; perCaseworker: number; pseudonymKey: string }) {
  const caseworkers = await db.user.findMany({ where: { role: "caseworker", username: { in: DEMO_USERS.map((u) => u.username) } }, select: { id: true, username: true }, orderBy: { username: "asc" } });
  const profiles = await readProfiles(options.analysisCsv, caseworkers.length * options.perCaseworker);
  const statuses = ["intake", "active", "closed"] as const;
  let created = 0;
  for (const [w, caseworker] of caseworkers.entries()) {
    if ((await db.client.count({ where: { caseworkerId: caseworker.id } })) > 0) continue;
    for (let i = 0; i < options.perCaseworker; i++) {
      const profile = profiles[w * options.perCaseworker + i];
      if (!profile) break;
      const referenceHash = pseudonymise(`demo-${caseworker.username}-${i}`, options.pseudonymKey);
      await db.client.create({
        data: {
          referenceHash,
          code: displayCode(referenceHash),
          caseworkerId: caseworker.id,
          profileJson: JSON.stringify(profile),
          status: statuses[i % 3] ?? "intake",
          lastContactAt: new Date(Date.now() - i * 36 * 3600 * 1000),
        },
      });
      created++;
    }
  }
  return created;
}

/**
 * Registers the demo model that `npm start` trained and checked, and makes it active: the same
 * registration pipeline and promotion rule as every other bundle (app/utils/registry/model-registry.server.ts).
 */
export async function registerDemoModel(model: { dir: string; dataHash: string; trainingTable?: string }): Promise<string> {
  const { promoteRegisteredModel, registerBundle } = await import("../app/utils/registry/model-registry.server");
  const registered = await registerBundle({
    dir: model.dir,
    place: "in-place",
    createdById: null,
    dataHash: model.dataHash,
    trainingTable: model.trainingTable ?? null,
    requirePassed: true,
  });
  if (!registered.ok) throw new Error(`the demo model could not be registered (${registered.code}${registered.detail ? `: ${registered.detail}` : ""})`);
  // The demo start-up trains the first model itself: there is nothing to compare it with.
  const promoted = await promoteRegisteredModel({ id: registered.version, reason: "demo model trained at start-up", userId: null, comparison: "waived" });
  if (!promoted.ok) throw new Error(`the demo model ${registered.version} could not be activated (${promoted.reason})`);
  return registered.version;
}
