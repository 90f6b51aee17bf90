import { Form } from "@remix-run/react";
import { TotpCodeField } from "~/components/totp-code-field";
import { useT } from "~/utils/i18n";

/** The key to add to an authenticator app, and the first code that switches the factor on. */
export function TotpEnrolment({ secret, uri, error, intent }: { secret: string; uri: string; error: string | null; intent?: string }) {
  const t = useT();
  return (
    <>
      <p>{t.totpSetupIntro}</p>
      <p>
        {t.totpSecretLabel}: <code data-testid="totp-secret">{secret.match(/.{1,4}/g)?.join(" ")}</code>
      </p>
      <p className="muted">
        <a href={uri}>{t.totpOpenApp}</a>
      </p>
      <Form method="post">
        {intent ? <input type="hidden" name="intent" value={intent} /> : null}
        <TotpCodeField error={error} />
        <div>
          <button type="submit" className="primary">
            {t.totpActivate}
          </button>
        </div>
      </Form>
    </>
  );
}
