import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle, useT } from "~/utils/i18n";
import { getOidcSettings, startOidcLogin } from "~/utils/auth/oidc.server";
import { errorLine } from "~/utils/error-line";
import { requestLog } from "~/utils/log.server";

/** Starts an OpenID Connect login: sends the browser to the identity provider (docs/decisions/002-oidc-login.md). */
export const meta = pageTitle((t) => t.login);

export async function loader({ request }: LoaderFunctionArgs) {
  const settings = getOidcSettings();
  if (!settings) throw new Response("Not Found", { status: 404 });
  try {
    const start = await startOidcLogin(settings, { redirectTo: new URL(request.url).searchParams.get("redirectTo") });
    return redirect(start.url, { headers: { "Set-Cookie": start.cookie } });
  } catch (error) {
    requestLog(request).warn({ error: errorLine(error) }, "OIDC provider unavailable");
    return data({ error: "unavailable" as const }, { status: 503 });
  }
}

export default function OidcStart() {
  const t = useT();
  return (
    <div className="page">
      <h1>{t.login}</h1>
      <p className="form-error" role="alert">
        {t.oidcUnavailable}
      </p>
      <p>
        <Link to="/login">{t.backToLogin}</Link>
      </p>
    </div>
  );
}
