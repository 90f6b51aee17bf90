import { hash, verify } from "@node-rs/argon2";
import { forgetApiTokens } from "~/utils/api/api.server";
import { getDb } from "~/utils/db.server";
import type { ApiScope } from "~/utils/api/token-scope";
import type { Role } from "~/utils/auth/roles";

const userSelect = { id: true, username: true, displayName: true, role: true, team: true, active: true, mustChangePassword: true, createdAt: true } as const;

/** All accounts, or those whose username, display name or team contains `search`. */
export async function listUsers({ search }: { search?: string } = {}) {
  const term = search?.trim();
  return getDb().user.findMany({
    where: term ? { OR: [{ username: { contains: term.toLowerCase() } }, { displayName: { contains: term } }, { team: { contains: term } }] } : {},
    select: userSelect,
    orderBy: { username: "asc" },
  });
}

export async function getUser({ id }: { id: string }) {
  return getDb().user.findUnique({ where: { id }, select: userSelect });
}

/** The dashboard is organised by team: a case worker's team is what the managers' team filter lists. */
export async function setTeam({ userId, team }: { userId: string; team: string | null }) {
  const { count } = await getDb().user.updateMany({ where: { id: userId }, data: { team } });
  return count === 1;
}

/** `mustChangePassword`: the password is a one-time password that the next login must replace. */
export async function createUser(input: { username: string; displayName: string; role: Role; password: string; team?: string | null; mustChangePassword?: boolean }) {
  const db = getDb();
  if (await db.user.findUnique({ where: { username: input.username }, select: { id: true } })) return { ok: false as const, reason: "duplicate" as const };
  const user = await db.user.create({
    data: {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      team: input.team ?? null,
      mustChangePassword: input.mustChangePassword ?? false,
      passwordHash: await hash(input.password),
    },
    select: { id: true },
  });
  return { ok: true as const, id: user.id };
}

export async function getUserByUsername({ username }: { username: string }) {
  return getDb().user.findUnique({ where: { username }, select: { id: true, username: true, role: true, active: true } });
}

/** Whether the account's password is a one-time password that must be replaced before a session is given. */
export async function mustChangePassword({ userId }: { userId: string }): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { mustChangePassword: true } });
  return user?.mustChangePassword === true;
}

/** Whether `password` is the account's current one (a one-time password may not be kept). */
export async function isCurrentPassword({ userId, password }: { userId: string; password: string }): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return user ? verify(user.passwordHash, password).catch(() => false) : false;
}

/** The account holder's own new password: the one-time flag goes, and every earlier session ends. */
export async function changeOwnPassword({ userId, password }: { userId: string; password: string }) {
  const db = getDb();
  const passwordHash = await hash(password);
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId, active: true }, data: { passwordHash, mustChangePassword: false } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  return updated.count === 1;
}

/**
 * A new role ends every session of the account: a session started under the old role (e.g.
 * without the second factor that the new role requires) must not carry the new one.
 */
export async function setRole({ userId, role }: { userId: string; role: Role }) {
  const db = getDb();
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId }, data: { role } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  forgetApiTokens();
  return updated.count === 1;
}

/**
 * A new password ends every session of the account: whoever had the old one is logged out.
 * `mustChangePassword`: it is a one-time password that the next login must replace.
 */
export async function resetPassword({ userId, password, mustChangePassword = false }: { userId: string; password: string; mustChangePassword?: boolean }) {
  const db = getDb();
  const passwordHash = await hash(password);
  const [updated] = await db.$transaction([
    db.user.updateMany({ where: { id: userId }, data: { passwordHash, mustChangePassword } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  return updated.count === 1;
}

/** Active accounts with this role (e.g. so that the last administrator is not deactivated). */
export async function countActiveUsers({ role }: { role: Role }): Promise<number> {
  return getDb().user.count({ where: { role, active: true } });
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

/** A token for an active account only (a deactivated one gets none: null). `scope`: app/utils/api/token-scope.ts. */
export async function createApiToken({
  userId,
  name,
  tokenHash,
  expiresAt = null,
  scope = "decide",
}: {
  userId: string;
  name: string;
  tokenHash: string;
  expiresAt?: Date | null;
  scope?: ApiScope;
}) {
  const db = getDb();
  const account = await db.user.findUnique({ where: { id: userId }, select: { active: true } });
  if (!account?.active) return null;
  return db.apiToken.create({ data: { userId, name, tokenHash, expiresAt, scope }, select: { id: true } });
}

export async function listApiTokens({ userId }: { userId?: string } = {}) {
  return getDb().apiToken.findMany({
    where: userId ? { userId } : {},
    select: { id: true, name: true, scope: true, createdAt: true, expiresAt: true, revokedAt: true, user: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeApiToken({ tokenId }: { tokenId: string }) {
  const { count } = await getDb().apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetApiTokens();
  return count === 1;
}

/** What a password login needs to know of an account (null when the name is unknown). */
export async function getUserForLogin({ username }: { username: string }) {
  return getDb().user.findUnique({
    where: { username },
    select: { id: true, passwordHash: true, role: true, active: true, totpEnabled: true },
  });
}

/** The local account linked to an identity provider's subject, or null. */
export async function getOidcUser({ issuer, subject }: { issuer: string; subject: string }) {
  return getDb().user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: issuer, oidcSubject: subject } }, select: { id: true, role: true, active: true } });
}

/** The identity provider is the source of an OIDC account's role and name. */
export async function updateOidcUser({ userId, role, displayName }: { userId: string; role: Role; displayName: string }): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { role, displayName }, select: { id: true } });
}

export async function createOidcUser(data: { username: string; displayName: string; role: Role; passwordHash: string; issuer: string; subject: string }) {
  const { issuer, subject, ...rest } = data;
  return getDb().user.create({ data: { ...rest, oidcIssuer: issuer, oidcSubject: subject }, select: { id: true } });
}
