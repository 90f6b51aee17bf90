import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { fill } from "~/components/model-ui";
import { createCapacity } from "~/models/allocation.server";
import { allocationView } from "~/utils/allocation/allocation.server";
import { audit } from "~/utils/audit.server";
import { requireRole } from "~/utils/auth/auth.server";
import { readForm } from "~/utils/forms/form.server";
import { formatDate, formatNumber, MESSAGES, pageTitle, useT } from "~/utils/i18n";
import { getLang } from "~/utils/lang.server";
import { getServingCatalogue } from "~/utils/registry/predictor.server";

export const meta = pageTitle((t) => t.allocTitle);

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const PlacesFormSchema = z
  .object({
    arm: z.string().min(1).max(64),
    places: z.coerce.number().int().min(0).max(100_000),
    startsOn: Day,
    endsOn: Day,
  })
  .refine((v) => v.startsOn <= v.endsOn, { path: ["endsOn"] });

/** Managers (and admins, like the dashboard) look; managers set places. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["manager", "admin"]);
  const lang = await getLang(request);
  return { view: await allocationView({ lang }), canEdit: user.role === "manager", today: new Date().toISOString().slice(0, 10) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["manager"]);
  const t = MESSAGES[await getLang(request)];
  const parsed = PlacesFormSchema.safeParse(Object.fromEntries(await readForm(request)));
  const catalogue = await getServingCatalogue();
  if (!parsed.success || parsed.data.arm === catalogue.control || !catalogue.trajectories.some((tr) => tr.key === parsed.data.arm)) {
    return data({ ok: false as const, message: t.allocPlacesInvalid }, { status: 400 });
  }
  const { arm, places, startsOn, endsOn } = parsed.data;
  await createCapacity({ arm, places, startsOn: new Date(`${startsOn}T00:00:00Z`), endsOn: new Date(`${endsOn}T23:59:59Z`), createdById: user.id });
  await audit({ actorId: user.id, action: "capacity.set", object: `trajectory:${arm}`, result: "ok", request });
  return { ok: true as const, message: t.allocPlacesSaved };
}

export default function Allocation() {
  const { view, canEdit, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const name = (key: string) => view.arms.find((a) => a.key === key)?.name ?? key;
  const shown = (v: number | string) => (typeof v === "number" ? formatNumber(v, t.lang) : t.allocFewerThanTen);
  const people = (v: number) => formatNumber(v, t.lang, 1);
  return (
    <div className="page">
      <h1>{t.allocTitle}</h1>
      <p>{t.allocIntro}</p>
      <h2>{t.allocPlacesHeading}</h2>
      <table data-testid="places">
        <caption>{t.allocPlacesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.trajectory}</th>
            <th scope="col">{t.allocPlaces}</th>
            <th scope="col">{t.allocSource}</th>
          </tr>
        </thead>
        <tbody>
          {view.arms.map((a) => (
            <tr key={a.key}>
              <th scope="row">{a.name}</th>
              <td>{a.places === null ? t.allocUnlimited : formatNumber(a.places, t.lang)}</td>
              <td>
                {a.source === "period" && a.periodEnd
                  ? fill(t.allocSourcePeriod, { end: formatDate(a.periodEnd, t.lang) })
                  : a.source === "configuration"
                    ? t.allocSourceConfiguration
                    : a.control
                      ? t.allocSourceControl
                      : "–"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit ? (
        <section aria-labelledby="set-places-heading">
          <h3 id="set-places-heading">{t.allocSetPlaces}</h3>
          <Form method="post">
            <div className="field">
              <label htmlFor="alloc-arm">{t.trajectory}</label>
              <select id="alloc-arm" name="arm" required>
                {view.arms
                  .filter((a) => !a.control)
                  .map((a) => (
                    <option key={a.key} value={a.key}>
                      {a.name}
                    </option>
                  ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="alloc-places">{t.allocPlaces}</label>
              <input id="alloc-places" name="places" type="number" min={0} max={100000} step={1} required />
            </div>
            <div className="field">
              <label htmlFor="alloc-from">{t.allocFrom}</label>
              <input id="alloc-from" name="startsOn" type="date" defaultValue={today} required />
            </div>
            <div className="field">
              <label htmlFor="alloc-to">{t.allocTo}</label>
              <input id="alloc-to" name="endsOn" type="date" defaultValue={today} required />
            </div>
            <button type="submit" className="primary">
              {t.allocSave}
            </button>
            {result ? (
              <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"} data-testid="alloc-result">
                {result.message}
              </p>
            ) : null}
          </Form>
        </section>
      ) : null}
      <h2>{t.allocResultHeading}</h2>
      {view.unsupported ? (
        <p className="muted">{t.allocUnsupported}</p>
      ) : view.suppressed || !view.totals ? (
        <p className="muted" data-testid="alloc-suppressed">
          {t.allocTooFew}
        </p>
      ) : (
        <>
          <p data-testid="alloc-waiting">{fill(t.allocWaiting, { n: shown(view.waiting) })}</p>
          <dl className="profile-list" data-testid="alloc-totals">
            <dt>{t.allocExpectedOptimal}</dt>
            <dd data-testid="alloc-optimal">{people(view.totals.optimal)}</dd>
            <dt>{t.allocExpectedFcfs}</dt>
            <dd data-testid="alloc-fcfs">{people(view.totals.firstComeFirstServed)}</dd>
            <dt>{t.allocExpectedUnconstrained}</dt>
            <dd>{people(view.totals.unconstrained)}</dd>
          </dl>
          <p className="help">{t.allocExpectedHelp}</p>
          <table data-testid="alloc-per-arm">
            <caption>{t.allocPerArmCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.trajectory}</th>
                <th scope="col">{t.allocFirstChoice}</th>
                <th scope="col">{t.allocOptimal}</th>
                <th scope="col">{t.allocFcfs}</th>
              </tr>
            </thead>
            <tbody>
              {view.perArm.map((row) => (
                <tr key={row.arm}>
                  <th scope="row">{name(row.arm)}</th>
                  <td>{shown(row.wanted)}</td>
                  <td>{shown(row.optimal)}</td>
                  <td>{shown(row.firstComeFirstServed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.moves ? (
              <table data-testid="alloc-moves">
                <caption>{t.allocMovesCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.allocFirstChoice}</th>
                    {view.perArm.map((row) => (
                      <th scope="col" key={row.arm}>
                        {name(row.arm)}
                      </th>
                    ))}
                    <th scope="col">{t.allocTotal}</th>
                  </tr>
                </thead>
                <tbody>
                  {view.perArm.map((row, i) => (
                    <tr key={row.arm}>
                      <th scope="row">{name(row.arm)}</th>
                      {(view.moves?.cells[i] ?? []).map((cell, j) => (
                        <td key={view.perArm[j]?.arm ?? j}>{shown(cell)}</td>
                      ))}
                      <td>{shown(view.moves?.rowTotals?.[i] ?? "<10")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
          ) : null}
          <p className="help">{t.allocSuppressedNote}</p>
        </>
      )}
    </div>
  );
}
