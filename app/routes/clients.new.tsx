import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { IntakeFields } from "~/components/intake-fields";
import { createClient } from "~/models/client.server";
import { CASELOAD_REASON } from "~/utils/audit-actions";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { getEnv } from "~/utils/env.server";
import { pageTitle, useT } from "~/utils/i18n";
import {
  CHOICE_LABELS,
  codeUnavailableError,
  duplicateReferenceError,
  FAIRNESS_CHOICES,
  intakeErrors,
  intakeSchemaFor,
  profileOf,
  readIntakeForm,
} from "~/utils/forms/intake-form";
import { getServingCatalogue } from "~/utils/registry/predictor.server";
import { getLang } from "~/utils/lang.server";
import { pseudonymise } from "~/utils/pseudonym.server";
import { readForm } from "~/utils/forms/form.server";

export const meta = pageTitle((t) => t.newClient);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["caseworker"]);
  // The form asks exactly what the serving model needs, in its catalogue's words.
  return { catalogue: await getServingCatalogue() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["caseworker"]);
  const lang = await getLang(request);
  const catalogue = await getServingCatalogue();
  const raw = readIntakeForm(await readForm(request), catalogue);
  // Echo back only what the form holds, never the reference: it may be a personal number.
  const values = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== "reference")) as Record<string, string | number>;
  const parsed = intakeSchemaFor(catalogue).safeParse(raw);
  if (!parsed.success) return data({ errors: intakeErrors(parsed.error.issues, lang, catalogue), values }, { status: 400 });
  const { reference, fairnessSex, fairnessOrigin } = parsed.data;
  const profile = profileOf(catalogue, parsed.data);
  const referenceHash = pseudonymise(reference, getEnv().PSEUDONYM_KEY);
  const created = await createClient({ caseworkerId: user.id, referenceHash, profile, fairness: { sex: fairnessSex, origin: fairnessOrigin } });
  if (!created.ok) {
    const errors = created.reason === "duplicate" ? duplicateReferenceError(lang) : codeUnavailableError(lang);
    return data({ errors, values }, { status: 409 });
  }
  await audit({ actorId: user.id, action: "client.create", object: `client:${created.id}`, result: "ok", request, reason: CASELOAD_REASON });
  return redirect(`/clients/${created.id}`);
}

export default function NewClient() {
  const t = useT();
  const { catalogue } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = result?.errors ?? {};
  const count = Object.keys(errors).length;
  return (
    <div className="page">
      <p>
        <Link to="/clients">{t.backToCaseload}</Link>
      </p>
      <h1>{t.newClient}</h1>
      <p className="muted">{t.intakeIntro}</p>
      {count > 0 ? (
        <div className="form-error" role="alert" id="intake-errors">
          {t.formHasErrors.replace("{n}", String(count))}
        </div>
      ) : null}
      <Form method="post" noValidate>
        <div className="field">
          <label htmlFor="f-reference">{t.caseNumber}</label>
          <input
            id="f-reference"
            name="reference"
            autoComplete="off"
            required
            aria-describedby={`f-reference-help${errors.reference ? " f-reference-error" : ""}`}
            aria-invalid={errors.reference ? true : undefined}
          />
          <p id="f-reference-help" className="help muted">
            {t.caseNumberHelp}
          </p>
          {errors.reference ? (
            <p id="f-reference-error" className="field-error">
              {errors.reference}
            </p>
          ) : null}
        </div>
        <IntakeFields catalogue={catalogue} lang={t.lang} values={result?.values ?? {}} errors={errors} />
        <fieldset aria-describedby="fairness-help">
          <legend>{t.fairnessLegend}</legend>
          <p id="fairness-help" className="help muted">
            {t.fairnessHelp}
          </p>
          {(Object.keys(FAIRNESS_CHOICES) as (keyof typeof FAIRNESS_CHOICES)[]).map((name) => (
            <div key={name} className="field">
              <label htmlFor={`f-${name}`}>{name === "fairnessSex" ? t.fairnessSex : t.fairnessOrigin}</label>
              <select id={`f-${name}`} name={name} defaultValue={String(result?.values?.[name] ?? "")}>
                <option value="">{t.notRecorded}</option>
                {FAIRNESS_CHOICES[name].map((v) => (
                  <option key={v} value={v}>
                    {CHOICE_LABELS[v]?.[t.lang] ?? v}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t.saveClient}
        </button>
      </Form>
    </div>
  );
}
