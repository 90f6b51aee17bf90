import { useT } from "~/utils/i18n";

export function TotpCodeField({ error }: { error: string | null }) {
  const t = useT();
  return (
    <>
      <label htmlFor="code">{t.totpCode}</label>
      <input
        id="code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        aria-describedby={error ? "code-help code-error" : "code-help"}
        aria-invalid={error ? true : undefined}
      />
      <p id="code-help" className="help muted">
        {t.totpCodeHelp}
      </p>
      {error ? (
        <p id="code-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
