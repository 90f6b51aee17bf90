import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TotpCodeField } from "~/components/totp-code-field";
import { TotpEnrolment } from "~/components/totp-enrolment";
import { countRecentAuditEvents } from "~/models/audit.server";
import { disableTotp, getTotpState } from "~/models/second-factor.server";
import { changeOwnPassword, isCurrentPassword } from "~/models/user.server";
import { audit } from "~/utils/audit.server";
import { LOGIN_LIMIT, requireUser } from "~/utils/auth/auth.server";
import { readForm } from "~/utils/forms/form.server";
import { type Lang, pageTitle, useT } from "~/utils/i18n";
import { NewPasswordSchema } from "~/utils/auth/password-change.server";
import { TOTP_REQUIRED_ROLES } from "~/utils/auth/roles";
import { checkTotpCode, enrolmentSecret } from "~/utils/auth/second-factor.server";
import { createSession } from "~/utils/auth/session.server";
import { otpauthUri } from "~/utils/auth/totp";

export const meta = pageTitle((t) => t.account);

const TEXT = {
  nl: {
    disableIntro: "Bevestig met uw wachtwoord en een code uit uw app.",
    currentPassword: "Huidig wachtwoord",
    passwordTitle: "Wachtwoord wijzigen",
    newPassword: "Nieuw wachtwoord (minstens 12 tekens)",
    confirm: "Herhaal het nieuwe wachtwoord",
    savePassword: "Wachtwoord wijzigen",
    changed: "Uw wachtwoord is gewijzigd. Sessies op andere apparaten zijn beëindigd.",
    errors: {
      wrong_password: "Het huidige wachtwoord klopt niet.",
      wrong_factor: "Het wachtwoord of de code klopt niet.",
      short: "Het nieuwe wachtwoord moet minstens 12 tekens hebben.",
      mismatch: "De twee nieuwe wachtwoorden zijn niet gelijk.",
      same: "Kies een ander wachtwoord dan het huidige.",
      rate_limited: "Te veel pogingen. Probeer het over een kwartier opnieuw.",
    },
  },
  en: {
    disableIntro: "Confirm with your password and a code from your app.",
    currentPassword: "Current password",
    passwordTitle: "Change password",
    newPassword: "New password (at least 12 characters)",
    confirm: "Repeat the new password",
    savePassword: "Change password",
    changed: "Your password was changed. Sessions on other devices have ended.",
    errors: {
      wrong_password: "The current password is wrong.",
      wrong_factor: "The password or the code is wrong.",
      short: "The new password must have at least 12 characters.",
      mismatch: "The two new passwords differ.",
      same: "Choose another password than the current one.",
      rate_limited: "Too many attempts. Try again in a quarter of an hour.",
    },
  },
} as const satisfies Record<Lang, unknown>;
type AccountError = keyof (typeof TEXT)["nl"]["errors"];

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
  z.object({ intent: z.literal("disable"), password: z.string().max(256).default(""), code: z.string().max(10).default("") }),
  z.object({ intent: z.literal("password"), currentPassword: z.string().max(256), password: z.string().max(256), confirm: z.string().max(256) }),
]);

const PASSWORD_FAILED = "account.password_failed";

/** The current password, checked at most LOGIN_LIMIT.perAccount times wrong per window: a session is no licence to guess it. */
async function checkCurrentPassword(request: Request, userId: string, password: string): Promise<"ok" | "wrong" | "rate_limited"> {
  const since = new Date(Date.now() - LOGIN_LIMIT.windowMs);
  if ((await countRecentAuditEvents({ actorId: userId, action: PASSWORD_FAILED, since })) >= LOGIN_LIMIT.perAccount) return "rate_limited";
  if (password !== "" && (await isCurrentPassword({ userId, password }))) return "ok";
  await audit({ actorId: userId, action: PASSWORD_FAILED, object: `user:${userId}`, result: "failed", request });
  return "wrong";
}

