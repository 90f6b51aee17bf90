import { z } from "zod";
import { ValidationSchema } from "../learners/select.js";
import type { TableSchema } from "../table-schema.js";
import { ARCHITECTURE, cardKind, INTERVAL, PERFORMANCE_SPLIT } from "./learner-card-text.js";
import type { ReferenceStats } from "./reference.js";

/** The model card: purpose, data, features used and deliberately not used, performance, limits. */
const PerformanceSchema = z.object({
  rows: z.number().int().nullable(),
  auc: z.number().nullable(),
  brier: z.number().nullable(),
  ece: z.number().nullable(),
  rmse: z.number().nullable(),
});
export type Performance = z.infer<typeof PerformanceSchema>;

export const ValidationMetricsSchema = z.object({
  /**
   * Whose rows: "validation", the network's early-stopping split (the network predicts); or
   * "cross-fitted", every training row, each predicted by the validation's fits without it (any
   * other learner predicts: its performance, not the network's).
   */
  split: z.enum(["validation", "cross-fitted"]),
  overall: PerformanceSchema,
  perArm: z.record(z.string(), PerformanceSchema),
  /** audit column → group → performance (groups under 10 rows left out). */
  perGroup: z.record(z.string(), z.record(z.string(), PerformanceSchema)),
});
export type ValidationMetrics = z.infer<typeof ValidationMetricsSchema>;

export const MetricsFileSchema = z.object({
  validation: ValidationMetricsSchema,
  /** Filled by `evaluate` on a held-out table; null until then. */
  test: z.unknown().nullable(),
});
export type MetricsFile = z.infer<typeof MetricsFileSchema>;

