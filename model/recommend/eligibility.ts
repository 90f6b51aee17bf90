import { z } from "zod";
import { type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * Eligibility rules are configuration, not code: an arm is eligible when any of its
 * conditions holds. A condition on a feature whose value is missing counts as met
 * (nobody is excluded for lack of data). Rules naming an arm or a feature the schema
 * does not have are ignored.
 */
export const EligibilityConditionSchema = z.object({
  feature: z.string().min(1),
  equals: z.union([z.number(), z.string()]),
});
export const EligibilityRuleSchema = z.object({
  arm: z.string().min(1),
  /** The rule in plain words, shown when it excludes the arm. */
  text: z.string().min(1),
  anyOf: z.array(EligibilityConditionSchema).min(1),
});
export type EligibilityRule = z.infer<typeof EligibilityRuleSchema>;

export const DEFAULT_ELIGIBILITY_RULES: EligibilityRule[] = [
  {
    arm: "taaltraject",
    text: "Taaltraject alleen als de taaleis nog niet is voldaan (taaleis_voldaan = 0).",
    anyOf: [{ feature: "taaleis_voldaan", equals: 0 }],
  },
  {
    arm: "schuldhulp",
    text: "Schuldhulpverlening alleen bij problematische schulden of eerdere schuldhulp (problematische_schulden = 1 of schuldhulp_eerder = 1).",
    anyOf: [
      { feature: "problematische_schulden", equals: 1 },
      { feature: "schuldhulp_eerder", equals: 1 },
    ],
  },
];

function conditionMet(condition: z.infer<typeof EligibilityConditionSchema>, row: Row): boolean {
  const value = row[condition.feature];
  if (value === null || value === undefined || String(value).trim() === "") return true;
  if (typeof condition.equals === "number") {
    const v = toNumber(value);
    return v === null || Number.isNaN(v) ? true : v === condition.equals;
  }
  return String(value).trim() === condition.equals;
}

/** The rules that apply to this schema (arm and every feature present). */
export function applicableRules(schema: TableSchema, rules: readonly EligibilityRule[]): EligibilityRule[] {
  const features = new Set(schema.features.map((f) => f.name));
  return rules.filter((r) => schema.treatment.arms.includes(r.arm) && r.anyOf.every((c) => features.has(c.feature)));
}

/** Per arm: null when eligible, else the text of the first rule that excludes it. */
export function eligibility(schema: TableSchema, rules: readonly EligibilityRule[], row: Row): Record<string, string | null> {
  const result: Record<string, string | null> = Object.fromEntries(schema.treatment.arms.map((a) => [a, null]));
  for (const rule of rules) {
    if (result[rule.arm] !== null) continue;
    if (!rule.anyOf.some((c) => conditionMet(c, row))) result[rule.arm] = rule.text;
  }
  return result;
}
