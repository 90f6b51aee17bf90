import { data } from "@remix-run/node";
import { z } from "zod";
import { createApiToken, createUser, getUser, resetPassword, revokeApiToken, setActive, setRole, setTeam } from "~/models/user.server";
import { newApiToken } from "../api/api.server";
import { ApiScopeSchema } from "../api/token-scope";
import { audit } from "../audit.server";
import { readForm } from "../forms/form.server";
import type { Lang } from "../i18n";
import { RoleSchema } from "./roles";

/**
 * The administrator's changes to accounts, for the user list (create) and the page per user (role, team,
 * password, active, API tokens). Each answer names its `intent`, so the page shows the confirmation or
 * the error beside the form that was used, and the one-time API token beside the button that made it.
 */
const Password = z.string().min(12).max(256);
const UserId = z.string().min(1).max(64);
const Team = z
  .string()
  .trim()
  .max(64)
  .transform((v) => (v === "" ? null : v));
export const UserActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,64}$/),
    displayName: z.string().trim().min(1).max(100),
    role: RoleSchema,
    team: Team.optional(),
    password: Password,
  }),
  z.object({ intent: z.literal("role"), userId: UserId, role: RoleSchema }),
  z.object({ intent: z.literal("team"), userId: UserId, team: Team }),
  z.object({ intent: z.literal("password"), userId: UserId, password: Password }),
  z.object({ intent: z.literal("active"), userId: UserId, active: z.enum(["true", "false"]) }),
  z.object({
    intent: z.literal("token"),
    userId: UserId,
    name: z.string().trim().min(1).max(100),
    expiresDays: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(3650).optional()),
    scope: ApiScopeSchema.default("recommend"),
  }),
  z.object({ intent: z.literal("revoke"), userId: UserId.optional(), tokenId: z.string().min(1).max(64) }),
]);
export type UserIntent = z.infer<typeof UserActionSchema>["intent"];
const INTENTS = ["create", "role", "team", "password", "active", "token", "revoke"] as const satisfies readonly UserIntent[];

const ERRORS = {
  username: { nl: "Gebruikersnaam: 2 tot 64 kleine letters, cijfers, punt, streepje of underscore.", en: "Username: 2 to 64 lower-case letters, digits, dot, hyphen or underscore." },
  displayName: { nl: "Vul een weergavenaam in.", en: "Enter a display name." },
  role: { nl: "Kies een rol.", en: "Choose a role." },
  team: { nl: "Team: hoogstens 64 tekens.", en: "Team: at most 64 characters." },
  password: { nl: "Wachtwoord: minstens 12 tekens.", en: "Password: at least 12 characters." },
  name: { nl: "Geef het token een naam.", en: "Give the token a name." },
  expiresDays: { nl: "Geldigheid: 1 tot 3650 dagen, of leeg voor tot intrekken.", en: "Validity: 1 to 3650 days, or empty for until revoked." },
  scope: { nl: "Kies wat het token mag.", en: "Choose what the token may do." },
  duplicate: { nl: "Deze gebruikersnaam bestaat al.", en: "This username already exists." },
  self: { nl: "U kunt uw eigen rol of account niet wijzigen.", en: "You cannot change your own role or account." },
  form: { nl: "Ongeldig verzoek.", en: "Invalid request." },
  unknownUser: { nl: "Deze gebruiker bestaat niet (meer).", en: "This user does not exist (any more)." },
  inactive: { nl: "Een gedeactiveerd account krijgt geen API-token.", en: "A deactivated account gets no API token." },
  saved: { nl: "Opgeslagen.", en: "Saved." },
} as const;

export type UserActionResult = { intent: UserIntent | "form"; ok: boolean; message: string; field?: string; token?: string; tokenName?: string };

export async function userAdminAction(request: Request, admin: { id: string }, lang: Lang) {
  const fields = Object.fromEntries(await readForm(request));
  const parsed = UserActionSchema.safeParse(fields);
  const answer = (result: UserActionResult, status = result.ok ? 200 : 400) => data(result, { status });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "form");
    const message = (ERRORS as Record<string, { nl: string; en: string }>)[field] ?? ERRORS.form;
    const intent = z.object({ intent: z.enum(INTENTS) }).safeParse(fields);
    return answer({ intent: intent.success ? intent.data.intent : "form", ok: false, field, message: message[lang] });
  }
  const input = parsed.data;
  const saved = { intent: input.intent, ok: true, message: ERRORS.saved[lang] } as const;
  // The administrator's own account (role, team, deactivation, tokens) is changed by another administrator.
  if ("userId" in input && input.userId === admin.id) return answer({ intent: input.intent, ok: false, field: "form", message: ERRORS.self[lang] });
  const log = (action: string, object: string, ok: boolean) => audit({ actorId: admin.id, action, object, result: ok ? "ok" : "failed", request });
  const exists = "userId" in input && input.userId ? (await getUser({ id: input.userId })) !== null : true;
  if (!exists) {
    await log(`user.${input.intent}`, `user:${"userId" in input ? input.userId : "?"}`, false);
    return answer({ intent: input.intent, ok: false, field: "form", message: ERRORS.unknownUser[lang] }, 404);
  }
  switch (input.intent) {
    case "create": {
      const created = await createUser(input);
      await log("user.create", created.ok ? `user:${created.id}` : "user:?", created.ok);
      return created.ok ? answer(saved) : answer({ intent: "create", ok: false, field: "username", message: ERRORS.duplicate[lang] });
    }
    case "role":
      await log(`user.role.${input.role}`, `user:${input.userId}`, await setRole(input));
      return answer(saved);
    case "team":
      await log("user.team", `user:${input.userId}`, await setTeam(input));
      return answer(saved);
    case "password":
      await log("user.password_reset", `user:${input.userId}`, await resetPassword(input));
      return answer(saved);
    case "active":
      await log(input.active === "true" ? "user.activate" : "user.deactivate", `user:${input.userId}`, await setActive({ userId: input.userId, active: input.active === "true" }));
      return answer(saved);
    case "token": {
      const { token, tokenHash } = newApiToken();
      const expiresAt = input.expiresDays ? new Date(Date.now() + input.expiresDays * 24 * 3600 * 1000) : null;
      const created = await createApiToken({ userId: input.userId, name: input.name, tokenHash, expiresAt, scope: input.scope });
      if (!created) {
        await log("api_token.create", `user:${input.userId}`, false);
        return answer({ intent: "token", ok: false, field: "form", message: ERRORS.inactive[lang] });
      }
      await log("api_token.create", `api_token:${created.id}`, true);
      // Shown once, beside the button that made it; only its hash is stored.
      return answer({ ...saved, token, tokenName: input.name });
    }
    case "revoke":
      await log("api_token.revoke", `api_token:${input.tokenId}`, await revokeApiToken(input));
      return answer(saved);
  }
}