export const ModelCardSchema = z.object({
  version: z.string(),
  createdAt: z.string(),
  purpose: z.string(),
  intendedUse: z.string(),
  notIntendedFor: z.array(z.string()),
  model: z.object({
    architecture: z.string(),
    members: z.number().int(),
    outcome: z.object({ column: z.string(), type: z.enum(["binary", "continuous"]) }),
    arms: z.array(z.string()),
    control: z.string(),
    backend: z.string(),
    seed: z.number(),
    /** Arms whose expected outcome is fitted log-linear (multiplicative) rather than linear; absent when none. */
    logLinearArms: z.array(z.string()).optional(),
  }),
  data: z.object({
    table: z.string(),
    rows: z.number().int().nullable(),
    rowsPerArm: z.record(z.string(), z.number().int().nullable()),
    validationShare: z.number(),
    /** Rows each arm's calibration was fitted on (absent in cards written before it was recorded: the validation split). */
    calibrationRows: z.enum(["all", "validation"]).optional(),
  }),
  featuresUsed: z.array(z.object({ name: z.string(), type: z.string(), group: z.string() })),
  featuresNotUsed: z.array(z.object({ name: z.string(), reason: z.string() })),
  performance: ValidationMetricsSchema,
  /**
   * Which learner predicts, and the cross-fitted causal validation on the training rows that chose
   * it (absent in cards written before learners were chosen: the network, advice shown as advice).
   */
  learner: z.object({ kind: z.string(), validation: ValidationSchema.nullable() }).optional(),
  limits: z.array(z.string()),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

export function buildModelCard(options: {
  version: string;
  createdAt: string;
  schema: TableSchema;
  tableColumns: string[];
  tableName: string;
  reference: ReferenceStats;
  members: number;
  backend: string;
  seed: number;
  validationShare: number;
  calibrationRows: "all" | "validation";
  metrics: ValidationMetrics;
  learner?: { kind: string; validation: z.infer<typeof ValidationSchema> | null };
  logLinearArms?: string[];
}): ModelCard {
  const { schema } = options;
  const kind = cardKind(options.learner?.kind);
  const featureNames = new Set(schema.features.map((f) => f.name));
  const reasons = new Map<string, string>();
  if (schema.id) reasons.set(schema.id, "pseudonym / row id: identifies a row, not a client property");
  reasons.set(schema.treatment.column, "the intervention itself (the model predicts under every intervention)");
  reasons.set(schema.outcome.column, "the outcome being predicted");
  for (const a of schema.audit ?? []) reasons.set(a, "audit only: kept to check fairness per group, never a model feature");
  for (const t of Object.values(schema.truth ?? {})) reasons.set(t, "ground truth for evaluation only, never seen in training");
  for (const c of options.tableColumns) {
    if (!featureNames.has(c) && !reasons.has(c)) reasons.set(c, "not listed as a feature in the schema");
  }
  return {
    version: options.version,
    createdAt: options.createdAt,
    purpose:
      "Estimates, for one client, the chance of the outcome under each intervention, the gain over the control arm, " +
      "its uncertainty and the evidence behind it, to support (never replace) a case worker's choice of trajectory.",
    intendedUse: "Decision support for case workers, who always decide and can overrule the advice with a reason.",
    notIntendedFor: [
      "sanctions, fraud detection or any decision about benefits",
      "ranking or selecting clients against each other",
      "use outside the population and period the training data describe",
    ],
    model: {
      architecture: ARCHITECTURE[kind].en,
      members: options.members,
      outcome: schema.outcome,
      arms: schema.treatment.arms,
      control: schema.treatment.control,
      backend: options.backend,
      seed: options.seed,
      ...(options.logLinearArms?.length ? { logLinearArms: options.logLinearArms } : {}),
    },
    data: {
      table: options.tableName,
      rows: options.reference.rows,
      rowsPerArm: options.reference.arms,
      validationShare: options.validationShare,
      calibrationRows: options.calibrationRows,
    },
    featuresUsed: schema.features.map((f) => ({ name: f.name, type: f.type, group: f.group ?? f.name })),
    featuresNotUsed: [...reasons.entries()].map(([name, reason]) => ({ name, reason })),
    performance: options.metrics,
    ...(options.learner ? { learner: options.learner } : {}),
    limits: [
      ...(options.learner?.validation && !options.learner.validation.advise
        ? [`Not advice: on the training data's own held-out folds, ${options.learner.validation.adviceReason}. The app shows the ranking as information, without a recommended trajectory.`]
        : []),
      "Learned from observational data: the estimates are causal only if the recorded features capture why clients got their intervention (no unmeasured confounding).",
      "Where few comparable clients got an intervention (low propensity, or fewer than 10 in the client's cell) the estimate is flagged as low evidence and never ranked first.",
      INTERVAL[kind].en,
      PERFORMANCE_SPLIT[options.metrics.split].en,
      "Nationality, origin and case workers' impressions are never features; origin and sex are used only to audit fairness.",
    ],
  };
}

const pct = (v: number | null): string => (v === null ? "–" : v.toFixed(3));

export function modelCardMarkdown(card: ModelCard): string {
  const lines: string[] = [];
  lines.push(`# Model card — ${card.version}`, "");
  lines.push(`Created ${card.createdAt}.`, "");
  lines.push("## Purpose", "", card.purpose, "", card.intendedUse, "");
  lines.push("Not intended for:", "", ...card.notIntendedFor.map((s) => `- ${s}`), "");
  lines.push("## Model", "");
  lines.push(`- ${card.model.architecture}`);
  const beside = cardKind(card.learner?.kind) === "network" ? "" : "the network in the bundle beside it: ";
  lines.push(`- ${beside}${card.model.members} ensemble members, seed ${card.model.seed}, backend ${card.model.backend}`);
  lines.push(`- outcome \`${card.model.outcome.column}\` (${card.model.outcome.type}); control arm \`${card.model.control}\``);
  const codeList = (names: readonly string[]) => names.map((a) => `\`${a}\``).join(", ");
  lines.push(`- arms: ${codeList(card.model.arms)}`);
  if (card.model.logLinearArms?.length) {
    lines.push(`- fitted log-linear (multiplicative), as cross-validation on the arm's rows preferred: ${codeList(card.model.logLinearArms)}`);
  }
  lines.push("");
  lines.push("## Data", "");
  lines.push(`Table \`${card.data.table}\`, ${card.data.rows ?? "<10"} rows; ${Math.round(card.data.validationShare * 100)}% held out for early stopping; calibration per arm on ${(card.data.calibrationRows ?? "validation") === "validation" ? "that split" : "all of the arm's rows"}.`, "");
  lines.push("| arm | rows |", "|---|---|");
  for (const [arm, n] of Object.entries(card.data.rowsPerArm)) lines.push(`| ${arm} | ${n ?? "<10"} |`);
  lines.push("", "## Features used", "", "| feature | type | group |", "|---|---|---|");
  for (const f of card.featuresUsed) lines.push(`| ${f.name} | ${f.type} | ${f.group} |`);
  lines.push("", "## Columns deliberately not used", "", "| column | why |", "|---|---|");
  for (const f of card.featuresNotUsed) lines.push(`| ${f.name} | ${f.reason} |`);
  lines.push("", `## Performance (${card.performance.split === "validation" ? "validation split" : "cross-fitted, every training row"})`, "", "| arm | rows | AUC | Brier | ECE | RMSE |", "|---|---|---|---|---|---|");
  const row = (name: string, p: Performance) =>
    `| ${name} | ${p.rows ?? "<10"} | ${pct(p.auc)} | ${pct(p.brier)} | ${pct(p.ece)} | ${pct(p.rmse)} |`;
  lines.push(row("all", card.performance.overall));
  for (const [arm, p] of Object.entries(card.performance.perArm)) lines.push(row(arm, p));
  for (const [column, groups] of Object.entries(card.performance.perGroup)) {
    lines.push("", `### Per ${column}`, "", "| group | rows | AUC | Brier | ECE | RMSE |", "|---|---|---|---|---|---|");
    for (const [group, p] of Object.entries(groups)) lines.push(row(group, p));
  }
  if (card.learner) lines.push(...learnerMarkdown(card.learner));
  lines.push("", "## Limits", "", ...card.limits.map((s) => `- ${s}`), "");
  return lines.join("\n");
}

const signed = (v: number): string => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;

/** The learner section: which learner predicts, the validation table and why. */
function learnerMarkdown(learner: NonNullable<ModelCard["learner"]>): string[] {
  const lines = ["", "## Learner and its validation", "", `Predicting: \`${learner.kind}\`.`];
  const v = learner.validation;
  if (!v) return [...lines, "", "Fixed at training time; no validation was run."];
  lines.push(
    "",
    `Chosen by ${v.folds}-fold cross-fitted causal validation on the ${v.rows} training rows only (no test data, no ground truth): ${v.reason}.`,
    "",
    "| learner | DR loss of the gains | R-loss | policy value | gain over observed assignment (95% interval) |",
    "|---|---|---|---|---|",
  );
  for (const c of v.candidates) {
    const g = c.gainOverObserved;
    lines.push(`| ${c.kind}${c.kind === v.chosen ? " (chosen)" : ""} | ${c.drLoss.toFixed(4)} | ${c.rLoss === undefined ? "–" : c.rLoss.toFixed(4)} | ${c.policyValue.toFixed(3)} | ${signed(g.estimate)} (${signed(g.lower)} to ${signed(g.upper)}) |`);
  }
  lines.push("", `Observed average outcome under current practice: ${v.observedValue.toFixed(3)}.`, "");
  if (v.shrinkage) {
    const s = v.shrinkage;
    lines.push(
      `The arms' average gains over the control arm (doubly robust, on the same held-out folds) are shrunk toward their common mean ${signed(s.commonGain)} as far as their spread (${s.spread.toFixed(3)} beyond the noise) does not bear them out; every client's gain under an arm moves by that arm's shift, which takes the same share of the learner's own average of that arm (on the held-out folds) away from its common mean:`,
      "",
      "| arm | average gain (standard error) | shrunk by | learner's average gain | shift |",
      "|---|---|---|---|---|",
      ...s.arms.map((a) => `| ${a.arm} | ${signed(a.averageGain)} (${a.standardError.toFixed(3)}) | ${Math.round(a.shrink * 100)}% | ${signed(a.learnerGain)} | ${signed(a.offset)} |`),
      "",
    );
  }
  lines.push(v.advise ? `Advice: ${v.adviceReason}.` : `**Information, not advice**: ${v.adviceReason}.`);
  return lines;
}
