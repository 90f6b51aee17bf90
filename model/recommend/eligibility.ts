import { ruleFeatureNames, ruleHolds } from "../config/catalogue.js";
import { type Catalogue, defaultCatalogue, RuleSchema, TextSchema } from "../config/municipality.js";
import { z } from "zod";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";

/**
 * Eligibility rules are configuration, not code: each trajectory of a catalogue may carry a
 * rule over profile facts with a text in Dutch and English. An arm is eligible when its rule
 * holds; a condition on a missing value counts as met (nobody is excluded for lack of data).
 * Rules naming an arm or a feature the schema does not have are ignored.
 */
export const EligibilityRuleSchema = z.object({
  arm: z.string().min(1),
  /** The rule in plain words, shown when it excludes the arm. */
  text: TextSchema,
  rule: RuleSchema,
});
export type EligibilityRule = z.infer<typeof EligibilityRuleSchema>;

/** A catalogue's rules, one per trajectory that has one. */
export function eligibilityRules(catalogue: Catalogue): EligibilityRule[] {
  return catalogue.trajectories.flatMap((t) => (t.eligibility ? [{ arm: t.key, text: t.eligibility.text, rule: t.eligibility.rule }] : []));
}

/** The default configuration's rules (taaltraject, schuldhulp). */
export const DEFAULT_ELIGIBILITY_RULES: readonly EligibilityRule[] = eligibilityRules(defaultCatalogue());

/** The rules that apply to this schema (arm and every feature present). */
export function applicableRules(schema: TableSchema, rules: readonly EligibilityRule[]): EligibilityRule[] {
  const features = new Set(schema.features.map((f) => f.name));
  return rules.filter((r) => schema.treatment.arms.includes(r.arm) && ruleFeatureNames(r.rule).every((f) => features.has(f)));
}

/** Per arm: null when eligible, else the (Dutch) text of the first rule that excludes it. */
export function eligibility(schema: TableSchema, rules: readonly EligibilityRule[], row: Row): Record<string, string | null> {
  const result: Record<string, string | null> = Object.fromEntries(schema.treatment.arms.map((a) => [a, null]));
  for (const rule of rules) {
    if (result[rule.arm] !== null) continue;
    if (!ruleHolds(rule.rule, row)) result[rule.arm] = rule.text.nl;
  }
  return result;
}
