import { z } from "zod";
import { EDUCATION_LEVELS } from "../reintegration.js";
import { type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * What-ifs for facts a trajectory can change, as configuration: set a feature to a value
 * (when it has another value now), or move an ordered categorical one level up.
 * Each applicable what-if is recomputed through the model by `recommend`.
 */
export const WhatIfRuleSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set"), key: z.string(), feature: z.string(), value: z.union([z.number(), z.string()]) }),
  z.object({ kind: z.literal("level-up"), key: z.string(), feature: z.string(), levels: z.array(z.string()).min(2) }),
]);
export type WhatIfRule = z.infer<typeof WhatIfRuleSchema>;

export const DEFAULT_WHAT_IFS: WhatIfRule[] = [
  { kind: "set", key: "schulden_opgelost", feature: "problematische_schulden", value: 0 },
  { kind: "set", key: "taaleis_voldaan", feature: "taaleis_voldaan", value: 1 },
  { kind: "level-up", key: "opleiding_afgerond", feature: "opleiding", levels: [...EDUCATION_LEVELS] },
];

/** The changed rows for the what-ifs that apply to this client (feature present, value would change). */
export function whatIfRows(schema: TableSchema, rules: readonly WhatIfRule[], row: Row): { key: string; row: Row }[] {
  const features = new Set(schema.features.map((f) => f.name));
  const out: { key: string; row: Row }[] = [];
  for (const rule of rules) {
    if (!features.has(rule.feature)) continue;
    const current = row[rule.feature];
    if (rule.kind === "set") {
      const same =
        typeof rule.value === "number" ? toNumber(current) === rule.value : String(current ?? "").trim() === rule.value;
      if (same || current === null || current === undefined || String(current).trim() === "") continue;
      out.push({ key: rule.key, row: { ...row, [rule.feature]: rule.value } });
    } else {
      const index = rule.levels.indexOf(String(current ?? "").trim());
      if (index < 0 || index >= rule.levels.length - 1) continue;
      out.push({ key: rule.key, row: { ...row, [rule.feature]: rule.levels[index + 1] } });
    }
  }
  return out;
}
