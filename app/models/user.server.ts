import { hash } from "@node-rs/argon2";
import { forgetApiTokens } from "~/utils/api.server";
import { getDb } from "~/utils/db.server";
import type { Role } from "~/utils/roles";

export async function listUsers() {
  return getDb().user.findMany({
    select: { id: true, username: true, displayName: true, role: true, active: true, createdAt: true },
    orderBy: { username: "asc" },
  });
}

export async function createUser(input: { username: string; displayName: string; role: Role; password: string }) {
  const db = getDb();
  if (await db.user.findUnique({ where: { username: input.username }, select: { id: true } })) return { ok: false as const, reason: "duplicate" as const };
  const user = await db.user.create({
    data: { username: input.username, displayName: input.displayName, role: input.role, passwordHash: await hash(input.password) },
    select: { id: true },
  });
  return { ok: true as const, id: user.id };
}

export async function setRole({ userId, role }: { userId: string; role: Role }) {
  const { count } = await getDb().user.updateMany({ where: { id: userId }, data: { role } });
  forgetApiTokens();
  return count === 1;
}

/** A new password ends every session of the account: whoever had the old one is logged out. */
export async function resetPassword({ userId, password }: { userId: string; password: string }) {
  const db = getDb();
  const passwordHash = await hash(password);
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  return updated.count === 1;
}

/** Deactivating ends all of the account's sessions at once. */
export async function setActive({ userId, active }: { userId: string; active: boolean }) {
  const db = getDb();
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId }, data: { active } }),
    ...(active ? [] : [db.session.deleteMany({ where: { userId } })]),
  ]);
  forgetApiTokens();
  return updated.count === 1;
}

export async function createApiToken({ userId, name, tokenHash }: { userId: string; name: string; tokenHash: string }) {
  return getDb().apiToken.create({ data: { userId, name, tokenHash }, select: { id: true } });
}

export async function listApiTokens() {
  return getDb().apiToken.findMany({
    select: { id: true, name: true, createdAt: true, revokedAt: true, user: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeApiToken({ tokenId }: { tokenId: string }) {
  const { count } = await getDb().apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetApiTokens();
  return count === 1;
}
