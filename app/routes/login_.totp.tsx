import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { TotpCodeField } from "~/components/totp-code-field";
import { pageTitle, useT } from "~/utils/i18n";
import { checkTotpCode, finishLogin, requirePendingLogin } from "~/utils/auth/second-factor.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.totpTitle);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePendingLogin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePendingLogin(request);
  const code = String((await readForm(request)).get("code") ?? "");
  const result = await checkTotpCode(request, pending.userId, code, false);
  if (!result.ok) return { error: result.reason };
  return finishLogin(request, pending.userId, pending.redirectTo);
}

export default function TotpLogin() {
  const t = useT();
  const data = useActionData<typeof action>();
  const error = data?.error === "rate_limited" ? t.loginRateLimited : data?.error ? t.totpInvalid : null;
  return (
    <div className="page">
      <h1>{t.totpTitle}</h1>
      <p>{t.totpIntro}</p>
      <Form method="post">
        <TotpCodeField error={error} />
        <div>
          <button type="submit" className="primary">
            {t.login}
          </button>
        </div>
      </Form>
    </div>
  );
}
