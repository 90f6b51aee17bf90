import { z } from "zod";

/** The generic table format (DESIGN.md, "Generic table format"): every trainer command speaks it. */
export const FeatureSpecSchema = z.object({
  name: z.string().min(1),
  type: z.enum(["numeric", "binary", "categorical"]),
  /** Human group used to explain the feature (work history, debts, health, ...). Optional. */
  group: z.string().min(1).optional(),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

export const TableSchemaSchema = z
  .object({
    name: z.string().min(1),
    id: z.string().min(1).optional(),
    treatment: z.object({
      column: z.string().min(1),
      arms: z.array(z.string().min(1)).min(2),
      control: z.string().min(1),
    }),
    outcome: z.object({
      column: z.string().min(1),
      type: z.enum(["binary", "continuous"]),
    }),
    features: z.array(FeatureSpecSchema).min(1),
    audit: z.array(z.string().min(1)).optional(),
    truth: z.record(z.string(), z.string()).optional(),
    /** Per secondary outcome column, per arm, the column holding its true expected value (evaluation only, like `truth`). */
    secondaryTruth: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  })
  .superRefine((schema, ctx) => {
    if (!schema.treatment.arms.includes(schema.treatment.control)) {
      ctx.addIssue({
        code: "custom",
        path: ["treatment", "control"],
        message: `control arm "${schema.treatment.control}" is not one of the arms`,
      });
    }
    if (new Set(schema.treatment.arms).size !== schema.treatment.arms.length) {
      ctx.addIssue({ code: "custom", path: ["treatment", "arms"], message: "arms must be unique" });
    }
    const names = schema.features.map((f) => f.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: "custom", path: ["features"], message: "feature names must be unique" });
    }
    const forbidden = new Set([
      schema.treatment.column,
      schema.outcome.column,
      ...(schema.audit ?? []),
      ...Object.values(schema.truth ?? {}),
      ...Object.values(schema.secondaryTruth ?? {}).flatMap((columns) => Object.values(columns)),
      ...(schema.id ? [schema.id] : []),
    ]);
    schema.features.forEach((f, i) => {
      if (forbidden.has(f.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["features", i, "name"],
          message: `"${f.name}" is the id, treatment, outcome, an audit or a truth column and cannot be a feature`,
        });
      }
    });
    for (const arm of Object.keys(schema.truth ?? {})) {
      if (!schema.treatment.arms.includes(arm)) {
        ctx.addIssue({ code: "custom", path: ["truth", arm], message: `truth names unknown arm "${arm}"` });
      }
    }
    for (const [outcome, columns] of Object.entries(schema.secondaryTruth ?? {})) {
      for (const arm of Object.keys(columns)) {
        if (!schema.treatment.arms.includes(arm)) {
          ctx.addIssue({ code: "custom", path: ["secondaryTruth", outcome, arm], message: `truth names unknown arm "${arm}"` });
        }
      }
    }
  });
export type TableSchema = z.infer<typeof TableSchemaSchema>;
