import { z } from "zod";

/**
 * report.json, the "what works for whom" report (README, "What works for whom").
 * The contract other tools read: `effects`, a list of { outcome, arm, group, estimate, lower, upper, n }
 * with `group` null for the whole table or { feature, value } for a subgroup, `arm` the trajectory key,
 * estimates on the outcome's own scale (a binary outcome: a difference in proportions; a continuous
 * one: in its unit). A figure hidden by small-cell suppression has estimate, lower, upper and n null.
 */
export const REPORT_FILE = "report.json";
export const REPORT_HTML_FILE = "report.html";
export const REPORT_FORMAT = "trajectwijzer-report";
export const REPORT_FORMAT_VERSION = 1;

const Figure = z.number().nullable();

export const GroupSchema = z.strictObject({ feature: z.string().min(1), value: z.string() });
export type Group = z.infer<typeof GroupSchema>;

export const EffectSchema = z.strictObject({
  outcome: z.string().min(1),
  arm: z.string().min(1),
  group: GroupSchema.nullable(),
  estimate: Figure,
  lower: Figure,
  upper: Figure,
  n: z.number().int().min(10).nullable(),
});
export type Effect = z.infer<typeof EffectSchema>;

/** One coefficient of a best linear projection: `arm` null = the outcome under the control arm. */
export const FactorSchema = z.strictObject({
  outcome: z.string().min(1),
  arm: z.string().min(1).nullable(),
  /** `value` null: a numeric factor, per standard deviation (`perSd`); else the indicator of that value. */
  factor: z.strictObject({ feature: z.string().min(1), value: z.string().nullable() }),
  estimate: Figure,
  lower: Figure,
  upper: Figure,
  n: z.number().int().min(10).nullable(),
});
export type Factor = z.infer<typeof FactorSchema>;

export const ReportSchema = z.strictObject({
  format: z.literal(REPORT_FORMAT),
  formatVersion: z.literal(REPORT_FORMAT_VERSION),
  /** ISO timestamp with time (never a bare calendar date). */
  generatedAt: z.string().min(1),
  lang: z.enum(["nl", "en"]),
  model: z.strictObject({ version: z.string().min(1) }),
  table: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), rows: z.number().int().min(10) }),
  minCell: z.number().int().min(1),
  control: z.string().min(1),
  arms: z.array(z.strictObject({ key: z.string().min(1), name: z.string().min(1) })),
  outcomes: z.array(
    z.strictObject({
      column: z.string().min(1),
      type: z.enum(["binary", "continuous"]),
      label: z.string().min(1),
      unit: z.string().nullable(),
      primary: z.boolean(),
      /** How the outcome model was made: the bundle's network, or cross-fitted linear models. */
      outcomeModel: z.enum(["network", "linear"]),
      n: z.number().int().min(10),
    }),
  ),
  subgroups: z.array(
    z.strictObject({
      feature: z.string().min(1),
      label: z.string().min(1),
      /** `audit`: kept only to audit fairness (origin, sex), never a model feature. */
      role: z.enum(["feature", "audit"]),
      values: z.array(z.strictObject({ value: z.string(), label: z.string().min(1), n: z.number().int().min(10).nullable() })),
    }),
  ),
  factorScales: z.array(z.strictObject({ feature: z.string().min(1), label: z.string().min(1), sd: z.number() })),
  overlap: z.strictObject({
    /** Propensities below `clip` are raised to it before they divide. */
    clip: z.number(),
    /** A client has too little overlap for a trajectory when the chance of it or of the control arm is below this. */
    threshold: z.number(),
    /** Share of clients with too little overlap for at least one trajectory. */
    share: z.number().min(0).max(1),
    perArm: z.array(z.strictObject({ arm: z.string().min(1), share: z.number().min(0).max(1) })),
  }),
  effects: z.array(EffectSchema),
  factors: z.array(FactorSchema),
  /**
   * Present when the table carries the app's logged first-position probabilities (shownFirst …):
   * how many rows' propensities used them (null: fewer than minCell) and the estimated share of
   * case workers who followed the arm shown first.
   */
  loggedProbabilities: z.strictObject({ rows: z.number().int().min(0).nullable(), followShare: z.number().min(0).max(1).nullable() }).optional(),
});
export type Report = z.infer<typeof ReportSchema>;
