import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { fill } from "~/components/model-ui";
import { getUser, listApiTokens } from "~/models/user.server";
import { API_SCOPES } from "~/utils/api/token-scope";
import { requireRole } from "~/utils/auth/auth.server";
import { ROLES } from "~/utils/auth/roles";
import { type UserIntent, userAdminAction } from "~/utils/auth/user-admin.server";
import { formatDate, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.user.username ?? "Gebruiker"} — Trajectwijzer` }];

/** One account: its role, team, password, status and API tokens, each with its answer beside its form. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  const user = await getUser({ id: params.userId ?? "" });
  if (!user) throw new Response("Not found", { status: 404 });
  const tokens = await listApiTokens({ userId: user.id });
  return {
    self: user.id === admin.id,
    user: { ...user, createdAt: user.createdAt.toISOString() },
    tokens: tokens.map((tk) => ({
      id: tk.id,
      name: tk.name,
      scope: tk.scope,
      createdAt: tk.createdAt.toISOString(),
      expiresAt: tk.expiresAt?.toISOString() ?? null,
      revokedAt: tk.revokedAt?.toISOString() ?? null,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, ["admin"]);
  return userAdminAction(request, admin, await getLang(request));
}

export default function UserPage() {
  const { user, tokens, self } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const roleLabel = (r: string) => t.roleLabels[r as keyof typeof t.roleLabels] ?? r;
  /** The answer to a form, shown right under it. */
  const answer = (intent: UserIntent, extra?: ReactNode) =>
    result && result.intent === intent ? (
      <div className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"} data-testid={`result-${intent}`}>
        <p>{result.message}</p>
        {extra}
      </div>
    ) : null;
  const hidden = (intent: UserIntent) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="userId" value={user.id} />
    </>
  );
  /** One change to the account: its heading, its form and the answer right under it. */
  const actionSection = (intent: UserIntent, title: string, children: ReactNode, className?: string) => (
    <section aria-labelledby={`${intent}-heading`}>
      <h2 id={`${intent}-heading`}>{title}</h2>
      <Form method="post" className={className}>
        {hidden(intent)}
        {children}
      </Form>
      {answer(intent)}
    </section>
  );
  return (
    <div className="page">
      <p>
        <Link to="/admin/users">{t.admBackToUsers}</Link>
      </p>
      <h1>
        {user.displayName} <span className="muted">({user.username})</span>
      </h1>
      <dl className="profile-list">
        <dt>{t.roleLabel}</dt>
        <dd data-testid="user-role">{roleLabel(user.role)}</dd>
        <dt>{t.admTeamLabel}</dt>
        <dd data-testid="user-team">{user.team ?? t.admNoTeam}</dd>
        <dt>{t.status}</dt>
        <dd data-testid="user-status">{user.active ? t.activeLabel : t.inactiveLabel}</dd>
        <dt>{t.dateLabel}</dt>
        <dd>{formatDate(user.createdAt, t.lang)}</dd>
      </dl>
      {result?.intent === "form" ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}
      {self ? (
        <p className="notice">{t.admOwnAccount}</p>
      ) : (
        <>
          {actionSection(
            "role",
            t.admRoleSection,
            <>
              <label htmlFor="user-role-select">{t.roleLabel}</label>{" "}
              <select id="user-role-select" name="role" defaultValue={user.role}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>{" "}
              <button type="submit">{t.change}</button>
            </>,
            "inline-form",
          )}
          {actionSection(
            "team",
            t.admTeamLabel,
            <>
              <label htmlFor="user-team-input">{t.admTeamLabel}</label>{" "}
              <input id="user-team-input" name="team" defaultValue={user.team ?? ""} maxLength={64} aria-describedby="user-team-help" />{" "}
              <button type="submit">{t.admSaveTeam}</button>
              <p className="help" id="user-team-help">
                {t.admTeamHelp}
              </p>
            </>,
          )}
          {actionSection(
            "active",
            t.admStatusSection,
            <button type="submit" name="active" value={user.active ? "false" : "true"}>
              {user.active ? t.deactivate : t.activate}
            </button>,
          )}
          {actionSection(
            "password",
            t.admPasswordSection,
            <>
              <label htmlFor="user-password">{t.newPassword}</label>{" "}
              <input id="user-password" name="password" type="password" autoComplete="new-password" minLength={12} required />{" "}
              <button type="submit">{t.resetPassword}</button>
            </>,
          )}
        </>
      )}
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t.apiTokens}</h2>
        {tokens.length === 0 ? (
          <p className="muted">{t.noTokens}</p>
        ) : (
          <table data-testid="tokens">
            <thead>
              <tr>
                <th scope="col">{t.tokenName}</th>
                <th scope="col">{t.admTokenScope}</th>
                <th scope="col">{t.dateLabel}</th>
                <th scope="col">{t.admTokenExpires}</th>
                <th scope="col">{t.status}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((tk) => (
                <tr key={tk.id}>
                  <td>{tk.name}</td>
                  <td>{t.admScopeLabels[tk.scope] ?? tk.scope}</td>
                  <td>{formatDate(tk.createdAt, t.lang)}</td>
                  <td>{tk.expiresAt ? formatDate(tk.expiresAt, t.lang) : t.admUntilRevoked}</td>
                  <td>
                    {tk.revokedAt ? (
                      `${t.revoked} ${formatDate(tk.revokedAt, t.lang)}`
                    ) : self ? null : (
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
        {answer("revoke")}
        {self || user.role !== "caseworker" ? null : !user.active ? (
          <p className="muted" data-testid="no-token-inactive">
            {t.admNoTokenInactive}
          </p>
        ) : (
          <Form method="post" aria-labelledby="create-token-heading">
            <h3 id="create-token-heading">{t.createToken}</h3>
            {hidden("token")}
            <div className="field">
              <label htmlFor="token-name">{t.tokenName}</label>
              <input id="token-name" name="name" required maxLength={100} defaultValue={`${user.username} API`} />
            </div>
            <div className="field">
              <label htmlFor="token-expiry">{t.admTokenExpiry}</label>
              <input id="token-expiry" name="expiresDays" type="number" min={1} max={3650} step={1} defaultValue={365} />
            </div>
            <div className="field">
              <label htmlFor="token-scope">{t.admTokenScope}</label>
              <select id="token-scope" name="scope" defaultValue="recommend">
                {API_SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {t.admScopeLabels[s] ?? s}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="primary">
              {t.createToken}
            </button>
            {answer(
              "token",
              result?.token ? (
                <p>
                  {fill(t.admTokenCreated, { name: result.tokenName ?? "" })} {t.tokenOnce} <code data-testid="api-token">{result.token}</code>
                </p>
              ) : null,
            )}
          </Form>
        )}
      </section>
    </div>
  );
}
