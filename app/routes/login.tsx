import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getUser, verifyLogin } from "~/utils/auth/auth.server";
import { pageTitle, useT } from "~/utils/i18n";
import { getOidcSettings } from "~/utils/auth/oidc.server";
import { HOME_BY_ROLE } from "~/utils/auth/roles";
import { mustChangePassword } from "~/models/user.server";
import { startPendingLogin } from "~/utils/auth/pending-login.server";
import { createSession } from "~/utils/auth/session.server";
import { safeRedirect } from "~/utils/auth/safe-redirect";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.login);

const LoginFormSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{2,64}$/),
  password: z.string().min(1).max(256),
  redirectTo: z.string().optional(),
});

/** A refused attempt's Retry-After reaches the document response too, not only the data request. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(HOME_BY_ROLE[user.role]);
  return { oidc: getOidcSettings() !== null };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await readForm(request));
  const parsed = LoginFormSchema.safeParse(form);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    return { error: "invalid" as const, fields: { username: fields.has("username"), password: fields.has("password") } };
  }
  const outcome = await verifyLogin(request, parsed.data.username, parsed.data.password);
  if (!outcome.ok && outcome.reason === "rate_limited") {
    // 429 with Retry-After for scripts; a browser gets the same page with the message.
    const headers = { "Retry-After": String(outcome.retryAfterSeconds) };
    return data({ error: outcome.reason, fields: { username: false, password: false } }, { status: 429, headers });
  }
  if (!outcome.ok) return { error: outcome.reason, fields: { username: false, password: false } };
  const redirectTo = safeRedirect(parsed.data.redirectTo, HOME_BY_ROLE[outcome.role]);
  // A one-time password (npm run users) is replaced at /login/password before any session, after the second factor.
  const mustChange = outcome.next === "session" && (await mustChangePassword({ userId: outcome.userId }));
  if (outcome.next !== "session" || mustChange) {
    const pending = await startPendingLogin(outcome.userId, redirectTo);
    const to = outcome.next === "totp" ? "/login/totp" : outcome.next === "totp-setup" ? "/login/totp-setup" : "/login/password";
    return redirect(to, { headers: { "Set-Cookie": pending } });
  }
  const cookie = await createSession(outcome.userId, request);
  return redirect(redirectTo, { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { oidc } = useLoaderData<typeof loader>();
  const redirectTo = params.get("redirectTo");
  const message = result?.error === "rate_limited" ? t.loginRateLimited : result?.error ? t.loginFailed : null;
  return (
    <div className="page">
      <h1>{t.login}</h1>
      {message ? (
        <p className="form-error" role="alert" id="login-error">
          {message}
        </p>
      ) : null}
      {oidc ? (
        <>
          {/* A plain link, not a form: the page's CSP (form-action 'self') would block the redirect to the provider. */}
          <p>
            <a href={redirectTo ? `/auth/oidc?redirectTo=${encodeURIComponent(redirectTo)}` : "/auth/oidc"}>{t.loginWithOrganisation}</a>
          </p>
          <p>{t.loginLocalAccount}</p>
        </>
      ) : null}
      <Form method="post" aria-describedby={message ? "login-error" : undefined}>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <label htmlFor="username">{t.username}</label>
        <input id="username" name="username" autoComplete="username" required aria-invalid={result?.fields.username || undefined} />
        <label htmlFor="password">{t.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={result?.fields.password || undefined}
        />
        <div>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t.login}
          </button>
        </div>
      </Form>
    </div>
  );
}
