import type { Validation } from "./select.js";

/**
 * The gain over the observed assignment the advice rests on (bundles validated before it was
 * recorded: the chosen candidate's row). No value imports, so the app's client code can use it.
 */
export function adviceGain(v: Validation): Validation["candidates"][number]["gainOverObserved"] | null {
  return v.adviceGain ?? v.candidates.find((c) => c.kind === v.chosen)?.gainOverObserved ?? null;
}
