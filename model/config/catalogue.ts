import { z } from "zod";
import { SchemaError } from "../errors.js";
import type { Row } from "../table/read.js";
import { toNumber } from "../table/value.js";
import type { TableSchema } from "../table-schema.js";
import { type Catalogue, type FeatureConfig, parseCatalogue, type Rule, type Text, type WhatIfConfig } from "./municipality.js";

export type Lang = keyof Text;

/** One client's profile in a catalogue's terms: feature → value (null = unknown, where allowed). */
export type Profile = Record<string, string | number | null>;

// ---------------------------------------------------------------- labels

/** A feature's label; the name itself when the catalogue does not know it. */
export function featureLabel(catalogue: Catalogue, name: string, lang: Lang): string {
  return catalogue.features.find((f) => f.name === name)?.label[lang] ?? name;
}

/** A categorical value's label (or the value), a number as written. */
export function valueLabel(catalogue: Catalogue, feature: string, value: string | number, lang: Lang): string {
  if (typeof value === "number") return String(value);
  const f = catalogue.features.find((x) => x.name === feature);
  return f?.values?.find((v) => v.value === value)?.label[lang] ?? value;
}

export function groupLabel(catalogue: Catalogue, group: string, lang: Lang): string {
  return catalogue.groups.find((g) => g.key === group)?.label[lang] ?? group;
}

export function trajectoryName(catalogue: Catalogue, arm: string, lang: Lang): string {
  return catalogue.trajectories.find((t) => t.key === arm)?.name[lang] ?? arm;
}

// ---------------------------------------------------------------- rules

function conditionHolds(rule: Exclude<Rule, { all: Rule[] } | { any: Rule[] }>, row: Row): boolean {
  const value = row[rule.feature];
  // Nobody is excluded for lack of data: a condition on an unknown value counts as met.
  if (value === null || value === undefined || String(value).trim() === "") return true;
  const matches = (expected: number | string) => {
    if (typeof expected === "number") {
      const v = toNumber(value);
      return v === null || Number.isNaN(v) ? true : v === expected;
    }
    return String(value).trim() === expected;
  };
  if ("equals" in rule) return matches(rule.equals);
  if ("in" in rule) return rule.in.some(matches);
  const v = toNumber(value);
  if (v === null || Number.isNaN(v)) return true;
  return (rule.atLeast === undefined || v >= rule.atLeast) && (rule.atMost === undefined || v <= rule.atMost);
}

/** Whether a rule holds for a row (or profile). */
export function ruleHolds(rule: Rule, row: Row): boolean {
  if ("all" in rule) return rule.all.every((r) => ruleHolds(r, row));
  if ("any" in rule) return rule.any.some((r) => ruleHolds(r, row));
  return conditionHolds(rule, row);
}

/** The features a rule reads. */
export function ruleFeatureNames(rule: Rule): string[] {
  if ("all" in rule) return rule.all.flatMap(ruleFeatureNames);
  if ("any" in rule) return rule.any.flatMap(ruleFeatureNames);
  return [rule.feature];
}

/** Per trajectory: null when it may be advised to this client, else the rule's text saying why not. */
export function eligibilityFor(catalogue: Catalogue, profile: Row): Record<string, Text | null> {
  return Object.fromEntries(
    catalogue.trajectories.map((t) => [t.key, t.eligibility && !ruleHolds(t.eligibility.rule, profile) ? t.eligibility.text : null]),
  );
}

// ---------------------------------------------------------------- what-ifs

/** A what-if resolved against its catalogue: a next-level what-if carries the feature's value order. */
export type WhatIf =
  | { key: string; label: Text; kind: "set"; set: { feature: string; value: number | string }[] }
  | { key: string; label: Text; kind: "next-level"; feature: string; levels: string[] };

export function whatIfsFor(catalogue: Catalogue): WhatIf[] {
  return catalogue.whatIfs.map((w: WhatIfConfig): WhatIf => {
    if ("set" in w) return { key: w.key, label: w.label, kind: "set", set: w.set };
    const levels = catalogue.features.find((f) => f.name === w.nextLevel)?.values?.map((v) => v.value) ?? [];
    return { key: w.key, label: w.label, kind: "next-level", feature: w.nextLevel, levels };
  });
}

/** The features a what-if changes. */
export const whatIfFeatures = (w: WhatIf): string[] => (w.kind === "set" ? w.set.map((s) => s.feature) : [w.feature]);

const unknown = (value: unknown) => value === null || value === undefined || String(value).trim() === "";

