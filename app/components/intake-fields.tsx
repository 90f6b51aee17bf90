import type { Catalogue, FeatureConfig } from "../../model/config/municipality";
import { UNANSWERED } from "~/utils/forms/intake-form";
import type { Lang } from "~/utils/i18n";

type Values = Record<string, string | number | null | undefined>;

/** The value of a select's disabled placeholder: never submitted. */
const PLACEHOLDER = "(choose)";

const WORDS = {
  yes: { nl: "Ja", en: "Yes" },
  no: { nl: "Nee", en: "No" },
  unknown: { nl: "Onbekend", en: "Unknown" },
  choose: { nl: "— Kies —", en: "— Choose —" },
} as const;

/**
 * One labelled field per feature of the catalogue, named after the feature, with its help text and
 * inline error linked by aria-describedby. Yes/no facts are a radio group (1/0, and "unknown" where the
 * catalogue allows it); choices a select; numbers a number field with the feature's range.
 * `values` are the answers so far (an echo after an error, or a stored profile being completed).
 */
export function IntakeFields({
  catalogue,
  lang,
  values,
  errors,
  only,
}: {
  catalogue: Catalogue;
  lang: Lang;
  values: Values;
  errors: Record<string, string>;
  /** Ask only these features (completing a profile); default all. */
  only?: readonly string[];
}) {
  const features = only ? catalogue.features.filter((f) => only.includes(f.name)) : catalogue.features;
  return (
    <>
      {features.map((feature) => (
        <FeatureField key={feature.name} feature={feature} lang={lang} value={values[feature.name]} error={errors[feature.name]} />
      ))}
    </>
  );
}

function FeatureField({ feature, lang, value: given, error }: { feature: FeatureConfig; lang: Lang; value: Values[string]; error: string | undefined }) {
  const name = feature.name;
  const id = `f-${name}`;
  const help = feature.help?.[lang];
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  // Only an answer given (or echoed, or stored) is shown: nothing is pre-selected or pre-filled, so
  // an unasked fact cannot pass for an answer. A configuration's `default` is not used here.
  const value = given === UNANSWERED ? undefined : given;
  const text = value === undefined || value === null ? "" : String(value);
  const label = feature.unit ? `${feature.label[lang]} (${feature.unit[lang]})` : feature.label[lang];
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
    const options = [
      { value: "1", label: WORDS.yes[lang] },
      { value: "0", label: WORDS.no[lang] },
      ...(feature.unknownAllowed ? [{ value: "", label: WORDS.unknown[lang] }] : []),
    ];
    return (
      <fieldset className="field yes-no" aria-describedby={describedBy} aria-invalid={error ? true : undefined} data-feature={name}>
        <legend>{label}</legend>
        <div className="yes-no-options">
          {options.map((o) => (
            <span key={o.value || "unknown"} className="yes-no-option">
              <input type="radio" id={`${id}-${o.value || "unknown"}`} name={name} value={o.value} defaultChecked={value !== undefined && (value === null ? o.value === "" : text === o.value)} />
              <label htmlFor={`${id}-${o.value || "unknown"}`}>{o.label}</label>
            </span>
          ))}
        </div>
        {extras}
      </fieldset>
    );
  }
  if (feature.type === "categorical" && feature.values) {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {/* Nothing is pre-selected: the placeholder is disabled, so an untouched select sends nothing
            (refused); "unknown", where allowed, is an answer of its own (empty). */}
        <select
          id={id}
          name={name}
          defaultValue={selectedOption(feature, value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        >
          <option value={PLACEHOLDER} disabled>
            {WORDS.choose[lang]}
          </option>
          {feature.unknownAllowed ? <option value="">{WORDS.unknown[lang]}</option> : null}
          {feature.values.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label[lang]}
            </option>
          ))}
        </select>
        {extras}
      </div>
    );
  }
  const numeric = feature.type === "numeric";
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={numeric ? "number" : "text"}
        inputMode={numeric ? (feature.integer ? "numeric" : "decimal") : undefined}
        min={numeric ? feature.range?.[0] : undefined}
        max={numeric ? feature.range?.[1] : undefined}
        step={numeric ? (feature.integer ? 1 : "any") : undefined}
        defaultValue={text}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
      {extras}
    </div>
  );
}

/** The option a select starts on: the answer given when it is one of the options, else the placeholder. */
function selectedOption(feature: FeatureConfig, value: Values[string]): string {
  if (value === undefined) return PLACEHOLDER;
  if ((value === null || value === "") && feature.unknownAllowed) return "";
  return feature.values?.some((v) => v.value === String(value)) ? String(value) : PLACEHOLDER;
}
