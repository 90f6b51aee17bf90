import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listUsers } from "~/models/user.server";
import { requireRole } from "~/utils/auth/auth.server";
import { ROLES } from "~/utils/auth/roles";
import { userAdminAction } from "~/utils/auth/user-admin.server";
import { formatDate, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";

export const meta = pageTitle((t) => t.users);

const QuerySchema = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });

/** The accounts, searchable; each opens its own page with the controls (admin.users_.$userId.tsx). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const query = QuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const users = await listUsers({ search: query.q });
  return { q: query.q ?? "", users: users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString().slice(0, 10) })) };
}

/** Creating an account (the other changes are made on the page per user, through the same rules). */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  return userAdminAction(request, admin, await getLang(request));
}

export default function Users() {
  const { users, q } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const roleLabel = (r: string) => t.roleLabels[r as keyof typeof t.roleLabels] ?? r;
  return (
    <div className="page">
      <h1>{t.users}</h1>
      <Form method="get" role="search" className="inline-form">
        <label htmlFor="user-search">{t.admSearchLabel}</label> <input id="user-search" name="q" type="search" defaultValue={q} maxLength={100} />{" "}
        <button type="submit">{t.admSearchButton}</button>
      </Form>
      {users.length === 0 ? (
        <p className="muted">{t.admNoUsers}</p>
      ) : (
        <table data-testid="users">
          <thead>
            <tr>
              <th scope="col">{t.username}</th>
              <th scope="col">{t.displayNameLabel}</th>
              <th scope="col">{t.roleLabel}</th>
              <th scope="col">{t.admTeamLabel}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.dateLabel}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/users/${encodeURIComponent(u.id)}`}>{u.username}</Link>
                </td>
                <td>{u.displayName}</td>
                <td>{roleLabel(u.role)}</td>
                <td>{u.team ?? <span className="muted">{t.admNoTeam}</span>}</td>
                <td>{u.active ? t.activeLabel : t.inactiveLabel}</td>
                <td>{formatDate(u.createdAt, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="create-user-heading">{t.createUser}</h2>
      <Form method="post" aria-labelledby="create-user-heading">
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
        <label htmlFor="new-team">{t.admTeamLabel}</label>
        <input id="new-team" name="team" maxLength={64} aria-describedby="new-team-help" />
        <p className="help" id="new-team-help">
          {t.admTeamHelp}
        </p>
        <label htmlFor="new-password">{t.password}</label>
        <input id="new-password" name="password" type="password" autoComplete="new-password" minLength={12} required />
        <div>
          <button type="submit" className="primary">
            {t.createUser}
          </button>
        </div>
        {result ? (
          <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="create-result">
            {result.message}
          </p>
        ) : null}
      </Form>
    </div>
  );
}