/**
 * The row with the what-if applied, or null when it does not apply to this client: a fact is
 * unknown (nothing to change), nothing would change, or the value is already the highest level.
 */
export function applyWhatIf<T extends Row>(w: WhatIf, row: T): T | null {
  if (w.kind === "set") {
    if (w.set.some((s) => unknown(row[s.feature]))) return null;
    const same = (s: { feature: string; value: number | string }) =>
      typeof s.value === "number" ? toNumber(row[s.feature]) === s.value : String(row[s.feature]).trim() === s.value;
    if (w.set.every(same)) return null;
    return { ...row, ...Object.fromEntries(w.set.map((s) => [s.feature, s.value])) };
  }
  const index = w.levels.indexOf(String(row[w.feature] ?? "").trim());
  if (index < 0 || index >= w.levels.length - 1) return null;
  return { ...row, [w.feature]: w.levels[index + 1] };
}

// ---------------------------------------------------------------- profile schema

const emptyToNull = (v: unknown) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v);

function fieldSchema(f: FeatureConfig): z.ZodType<string | number | null> {
  let base: z.ZodType<string | number>;
  if (f.type === "categorical") {
    base = f.values ? z.enum(f.values.map((v) => v.value) as [string, ...string[]]) : z.string().trim().min(1);
  } else if (f.type === "binary") {
    base = z.coerce.number().int().min(0).max(1);
  } else {
    let n = z.coerce.number().finite();
    if (f.integer) n = n.int();
    if (f.range) n = n.min(f.range[0]).max(f.range[1]);
    base = n;
  }
  // An empty or null answer is "unknown" where allowed and a missing answer elsewhere (never coerced to 0).
  return f.unknownAllowed ? z.preprocess(emptyToNull, base.nullable()) : z.preprocess((v) => emptyToNull(v) ?? undefined, base);
}

/**
 * The zod schema of one client's profile in this catalogue's terms, built at run time:
 * categorical values from the list, binary 0/1, numbers within their range. A feature
 * may be left unknown (null, or empty from a form) only when the catalogue allows it
 * (`unknownAllowed`), since the model then imputes it.
 */
export function profileSchemaFor(catalogue: Catalogue) {
  return z.object(Object.fromEntries(catalogue.features.map((f) => [f.name, fieldSchema(f)])) as Record<string, z.ZodType<string | number | null>>);
}

// ---------------------------------------------------------------- catalogue of a table

/**
 * Generic defaults for a table without a configuration: every label is the column name,
 * one explanation group per feature (or the schema's group), no eligibility rules, no
 * what-ifs, every answer may be unknown (the table contract imputes). `levels` (e.g. the
 * encoder's, already aggregated to levels of ten or more rows) become the categorical values.
 */
export function catalogueFromSchema(schema: TableSchema, options: { levels?: Record<string, readonly string[]> } = {}): Catalogue {
  const same = (text: string): Text => ({ nl: text, en: text });
  const groupOf = (f: TableSchema["features"][number]) => f.group ?? f.name;
  const groups = [...new Set(schema.features.map(groupOf))];
  return parseCatalogue(
    {
      version: 1,
      control: schema.treatment.control,
      trajectories: schema.treatment.arms.map((arm) => ({ key: arm, name: same(arm) })),
      outcomes: { primary: { column: schema.outcome.column, type: schema.outcome.type, label: same(schema.outcome.column) }, secondary: [] },
      groups: groups.map((g) => ({ key: g, label: same(g) })),
      features: schema.features.map((f) => {
        const levels = (options.levels?.[f.name] ?? []).filter((l) => l !== "unknown");
        return {
          name: f.name,
          type: f.type,
          group: groupOf(f),
          label: same(f.name),
          unknownAllowed: true,
          ...(f.type === "categorical" && levels.length > 0 ? { values: levels.map((l) => ({ value: l, label: same(l) })) } : {}),
        };
      }),
      whatIfs: [],
    },
    `${schema.name} (generic catalogue)`,
  );
}

/**
 * Why a configuration does not describe a table, or null when it does: every arm is one of
 * its trajectories, the control is the same, every feature is declared with the same type.
 */