const refuse = (error: AccountError | "invalid" | "required") => data({ error }, { status: 400 });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return refuse("invalid");
  const form = parsed.data;
  if (form.intent === "enable") {
    const result = await checkTotpCode(request, user.id, form.code, true);
    return result.ok ? { done: "enabled" as const } : refuse(result.reason === "rate_limited" ? "rate_limited" : "invalid");
  }
  if (form.intent === "disable") {
    if (TOTP_REQUIRED_ROLES.includes(user.role)) return refuse("required");
    // Whoever has the session alone (an unlocked computer) cannot weaken the account.
    const password = await checkCurrentPassword(request, user.id, form.password);
    if (password !== "ok") return refuse(password === "rate_limited" ? "rate_limited" : "wrong_factor");
    const code = await checkTotpCode(request, user.id, form.code, false);
    if (!code.ok) return refuse(code.reason === "rate_limited" ? "rate_limited" : "wrong_factor");
    await disableTotp(user.id);
    await audit({ actorId: user.id, action: "totp.disabled", object: `user:${user.id}`, result: "ok", request });
    return { done: "disabled" as const };
  }
  const next = NewPasswordSchema.safeParse(form);
  if (!next.success) return refuse(next.error.issues[0]?.path[0] === "confirm" ? "mismatch" : "short");
  const current = await checkCurrentPassword(request, user.id, form.currentPassword);
  if (current !== "ok") return refuse(current === "rate_limited" ? "rate_limited" : "wrong_password");
  if (next.data.password === form.currentPassword) return refuse("same");
  // Every session of the account ends (a stolen one too); this browser gets a new one.
  const changed = await changeOwnPassword({ userId: user.id, password: next.data.password });
  await audit({ actorId: user.id, action: "user.password_changed", object: `user:${user.id}`, result: changed ? "ok" : "failed", request });
  if (!changed) return refuse("invalid");
  return data({ done: "password_changed" as const }, { headers: { "Set-Cookie": await createSession(user.id) } });
}

function PasswordField({ id, name, label, autoComplete, error }: { id: string; name: string; label: string; autoComplete: string; error?: string | null }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="password"
        autoComplete={autoComplete}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export default function Account() {
  const t = useT();
  const text = TEXT[t.lang];
  const { local, enabled, required, setup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && "error" in result ? result.error : null;
  const accountError = failed && failed in text.errors ? text.errors[failed as AccountError] : null;
  const totpError = failed === "required" ? t.totpRequiredForRole : failed === "invalid" ? t.totpInvalid : accountError;
  const passwordError = failed && ["wrong_password", "short", "mismatch", "same", "rate_limited"].includes(failed) ? accountError : null;
  const done = result && "done" in result ? result.done : null;
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
              <p>{text.disableIntro}</p>
              <PasswordField id="disable-password" name="password" label={text.currentPassword} autoComplete="current-password" />
              <TotpCodeField error={failed === "wrong_factor" || failed === "rate_limited" ? totpError : null} />
              <button type="submit">{t.totpDisable}</button>
            </Form>
          )}
        </>
      ) : setup ? (
        <TotpEnrolment secret={setup.secret} uri={setup.uri} error={totpError} intent="enable" />
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
      {local ? (
        <>
          <h2>{text.passwordTitle}</h2>
          {done === "password_changed" ? <p role="status">{text.changed}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="password" />
            <PasswordField id="currentPassword" name="currentPassword" label={text.currentPassword} autoComplete="current-password" error={failed === "wrong_password" || failed === "rate_limited" ? passwordError : null} />
            <PasswordField id="newPassword" name="password" label={text.newPassword} autoComplete="new-password" error={failed === "short" || failed === "same" ? passwordError : null} />
            <PasswordField id="confirm" name="confirm" label={text.confirm} autoComplete="new-password" error={failed === "mismatch" ? passwordError : null} />
            <button type="submit">{text.savePassword}</button>
          </Form>
        </>
      ) : null}
    </div>
  );
}
