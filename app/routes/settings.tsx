import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getKeepEffectsMeasurable, updateKeepEffectsMeasurable } from "~/models/setting.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { readForm } from "~/utils/forms/form.server";
import { formatDateTime, MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";

export const meta = pageTitle((t) => t.settingsTitle);

/** One zod schema for the form: the new state and the confirmation. */
const MeasurableFormSchema = z.object({ on: z.enum(["1", "0"]), confirm: z.literal("1") });

/** Managers change the setting; admins see it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["manager", "admin"]);
  const setting = await getKeepEffectsMeasurable();
  return { on: setting.on, updatedAt: setting.updatedAt?.toISOString() ?? null, canEdit: user.role === "manager" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["manager"]);
  const t = MESSAGES[await getLang(request)];
  const parsed = MeasurableFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ ok: false as const, message: t.measurableConfirmRequired }, { status: 400 });
  const on = parsed.data.on === "1";
  await updateKeepEffectsMeasurable({ on, userId: user.id });
  await audit({ actorId: user.id, action: "setting.keep_effects_measurable", object: `setting:keepEffectsMeasurable=${on ? "on" : "off"}`, result: "ok", request });
  return { ok: true as const, message: t.measurableSaved.replace("{state}", on ? t.measurableOn : t.measurableOff) };
}

export default function Settings() {
  const { on, updatedAt, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t.settingsTitle}</h1>
      <section aria-labelledby="measurable-heading">
        <h2 id="measurable-heading">{t.measurableHeading}</h2>
        <p>{t.measurableExplain}</p>
        <p data-testid="measurable-state">
          {t.measurableState.replace("{state}", on ? t.measurableOn : t.measurableOff)}
          {updatedAt ? ` (${formatDateTime(new Date(updatedAt), t.lang)})` : null}
        </p>
        {result ? (
          <p role={result.ok ? "status" : "alert"} className={result.ok ? "notice" : "form-error"}>
            {result.message}
          </p>
        ) : null}
        {canEdit ? (
          <Form method="post">
            <input type="hidden" name="on" value={on ? "0" : "1"} />
            <p>
              <input type="checkbox" id="measurable-confirm" name="confirm" value="1" required />{" "}
              <label htmlFor="measurable-confirm">{t.measurableConfirm}</label>
            </p>
            <button type="submit" className="primary">
              {on ? t.measurableTurnOff : t.measurableTurnOn}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}
