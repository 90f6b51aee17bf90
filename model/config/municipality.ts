import { z } from "zod";
import defaultConfigJson from "../../config/municipality.json" with { type: "json" };
import { SchemaError } from "../errors.js";

/**
 * A municipality's configuration (README, "Municipal configuration"): its trajectory catalogue,
 * outcomes, profile features with labels, explanation groups and what-ifs. It is data that
 * the model, the app and the CLIs read; a bundle carries the catalogue it was trained with
 * (catalogue.json, same schema). Every text a person reads comes in Dutch and English.
 *
 * Objects are strict so that a catalogue inside a bundle can only hold labels and rules:
 * the disclosure check relies on that (no extra keys to carry data in).
 * Browser-safe (no node: imports): the app's components read labels through it.
 * Reading a deployment's file is server-only: ./load.ts.
 */
export const TextSchema = z.strictObject({ nl: z.string().min(1), en: z.string().min(1) });
export type Text = z.infer<typeof TextSchema>;

/** A code as the table writes it: any arm a generic table may have, so no narrower than the table schema. */
const Key = z.string().min(1);
const Value = z.union([z.number(), z.string().min(1)]);

/** One condition on one profile fact. A condition on a missing (unknown) value counts as met. */
export const ConditionSchema = z.union([
  z.strictObject({ feature: z.string().min(1), equals: Value }),
  z.strictObject({ feature: z.string().min(1), in: z.array(Value).min(1) }),
  z
    .strictObject({ feature: z.string().min(1), atLeast: z.number().optional(), atMost: z.number().optional() })
    .refine((c) => c.atLeast !== undefined || c.atMost !== undefined, "give atLeast, atMost or both"),
]);
export type Condition = z.infer<typeof ConditionSchema>;

/** A small rule language: a condition, all of some rules, or any of some rules (nested as needed). */
export type Rule = Condition | { all: Rule[] } | { any: Rule[] };
export const RuleSchema: z.ZodType<Rule> = z.lazy(() =>
  z.union([ConditionSchema, z.strictObject({ all: z.array(RuleSchema).min(1) }), z.strictObject({ any: z.array(RuleSchema).min(1) })]),
);

export const TrajectorySchema = z.strictObject({
  key: Key,
  name: TextSchema,
  description: TextSchema.optional(),
  /** When the trajectory may be advised; `text` says so in words (shown when it excludes the arm). */
  eligibility: z.strictObject({ rule: RuleSchema, text: TextSchema }).optional(),
  /** Cost per client in euros (optional; the ranking weighs it only when asked to). */
  cost: z.number().min(0).optional(),
  /** Places per year (optional, informative). */
  capacity: z.number().int().min(0).optional(),
});
export type Trajectory = z.infer<typeof TrajectorySchema>;

export const OutcomeSpecSchema = z.strictObject({
  column: z.string().min(1),
  type: z.enum(["binary", "continuous"]),
  label: TextSchema,
  unit: TextSchema.optional(),
  /**
   * Secondary outcomes: which way is better ("higher" by default; "lower" for care need or problem
   * debts), and how much the ranking weighs the outcome's gain against the gain in work (default 0:
   * the ranking stays on work). The ranking score is work gain + Σ weight × secondary gain, the
   * secondary gain's sign flipped for an outcome where lower is better.
   */
  better: z.enum(["higher", "lower"]).optional(),
  weight: z.number().min(0).max(10).optional(),
});
export type OutcomeSpec = z.infer<typeof OutcomeSpecSchema>;

export const FeatureConfigSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(["numeric", "binary", "categorical"]),
  /** Key of the explanation group (see `groups`). */
  group: z.string().min(1),
  label: TextSchema,
  help: TextSchema.optional(),
  unit: TextSchema.optional(),
  /** Categorical: the allowed values in their natural order (a "next level" what-if follows it). */
  values: z.array(z.strictObject({ value: z.string().min(1), label: TextSchema })).min(1).optional(),
  /** Numeric: the allowed range, [lowest, highest], both inclusive. */
  range: z.tuple([z.number(), z.number()]).optional(),
  /** Numeric: whole numbers only. */
  integer: z.boolean().optional(),
  /** Accepted for older files; the intake never pre-fills an answer (an unasked fact must not pass for one). */
  default: Value.optional(),
  /**
   * The answer may be left unknown (empty): the model imputes a missing numeric or binary
   * value and maps an unknown category to its "unknown" level (DESIGN, generic table format).
   */
  unknownAllowed: z.boolean().optional(),
});
export type FeatureConfig = z.infer<typeof FeatureConfigSchema>;

