import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { changeOwnPassword, isCurrentPassword } from "~/models/user.server";
import { audit } from "~/utils/audit.server";
import { readForm } from "~/utils/forms/form.server";
import { pageTitle, useT } from "~/utils/i18n";
import { NewPasswordSchema, requirePasswordChange } from "~/utils/auth/password-change.server";
import { finishLogin } from "~/utils/auth/second-factor.server";

export const meta = pageTitle((t) => t.password);

const TEXT = {
  nl: {
    title: "Kies een nieuw wachtwoord",
    intro: "U bent ingelogd met een eenmalig wachtwoord. Kies een eigen wachtwoord van minstens 12 tekens om verder te gaan.",
    password: "Nieuw wachtwoord",
    confirm: "Herhaal het nieuwe wachtwoord",
    submit: "Wachtwoord opslaan",
    errors: {
      password: "Het wachtwoord moet minstens 12 tekens hebben.",
      confirm: "De twee wachtwoorden zijn niet gelijk.",
      same: "Kies een ander wachtwoord dan het eenmalige wachtwoord.",
    },
  },
  en: {
    title: "Choose a new password",
    intro: "You signed in with a one-time password. Choose your own password of at least 12 characters to continue.",
    password: "New password",
    confirm: "Repeat the new password",
    submit: "Save password",
    errors: {
      password: "The password must have at least 12 characters.",
      confirm: "The two passwords differ.",
      same: "Choose another password than the one-time password.",
    },
  },
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePasswordChange(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const pending = await requirePasswordChange(request);
  const parsed = NewPasswordSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return { error: parsed.error.issues[0]?.path[0] === "confirm" ? ("confirm" as const) : ("password" as const) };
  if (await isCurrentPassword({ userId: pending.userId, password: parsed.data.password })) return { error: "same" as const };
  const changed = await changeOwnPassword({ userId: pending.userId, password: parsed.data.password });
  await audit({ actorId: pending.userId, action: "user.password_changed", object: `user:${pending.userId}`, result: changed ? "ok" : "failed", request });
  return finishLogin(request, pending.userId, pending.redirectTo);
}

export default function PasswordChange() {
  const { lang } = useT();
  const text = TEXT[lang];
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const error = data?.error ? text.errors[data.error] : null;
  return (
    <div className="page">
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      {error ? (
        <p className="form-error" role="alert" id="password-error">
          {error}
        </p>
      ) : null}
      <Form method="post" aria-describedby={error ? "password-error" : undefined}>
        <label htmlFor="password">{text.password}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={12}
          maxLength={256}
          required
          aria-invalid={data?.error === "password" || data?.error === "same" || undefined}
        />
        <label htmlFor="confirm">{text.confirm}</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" maxLength={256} required aria-invalid={data?.error === "confirm" || undefined} />
        <div>
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {text.submit}
          </button>
        </div>
      </Form>
    </div>
  );
}
