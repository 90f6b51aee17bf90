import { applyWhatIf, type WhatIf, whatIfFeatures, whatIfsFor } from "../config/catalogue.js";
import { defaultCatalogue } from "../config/municipality.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * What-ifs for facts a trajectory can change come from the catalogue (config/municipality.json,
 * or the one a bundle carries): set facts to values, or move an ordered categorical one level up.
 * Each applicable what-if is recomputed through the model by `recommend`.
 */
export type WhatIfRule = WhatIf;

/** The default configuration's what-ifs (debts resolved, language requirement met, a completed training). */
export const DEFAULT_WHAT_IFS: readonly WhatIfRule[] = whatIfsFor(defaultCatalogue());

/** The changed rows for the what-ifs that apply to this client (facts present, a value would change). */
export function whatIfRows(schema: TableSchema, rules: readonly WhatIfRule[], row: Row): { key: string; row: Row }[] {
  const features = new Set(schema.features.map((f) => f.name));
  const out: { key: string; row: Row }[] = [];
  for (const rule of rules) {
    if (!whatIfFeatures(rule).every((f) => features.has(f))) continue;
    const changed = applyWhatIf(rule, row);
    if (changed) out.push({ key: rule.key, row: changed });
  }
  return out;
}
