import { data as responseData, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createApiToken, createUser, listApiTokens, listUsers, revokeApiToken, resetPassword, setActive, setRole } from "~/models/user.server";
import { newApiToken } from "~/utils/api/api.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { ROLES, RoleSchema } from "~/utils/auth/roles";
import { constraintViolation } from "~/utils/db-errors.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.users);

const Password = z.string().min(12).max(256);
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    username: z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,64}$/),
    displayName: z.string().trim().min(1).max(100),
    role: RoleSchema,
    password: Password,
  }),
  z.object({ intent: z.literal("role"), userId: z.string().min(1).max(64), role: RoleSchema }),
  z.object({ intent: z.literal("password"), userId: z.string().min(1).max(64), password: Password }),
  z.object({ intent: z.literal("active"), userId: z.string().min(1).max(64), active: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("token"), userId: z.string().min(1).max(64), name: z.string().trim().min(1).max(100) }),
  z.object({ intent: z.literal("revoke"), tokenId: z.string().min(1).max(64) }),
]);

const ERRORS = {
  username: { nl: "Gebruikersnaam: 2 tot 64 kleine letters, cijfers, punt, streepje of underscore.", en: "Username: 2 to 64 lower-case letters, digits, dot, hyphen or underscore." },
  displayName: { nl: "Vul een weergavenaam in.", en: "Enter a display name." },
  role: { nl: "Kies een rol.", en: "Choose a role." },
  password: { nl: "Wachtwoord: minstens 12 tekens.", en: "Password: at least 12 characters." },
  duplicate: { nl: "Deze gebruikersnaam bestaat al.", en: "This username already exists." },
  self: { nl: "U kunt uw eigen rol of account niet wijzigen.", en: "You cannot change your own role or account." },
  form: { nl: "Ongeldig verzoek.", en: "Invalid request." },
  unknownUser: { nl: "Deze gebruiker bestaat niet (meer).", en: "This user does not exist (any more)." },
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const [users, tokens] = await Promise.all([listUsers(), listApiTokens()]);
  return {
    users: users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString().slice(0, 10) })),
    tokens: tokens.map((tk) => ({
      id: tk.id,
      name: tk.name,
      username: tk.user.username,
      createdAt: tk.createdAt.toISOString().slice(0, 10),
      revokedAt: tk.revokedAt?.toISOString().slice(0, 10) ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const lang = await getLang(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "form");
    const message = (ERRORS as Record<string, { nl: string; en: string }>)[field] ?? ERRORS.form;
    return { ok: false as const, field, message: message[lang] };
  }
  const data = parsed.data;
  if ("userId" in data && data.userId === admin.id) return { ok: false as const, field: "form", message: ERRORS.self[lang] };
  const log = (action: string, object: string, ok: boolean) => audit({ actorId: admin.id, action, object, result: ok ? "ok" : "failed", request });
  switch (data.intent) {
    case "create": {
      const created = await createUser(data);
      await log("user.create", created.ok ? `user:${created.id}` : "user:?", created.ok);
      return created.ok ? { ok: true as const } : { ok: false as const, field: "username", message: ERRORS.duplicate[lang] };
    }
    case "role":
      await log(`user.role.${data.role}`, `user:${data.userId}`, await setRole(data));
      return { ok: true as const };
    case "password":
      await log("user.password_reset", `user:${data.userId}`, await resetPassword(data));
      return { ok: true as const };
    case "token": {
      const { token, tokenHash } = newApiToken();
      const created = await createApiToken({ userId: data.userId, name: data.name, tokenHash }).catch((error: unknown) => {
        // The account was removed meanwhile, or the form was forged: no such user.
        if (constraintViolation(error) === "foreign_key") return null;
        throw error;
      });
      if (!created) {
        await log("api_token.create", `user:${data.userId}`, false);
        return responseData({ ok: false as const, field: "form", message: ERRORS.unknownUser[lang] }, { status: 404 });
      }
      await log("api_token.create", `api_token:${created.id}`, true);
      // Shown once; only its hash is stored.
      return { ok: true as const, token };
    }
    case "revoke":
      await log("api_token.revoke", `api_token:${data.tokenId}`, await revokeApiToken(data));
      return { ok: true as const };
    case "active":
      await log(data.active === "true" ? "user.activate" : "user.deactivate", `user:${data.userId}`, await setActive({ userId: data.userId, active: data.active === "true" }));
      return { ok: true as const };
  }
}

export default function Users() {
  const { users, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const roleLabel = (r: string) => t.roleLabels[r as keyof typeof t.roleLabels] ?? r;
  return (
    <div className="page">
      <h1>{t.users}</h1>
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : result?.ok ? (
        <div className="notice" role="status">
          <p>{t.saved}</p>
          {"token" in result ? (
            <p>
              {t.tokenOnce} <code data-testid="api-token">{result.token}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.username}</th>
            <th scope="col">{t.displayNameLabel}</th>
            <th scope="col">{t.roleLabel}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">{t.actions}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="role" />
                  <input type="hidden" name="userId" value={u.id} />
                  <label htmlFor={`role-${u.id}`} className="visually-hidden">
                    {t.roleLabel} {u.username}
                  </label>
                  <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {roleLabel(r)}
                      </option>
                    ))}
                  </select>{" "}
                  <button type="submit">{t.change}</button>
                </Form>
              </td>
              <td>{u.active ? t.activeLabel : t.inactiveLabel}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="active" />
                  <input type="hidden" name="userId" value={u.id} />
                  <button type="submit" name="active" value={u.active ? "false" : "true"}>
                    {u.active ? t.deactivate : t.activate}
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="password" />
                  <input type="hidden" name="userId" value={u.id} />
                  <label htmlFor={`pw-${u.id}`}>
                    {t.newPassword} <span className="visually-hidden">{u.username}</span>
                  </label>
                  <input id={`pw-${u.id}`} name="password" type="password" autoComplete="new-password" minLength={12} />{" "}
                  <button type="submit">{t.resetPassword}</button>
                </Form>
                {u.role === "caseworker" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="token" />
                    <input type="hidden" name="userId" value={u.id} />
                    <input type="hidden" name="name" value={`${u.username} API`} />
                    <button type="submit">{t.createToken}</button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t.apiTokens}</h2>
      {tokens.length === 0 ? (
        <p className="muted">{t.noTokens}</p>
      ) : (
        <table data-testid="tokens">
          <thead>
            <tr>
              <th scope="col">{t.tokenName}</th>
              <th scope="col">{t.username}</th>
              <th scope="col">{t.dateLabel}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr key={tk.id}>
                <td>{tk.name}</td>
                <td>{tk.username}</td>
                <td>{tk.createdAt}</td>
                <td>
                  {tk.revokedAt ? (
                    `${t.revoked} ${tk.revokedAt}`
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="tokenId" value={tk.id} />
                      <button type="submit">{t.revoke}</button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t.createUser}</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="create" />
        <label htmlFor="new-username">{t.username}</label>
        <input id="new-username" name="username" autoComplete="off" required />
        <label htmlFor="new-displayName">{t.displayNameLabel}</label>
        <input id="new-displayName" name="displayName" required />
        <label htmlFor="new-role">{t.roleLabel}</label>
        <select id="new-role" name="role" defaultValue="caseworker">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </select>
        <label htmlFor="new-password">{t.password}</label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} required />
        <div>
          <button type="submit" className="primary">
            {t.createUser}
          </button>
        </div>
      </Form>
    </div>
  );
}