export function configMismatch(schema: TableSchema, config: Catalogue): string | null {
  const trajectories = new Set(config.trajectories.map((t) => t.key));
  const missingArms = schema.treatment.arms.filter((a) => !trajectories.has(a));
  if (missingArms.length > 0) return `trajectories ${missingArms.map((a) => `"${a}"`).join(", ")} are not in the configuration`;
  if (schema.treatment.control !== config.control) return `the control arm is "${schema.treatment.control}", the configuration's is "${config.control}"`;
  const features = new Map(config.features.map((f) => [f.name, f]));
  for (const f of schema.features) {
    const declared = features.get(f.name);
    if (!declared) return `feature "${f.name}" is not in the configuration`;
    if (declared.type !== f.type) return `feature "${f.name}" is ${f.type} in the table, ${declared.type} in the configuration`;
  }
  return null;
}

/**
 * The part of a configuration a table uses: its arms (in the schema's order), its features,
 * the groups they belong to, the rules and what-ifs whose facts are all there, and the
 * table's outcome as the primary one.
 */
export function restrictCatalogue(config: Catalogue, schema: TableSchema): Catalogue {
  const mismatch = configMismatch(schema, config);
  if (mismatch !== null) throw new SchemaError(`the configuration does not describe table "${schema.name}": ${mismatch}`);
  const names = new Set(schema.features.map((f) => f.name));
  const byName = new Map(config.features.map((f) => [f.name, f]));
  const features = schema.features.map((f) => byName.get(f.name) as FeatureConfig);
  const groups = new Set(features.map((f) => f.group));
  const usableWhatIfs = new Set(whatIfsFor(config).flatMap((w) => (whatIfFeatures(w).every((n) => names.has(n)) ? [w.key] : [])));
  const outcomes = [config.outcomes.primary, ...config.outcomes.secondary];
  const primary = outcomes.find((o) => o.column === schema.outcome.column && o.type === schema.outcome.type) ?? {
    column: schema.outcome.column,
    type: schema.outcome.type,
    label: { nl: schema.outcome.column, en: schema.outcome.column },
  };
  return parseCatalogue(
    {
      ...config,
      trajectories: schema.treatment.arms.map((arm) => {
        const t = config.trajectories.find((x) => x.key === arm);
        if (!t) throw new SchemaError(`trajectory "${arm}" is not in the configuration`);
        const usable = !t.eligibility || ruleFeatureNames(t.eligibility.rule).every((n) => names.has(n));
        const { eligibility: _dropped, ...rest } = t;
        return usable ? t : rest;
      }),
      outcomes: { primary, secondary: outcomes.filter((o) => o.column !== primary.column) },
      groups: config.groups.filter((g) => groups.has(g.key)),
      features,
      whatIfs: config.whatIfs.filter((w) => usableWhatIfs.has(w.key)),
    },
    `${schema.name} (catalogue from the configuration)`,
  );
}

/** The table schema with each feature in the catalogue's explanation group (for the encoder). */
export function withCatalogueGroups(schema: TableSchema, catalogue: Catalogue): TableSchema {
  const groupOf = new Map(catalogue.features.map((f) => [f.name, f.group]));
  return { ...schema, features: schema.features.map((f) => ({ ...f, group: groupOf.get(f.name) ?? f.group ?? f.name })) };
}

/**
 * The catalogue for a table: the configuration's part for it when the configuration describes
 * the table, else generic defaults. `source` says which, `mismatch` why not the configuration.
 */
export function catalogueForSchema(
  schema: TableSchema,
  options: { config?: Catalogue; levels?: Record<string, readonly string[]> } = {},
): { catalogue: Catalogue; source: "config" | "generic"; mismatch: string | null } {
  const mismatch = options.config ? configMismatch(schema, options.config) : "no configuration";
  if (options.config && mismatch === null) return { catalogue: restrictCatalogue(options.config, schema), source: "config", mismatch: null };
  return { catalogue: catalogueFromSchema(schema, options.levels ? { levels: options.levels } : {}), source: "generic", mismatch };
}

/** Why a bundle's catalogue does not fit its schema (same arms, control and features with types), or null. */
export function catalogueSchemaMismatch(schema: TableSchema, catalogue: Catalogue): string | null {
  const arms = catalogue.trajectories.map((t) => t.key);
  if ([...arms].sort().join("\u0000") !== [...schema.treatment.arms].sort().join("\u0000")) return "its trajectories are not the schema's arms";
  if (catalogue.control !== schema.treatment.control) return "its control is not the schema's";
  const features = catalogue.features.map((f) => `${f.name}:${f.type}`);
  if (features.join("\u0000") !== schema.features.map((f) => `${f.name}:${f.type}`).join("\u0000")) return "its features are not the schema's";
  return null;
}
