import { applyWhatIf, type Profile, whatIfsFor } from "../../../model/config/catalogue";
import { type Catalogue, defaultCatalogue } from "../../../model/config/municipality";
import type { Lang } from "../i18n";

/**
 * Facts a trajectory can change; the case worker toggles them to see the ranking recomputed by
 * the model. The what-ifs, their labels and when they apply come from the catalogue (the
 * default configuration until a page passes the active bundle's).
 */
export function applyWhatIfs<P extends Profile>(profile: P, keys: readonly string[], catalogue: Catalogue = defaultCatalogue()) {
  let changed = profile;
  const active: string[] = [];
  // Unknown keys from a forged query are ignored; each chosen what-if is applied when it applies.
  for (const w of whatIfsFor(catalogue)) {
    if (!keys.includes(w.key)) continue;
    const next = applyWhatIf(w, changed);
    if (next) {
      changed = next;
      active.push(w.key);
    }
  }
  return { profile: changed, active };
}

export function whatIfOptions(profile: Profile, lang: Lang, catalogue: Catalogue = defaultCatalogue()) {
  return whatIfsFor(catalogue)
    .filter((w) => applyWhatIf(w, profile) !== null)
    .map((w) => ({ key: w.key, label: w.label[lang] }));
}
