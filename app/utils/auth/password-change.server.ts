import { randomInt } from "node:crypto";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { getTotpState } from "~/models/second-factor.server";
import { mustChangePassword } from "~/models/user.server";
import { requirePendingLogin } from "./second-factor.server";
import { RoleSchema, TOTP_REQUIRED_ROLES } from "./roles";

/**
 * /login/password: the pending login of an account whose password is a one-time password
 * (`npm run users -- create` / `reset-password`). It is reached only after the password and, for an
 * account with (or a role that requires) a second factor, after that factor; anything else goes back
 * to the step that is missing.
 */
export async function requirePasswordChange(request: Request) {
  const pending = await requirePendingLogin(request);
  const state = await getTotpState(pending.userId);
  if (!state || !(await mustChangePassword({ userId: pending.userId }))) throw redirect("/login");
  const role = RoleSchema.safeParse(state.role);
  const needsSecondFactor = state.totpEnabled || (role.success && TOTP_REQUIRED_ROLES.includes(role.data));
  if (needsSecondFactor && !pending.secondFactorDone) throw redirect(state.totpEnabled ? "/login/totp" : "/login/totp-setup");
  return pending;
}

/** The same rule as the administrators' form: 12 to 256 characters, typed twice. */
export const NewPasswordSchema = z
  .object({ password: z.string().min(12).max(256), confirm: z.string().max(256) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "mismatch" });

/** Letters and digits that cannot be mistaken for one another when read out or typed over. */
const ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A one-time password: 4 groups of 5 characters (about 114 bits), to be replaced at the first login. */
export function newOneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]).join(""));
  return groups.join("-");
}
