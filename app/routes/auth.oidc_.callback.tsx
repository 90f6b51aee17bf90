import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle, useT } from "~/utils/i18n";
import { finishOidcLogin, getOidcSettings } from "~/utils/auth/oidc.server";

/**
 * Where the identity provider sends the browser back. `auth.oidc_` keeps this route out of the
 * start route's loader (flat routes would otherwise nest /auth/oidc/callback under /auth/oidc).
 */
export const meta = pageTitle((t) => t.login);

export async function loader({ request }: LoaderFunctionArgs) {
  const settings = getOidcSettings();
  if (!settings) throw new Response("Not Found", { status: 404 });
  const outcome = await finishOidcLogin(settings, request);
  if (outcome.ok) return redirect(outcome.redirectTo, { headers: outcome.headers });
  return data({ error: outcome.reason }, { status: outcome.reason === "no_role" ? 403 : 400, headers: outcome.headers });
}

export default function OidcCallback() {
  const t = useT();
  const { error } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>{t.login}</h1>
      <p className="form-error" role="alert">
        {error === "no_role" ? t.oidcNoRole : t.oidcFailed}
      </p>
      <p>
        <Link to="/login">{t.backToLogin}</Link>
      </p>
    </div>
  );
}
