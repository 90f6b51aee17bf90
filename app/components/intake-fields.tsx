import { REINTEGRATION_FEATURES } from "../../model/reintegration";
import type { Lang } from "~/utils/i18n";
import { CHOICE_LABELS, CHOICES, HELP_TEXT, PROFILE_DEFAULTS } from "~/utils/intake-form";
import { FEATURE_LABELS } from "~/utils/profile-labels";

type Values = Record<string, string | number | undefined>;

/** One labelled field per model feature, with help text and its inline error linked by aria-describedby. */
export function IntakeFields({ lang, values, errors }: { lang: Lang; values: Values; errors: Record<string, string> }) {
  return (
    <>
      {REINTEGRATION_FEATURES.map((feature) => {
        const name = feature.name;
        const id = `f-${name}`;
        const help = HELP_TEXT[name]?.[lang];
        const error = errors[name];
        const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
        const value = values[name] ?? (PROFILE_DEFAULTS as Values)[name];
        const label = FEATURE_LABELS[name][lang];
        const extras = (
          <>
            {help ? (
              <p id={`${id}-help`} className="help muted">
                {help}
              </p>
            ) : null}
            {error ? (
              <p id={`${id}-error`} className="field-error">
                {error}
              </p>
            ) : null}
          </>
        );
        if (feature.type === "binary") {
          return (
            <div key={name} className="field checkbox-field">
              <input
                type="checkbox"
                id={id}
                name={name}
                value="1"
                defaultChecked={String(value) === "1"}
                aria-describedby={describedBy}
                aria-invalid={error ? true : undefined}
              />
              <label htmlFor={id}>{label}</label>
              {extras}
            </div>
          );
        }
        if (feature.type === "categorical") {
          const options = CHOICES[name as keyof typeof CHOICES];
          return (
            <div key={name} className="field">
              <label htmlFor={id}>{label}</label>
              <select id={id} name={name} defaultValue={String(value ?? "")} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
                {options.map((o) => (
                  <option key={o} value={o}>
                    {CHOICE_LABELS[o]?.[lang] ?? o}
                  </option>
                ))}
              </select>
              {extras}
            </div>
          );
        }
        return (
          <div key={name} className="field">
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              name={name}
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              defaultValue={value === undefined ? "" : String(value)}
              aria-describedby={describedBy}
              aria-invalid={error ? true : undefined}
            />
            {extras}
          </div>
        );
      })}
    </>
  );
}
