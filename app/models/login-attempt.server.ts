import { createHmac } from "node:crypto";
import { getDb } from "~/utils/db.server";
import { constraintViolation } from "~/utils/db-errors.server";
import { getEnv } from "~/utils/env.server";

/** Password checks allowed per account and per address in the window; more are refused before any hash is checked. */
export const LOGIN_LIMIT = { perAccount: 5, perAddress: 20, windowMs: 15 * 60 * 1000 };

type Slot = { key: string; slot: number; at: Date };
export type Reservation = { ok: true; slots: Slot[] } | { ok: false; retryAfterSeconds: number };

/** A keyed hash, so the table never holds a typed username (which may be a mistyped password) or an address. */
function throttleKey(kind: "account" | "address", value: string): string {
  return `${kind}:${createHmac("sha256", getEnv().SESSION_SECRET).update(value).digest("hex").slice(0, 32)}`;
}

/**
 * Claims one of `limit` slots of a key: a free slot by inserting it (the unique (key, slot) lets exactly one
 * of several parallel inserts win), or a slot whose attempt left the window by a conditional update (exactly
 * one wins: both databases re-check the condition under the row lock). A slot is reused only once its attempt
 * is older than the window, so no window ever holds more than `limit` checks, under any concurrency.
 */
async function claimSlot(key: string, limit: number, now: Date): Promise<Slot | { retryAt: number }> {
  const db = getDb();
  const since = new Date(now.getTime() - LOGIN_LIMIT.windowMs);
  const held = new Map((await db.loginAttempt.findMany({ where: { key }, select: { slot: true, at: true } })).map((r) => [r.slot, r.at]));
  for (let slot = 0; slot < limit; slot++) {
    const at = held.get(slot);
    if (at === undefined) {
      try {
        await db.loginAttempt.create({ data: { key, slot, at: now }, select: { id: true } });
        return { key, slot, at: now };
      } catch (error) {
        if (constraintViolation(error) !== "unique") throw error;
      }
    } else if (at < since) {
      const { count } = await db.loginAttempt.updateMany({ where: { key, slot, at: { lt: since } }, data: { at: now } });
      if (count === 1) return { key, slot, at: now };
    }
  }
  const oldest = await db.loginAttempt.findFirst({ where: { key }, orderBy: { at: "asc" }, select: { at: true } });
  return { retryAt: (oldest?.at.getTime() ?? now.getTime()) + LOGIN_LIMIT.windowMs };
}

/** Reserves one password check for this account and this address before the hash check runs. */
export async function reserveLoginAttempt(options: { username: string; origin: string; now?: Date }): Promise<Reservation> {
  const now = options.now ?? new Date();
  const retryAfter = (retryAt: number) => Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
  const account = await claimSlot(throttleKey("account", options.username), LOGIN_LIMIT.perAccount, now);
  if ("retryAt" in account) return { ok: false, retryAfterSeconds: retryAfter(account.retryAt) };
  const address = await claimSlot(throttleKey("address", options.origin), LOGIN_LIMIT.perAddress, now);
  if ("retryAt" in address) {
    await releaseLoginAttempt([account]);
    return { ok: false, retryAfterSeconds: retryAfter(address.retryAt) };
  }
  return { ok: true, slots: [account, address] };
}

/** A successful login is not a failed attempt: its slots are freed (only if still its own). */
export async function releaseLoginAttempt(slots: Slot[]): Promise<void> {
  const db = getDb();
  for (const { key, slot, at } of slots) await db.loginAttempt.deleteMany({ where: { key, slot, at } });
}
