import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TotpEnrolment } from "~/components/totp-enrolment";
import { disableTotp, getTotpState } from "~/models/second-factor.server";
import { audit } from "~/utils/audit.server";
import { requireUser } from "~/utils/auth.server";
import { pageTitle, useT } from "~/utils/i18n";
import { TOTP_REQUIRED_ROLES } from "~/utils/roles";
import { checkTotpCode, enrolmentSecret } from "~/utils/second-factor.server";
import { otpauthUri } from "~/utils/totp";
import { readForm } from "~/utils/form.server";

export const meta = pageTitle((t) => t.account);

/** Own account: the second factor is optional for case workers and managers, required for the others. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const state = await getTotpState(user.id);
  const local = !state?.username.startsWith("oidc-");
  const enabled = state?.totpEnabled === true;
  const secret = local && !enabled && new URL(request.url).searchParams.get("setup") === "1" ? await enrolmentSecret(user.id) : null;
  return {
    local,
    enabled,
    required: TOTP_REQUIRED_ROLES.includes(user.role),
    setup: secret ? { secret, uri: otpauthUri({ secret, account: user.username, issuer: "Trajectwijzer" }) } : null,
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enable"), code: z.string().max(10) }),
  z.object({ intent: z.literal("disable") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return { error: "invalid" as const };
  if (parsed.data.intent === "disable") {
    if (TOTP_REQUIRED_ROLES.includes(user.role)) return { error: "required" as const };
    await disableTotp(user.id);
    await audit({ actorId: user.id, action: "totp.disabled", object: `user:${user.id}`, result: "ok", request });
    return { done: "disabled" as const };
  }
  const result = await checkTotpCode(request, user.id, parsed.data.code, true);
  return result.ok ? { done: "enabled" as const } : { error: result.reason };
}

export default function Account() {
  const t = useT();
  const { local, enabled, required, setup } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const error = data && "error" in data ? (data.error === "rate_limited" ? t.loginRateLimited : data.error === "required" ? t.totpRequiredForRole : t.totpInvalid) : null;
  return (
    <div className="page">
      <h1>{t.account}</h1>
      <h2>{t.secondFactor}</h2>
      {!local ? (
        <p>{t.totpViaOrganisation}</p>
      ) : enabled ? (
        <>
          <p role="status">{t.totpOn}</p>
          {required ? (
            <p className="muted">{t.totpRequiredForRole}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="disable" />
              <button type="submit">{t.totpDisable}</button>
            </Form>
          )}
        </>
      ) : setup ? (
        <TotpEnrolment secret={setup.secret} uri={setup.uri} error={error} intent="enable" />
      ) : (
        <>
          <p>{t.totpOff}</p>
          <Form method="get">
            <input type="hidden" name="setup" value="1" />
            <button type="submit" className="primary">
              {t.totpEnable}
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
