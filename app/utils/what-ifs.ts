import { type ClientProfile, EDUCATION_LEVELS } from "../../model/reintegration";
import type { Lang } from "./i18n";

/** Facts a trajectory can change; the case worker toggles them to see the ranking recomputed by the model. */
export const WHAT_IFS = [
  {
    key: "schulden_opgelost",
    label: { nl: "Stel: de schulden zijn onder controle", en: "Suppose the debts are under control" },
    applies: (p: ClientProfile) => p.problematische_schulden === 1,
    apply: (p: ClientProfile): ClientProfile => ({ ...p, problematische_schulden: 0 }),
  },
  {
    key: "taaleis_voldaan",
    label: { nl: "Stel: de cliënt voldoet aan de taaleis", en: "Suppose the client meets the language requirement" },
    applies: (p: ClientProfile) => p.taaleis_voldaan === 0,
    apply: (p: ClientProfile): ClientProfile => ({ ...p, taaleis_voldaan: 1 }),
  },
  {
    key: "opleiding_afgerond",
    label: { nl: "Stel: de cliënt heeft een opleiding afgerond", en: "Suppose the client completed a training" },
    applies: (p: ClientProfile) => p.opleiding !== "hbo_wo",
    apply: (p: ClientProfile): ClientProfile => ({
      ...p,
      opleiding: EDUCATION_LEVELS[Math.min(EDUCATION_LEVELS.indexOf(p.opleiding) + 1, EDUCATION_LEVELS.length - 1)] ?? p.opleiding,
    }),
  },
] as const;

export type WhatIfKey = (typeof WHAT_IFS)[number]["key"];

/** Applies the chosen, applicable what-ifs; unknown keys from a forged query are ignored. */
export function applyWhatIfs(profile: ClientProfile, keys: readonly string[]) {
  const active = WHAT_IFS.filter((w) => keys.includes(w.key) && w.applies(profile));
  return { profile: active.reduce((p, w) => w.apply(p), profile), active: active.map((w) => w.key) };
}

export function whatIfOptions(profile: ClientProfile, lang: Lang) {
  return WHAT_IFS.filter((w) => w.applies(profile)).map((w) => ({ key: w.key, label: w.label[lang] }));
}