export const WhatIfConfigSchema = z.union([
  z.strictObject({
    key: Key,
    label: TextSchema,
    /** The facts this what-if sets. */
    set: z.array(z.strictObject({ feature: z.string().min(1), value: Value })).min(1),
  }),
  z.strictObject({
    key: Key,
    label: TextSchema,
    /** A categorical feature moved one value up its `values` order. */
    nextLevel: z.string().min(1),
  }),
]);
export type WhatIfConfig = z.infer<typeof WhatIfConfigSchema>;

const CatalogueObjectSchema = z.strictObject({
  version: z.literal(1),
  municipality: TextSchema.optional(),
  control: Key,
  trajectories: z.array(TrajectorySchema).min(2),
  outcomes: z.strictObject({ primary: OutcomeSpecSchema, secondary: z.array(OutcomeSpecSchema).default([]) }),
  groups: z.array(z.strictObject({ key: z.string().min(1), label: TextSchema })),
  features: z.array(FeatureConfigSchema).min(1),
  whatIfs: z.array(WhatIfConfigSchema).default([]),
});

const unique = (values: readonly string[]): string | null => {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return null;
};

function ruleFeatures(rule: Rule): Condition[] {
  if ("all" in rule) return rule.all.flatMap(ruleFeatures);
  if ("any" in rule) return rule.any.flatMap(ruleFeatures);
  return [rule];
}

/** Whether `value` is an allowed value of the feature (type, category, range). */
export function valueFits(feature: FeatureConfig, value: number | string): boolean {
  if (feature.type === "categorical") return feature.values ? feature.values.some((v) => v.value === String(value)) : true;
  if (typeof value !== "number") return false;
  if (feature.type === "binary") return value === 0 || value === 1;
  if (feature.integer && !Number.isInteger(value)) return false;
  return !feature.range || (value >= feature.range[0] && value <= feature.range[1]);
}

/**
 * The catalogue: one municipality's configuration, or the part of it a bundle was trained on.
 * Cross-references are checked: the control is a trajectory, groups are declared, rules and
 * what-ifs name declared features with values that feature can take.
 */
