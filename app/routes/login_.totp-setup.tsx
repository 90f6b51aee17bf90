import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { TotpEnrolment } from "~/components/totp-enrolment";
import { getTotpState } from "~/models/second-factor.server";
import { pageTitle, useT } from "~/utils/i18n";
import { checkTotpCode, enrolmentSecret, finishLogin, requirePendingLogin } from "~/utils/auth/second-factor.server";
import { otpauthUri } from "~/utils/auth/totp";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.totpSetupTitle);

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePendingLogin(request);
  const secret = await enrolmentSecret(pending.userId);
  if (!secret) throw redirect("/login/totp");
  const state = await getTotpState(pending.userId);
  return { secret, uri: otpauthUri({ secret, account: state?.username ?? "", issuer: "Trajectwijzer" }) };
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePendingLogin(request);
  const code = String((await readForm(request)).get("code") ?? "");
  const result = await checkTotpCode(request, pending.userId, code, true);
  if (!result.ok) return { error: result.reason };
  return finishLogin(request, pending.userId, pending.redirectTo);
}

export default function TotpSetup() {
  const t = useT();
  const { secret, uri } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const error = data?.error === "rate_limited" ? t.loginRateLimited : data?.error ? t.totpInvalid : null;
  return (
    <div className="page">
      <h1>{t.totpSetupTitle}</h1>
      <TotpEnrolment secret={secret} uri={uri} error={error} />
    </div>
  );
}