export const CatalogueSchema = CatalogueObjectSchema.superRefine((c, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const dupArm = unique(c.trajectories.map((t) => t.key));
  if (dupArm !== null) issue(["trajectories"], `trajectory key "${dupArm}" is used twice`);
  if (!c.trajectories.some((t) => t.key === c.control)) issue(["control"], `control "${c.control}" is not one of the trajectories`);
  const dupFeature = unique(c.features.map((f) => f.name));
  if (dupFeature !== null) issue(["features"], `feature "${dupFeature}" is declared twice`);
  const dupOutcome = unique([c.outcomes.primary, ...c.outcomes.secondary].map((o) => o.column));
  if (dupOutcome !== null) issue(["outcomes"], `outcome "${dupOutcome}" is declared twice`);
  if (c.outcomes.primary.weight !== undefined) issue(["outcomes", "primary", "weight"], "only a secondary outcome has a weight");
  c.outcomes.secondary.forEach((o, i) => {
    if (o.weight && o.type !== "binary") issue(["outcomes", "secondary", i, "weight"], "only a binary secondary outcome can weigh in the ranking");
  });
  const dupGroup = unique(c.groups.map((g) => g.key));
  if (dupGroup !== null) issue(["groups"], `group "${dupGroup}" is declared twice`);
  const dupWhatIf = unique(c.whatIfs.map((w) => w.key));
  if (dupWhatIf !== null) issue(["whatIfs"], `what-if "${dupWhatIf}" is declared twice`);
  const groups = new Set(c.groups.map((g) => g.key));
  const features = new Map(c.features.map((f) => [f.name, f]));
  c.features.forEach((f, i) => {
    if (!groups.has(f.group)) issue(["features", i, "group"], `group "${f.group}" is not declared in groups`);
    if (f.values && f.type !== "categorical") issue(["features", i, "values"], "only a categorical feature has a list of values");
    if (f.values) {
      const dup = unique(f.values.map((v) => v.value));
      if (dup !== null) issue(["features", i, "values"], `value "${dup}" is listed twice`);
    }
    if ((f.range || f.integer !== undefined) && f.type !== "numeric") issue(["features", i], "range and integer are for numeric features");
    if (f.range && f.range[0] > f.range[1]) issue(["features", i, "range"], "the range's lowest value is above its highest");
    if (f.default !== undefined && !valueFits(f, f.default)) issue(["features", i, "default"], "the default is not an allowed value");
  });
  const checkValue = (path: (string | number)[], name: string, value: number | string) => {
    const f = features.get(name);
    if (!f) issue(path, `feature "${name}" is not declared in features`);
    else if (!valueFits(f, value)) issue(path, `${JSON.stringify(value)} is not an allowed value of "${name}"`);
  };
  c.trajectories.forEach((t, i) => {
    if (!t.eligibility) return;
    for (const cond of ruleFeatures(t.eligibility.rule)) {
      const path = ["trajectories", i, "eligibility", "rule"];
      if ("equals" in cond) checkValue(path, cond.feature, cond.equals);
      else if ("in" in cond) for (const v of cond.in) checkValue(path, cond.feature, v);
      else if (features.get(cond.feature)?.type !== "numeric") issue(path, `atLeast/atMost need a numeric feature, "${cond.feature}" is not one`);
    }
  });
  c.whatIfs.forEach((w, i) => {
    if ("set" in w) {
      for (const s of w.set) checkValue(["whatIfs", i, "set"], s.feature, s.value);
    } else {
      const f = features.get(w.nextLevel);
      if (!f?.values || f.values.length < 2) issue(["whatIfs", i, "nextLevel"], `"${w.nextLevel}" is not a categorical feature with at least two values`);
    }
  });
});
export type Catalogue = z.output<typeof CatalogueSchema>;
/** The file a municipality writes (defaults not yet filled in). */
export type MunicipalConfigInput = z.input<typeof CatalogueSchema>;

/** The first zod issue as one line: `where: path: message`. */
export function firstIssue(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  return `${where}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`;
}

/** Validates a parsed configuration; throws SchemaError naming the file, the path and the problem. */
export function parseCatalogue(value: unknown, where: string): Catalogue {
  const parsed = CatalogueSchema.safeParse(value);
  if (!parsed.success) throw new SchemaError(firstIssue(parsed.error, where));
  return parsed.data;
}

/** The repository's configuration file (config/municipality.json): the synthetic default municipality. */
export const DEFAULT_CONFIG_FILE = "config/municipality.json";
const DEFAULT_CATALOGUE: Catalogue = parseCatalogue(defaultConfigJson, DEFAULT_CONFIG_FILE);

/**
 * The default catalogue: today's synthetic municipality, which the generator, the linker and
 * the demo speak. A deployment's own file (MUNICIPALITY_CONFIG) is read by loadMunicipalConfig (./load.ts).
 */
export function defaultCatalogue(): Catalogue {
  return DEFAULT_CATALOGUE;
}

/**
 * Code written for one configuration's vocabulary (the synthetic generator and linker derive
 * exactly these trajectory codes and levels) states it as a typed list; this checks that the
 * configuration declares the same list, in the same order, so the two cannot drift apart.
 */
export function declaredInConfig<const T extends readonly string[]>(what: string, fromConfig: readonly string[], expected: T): T {
  if (fromConfig.join("\u0000") !== expected.join("\u0000")) {
    throw new SchemaError(`${DEFAULT_CONFIG_FILE}: ${what} must be ${expected.join(", ")} (the generator and linker derive these); found ${fromConfig.join(", ")}`);
  }
  return expected;
}
