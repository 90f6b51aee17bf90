import type { Catalogue, FeatureConfig } from "../config/municipality.js";
import { SchemaError } from "../errors.js";
import { AUDIT_COLUMNS, REINTEGRATION_FEATURES, SECONDARY_TRUTH_OUTCOMES, secondaryTruthColumn, TREATMENT_COLUMN, truthColumn } from "../reintegration.js";
import type { TableSchema } from "../table-schema.js";
import { armCode, type ExtraFeatureFile } from "./format.js";
import type { DeliveryProfile } from "./profile.js";
import type { QuarantineReason } from "./rows.js";

/**
 * What one link run writes, from the municipal configuration and the delivery profile: the
 * trajectory keys and control (the configuration's catalogue), the features (those link derives
 * that the configuration declares, plus the extra features whose column the profile names, in the
 * configuration's order) and the outcomes (the configuration's, among those link derives).
 */

/** The outcomes link derives from the outcomes file, in outcomeValues order. */
export const LINKED_OUTCOMES = ["werk_12m", "uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"] as const;

/** A checked value of an extra feature ("" = missing), or why the row is quarantined. */
export type ExtraCheck = { value: string } | { reason: QuarantineReason };

export type ExtraFeature = {
  name: string;
  type: FeatureConfig["type"];
  /** Our file it is read from, and its column's name in the delivery. */
  file: ExtraFeatureFile;
  column: string;
  check: (value: string) => ExtraCheck;
};

export type LinkTable = {
  arms: readonly string[];
  control: string;
  /** Value of the trajectory column (after the profile's codes) → arm index. */
  armIndex: ReadonlyMap<string, number>;
  /** The features in table order: derived (index into deriveFeatures' output) or extra (index into `extras`). */
  features: { name: string; type: FeatureConfig["type"]; group: string; derived: number; extra: number }[];
  extras: ExtraFeature[];
  /** The written outcomes, primary first: column and index into outcomeValues. */
  outcomes: { column: string; index: number }[];
  outcomeType: "binary" | "continuous";
};

const DERIVED = new Map<string, number>(REINTEGRATION_FEATURES.map((f, i) => [f.name, i]));
const NUMBER = /^-?\d+([.,]\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** The check of an extra feature's values, from its configuration (binary 0/1, a declared category, a number in range). */
function extraCheck(f: FeatureConfig): (value: string) => ExtraCheck {
  return (raw) => {
    const v = raw.trim();
    if (v === "") return { value: "" };
    if (f.type === "binary") return v === "0" || v === "1" ? { value: v } : { reason: "unknown_code" };
    if (f.type === "categorical") {
      if (f.values && !f.values.some((x) => x.value === v)) return { reason: "unknown_code" };
      // Categories are free text: quoted when they hold a comma or a quote (nothing else in the table needs it).
      return { value: NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v };
    }
    if (!NUMBER.test(v)) return { reason: "invalid_value" };
    const n = Number(v.replace(",", "."));
    if (f.integer && !Number.isInteger(n)) return { reason: "invalid_value" };
    if (f.range && (n < f.range[0] || n > f.range[1])) return { reason: "invalid_value" };
    return { value: String(n) };
  };
}

/** The link run's table for a configuration and a delivery profile; throws SchemaError naming what does not fit. */
export function linkTableFor(config: Catalogue, profile?: DeliveryProfile, where = "the municipal configuration"): LinkTable {
  const arms = config.trajectories.map((t) => t.key);
  const armIndex = new Map(arms.map((arm, i) => [armCode(arm), i]));
  const extras: ExtraFeature[] = [];
  const features = config.features.map((f) => {
    const derived = DERIVED.get(f.name);
    if (derived !== undefined) {
      const type = (REINTEGRATION_FEATURES[derived] as { type: string }).type;
      if (type !== f.type) throw new SchemaError(`${where}: feature "${f.name}" is ${f.type}, link derives it as ${type}`);
      return { name: f.name, type: f.type, group: f.group, derived, extra: -1 };
    }
    const source = profile?.features?.[f.name];
    if (!source) {
      throw new SchemaError(
        `${where}: feature "${f.name}" is not one link derives; name its column in the delivery profile: "features": { "${f.name}": { "file": "personen", "column": "…" } }`,
      );
    }
    extras.push({ name: f.name, type: f.type, file: source.file, column: source.column, check: extraCheck(f) });
    return { name: f.name, type: f.type, group: f.group, derived: -1, extra: extras.length - 1 };
  });
  const outcomes = [config.outcomes.primary, ...config.outcomes.secondary].map((o) => {
    const index = (LINKED_OUTCOMES as readonly string[]).indexOf(o.column);
    if (index < 0) throw new SchemaError(`${where}: outcome "${o.column}" is not one link derives (${LINKED_OUTCOMES.join(", ")})`);
    return { column: o.column, index };
  });
  return { arms, control: config.control, armIndex, features, extras, outcomes, outcomeType: config.outcomes.primary.type };
}

/**
 * The table's secondary outcomes the generator writes truth for, each with its index among
 * SECONDARY_TRUTH_OUTCOMES (the truth file's order).
 */
export function secondaryTruthOutcomes(table: LinkTable): { column: string; index: number }[] {
  return table.outcomes.slice(1).flatMap((o) => {
    const index = (SECONDARY_TRUTH_OUTCOMES as readonly string[]).indexOf(o.column);
    return index < 0 ? [] : [{ column: o.column, index }];
  });
}

/** The schema written beside the analysis table (the generic table format). */
export function linkedSchema(table: LinkTable, options: { withTruth: boolean; withSecondaryTruth?: boolean }): TableSchema {
  return {
    name: "reintegration",
    id: "pseudonym",
    treatment: { column: TREATMENT_COLUMN, arms: [...table.arms], control: table.control },
    outcome: { column: (table.outcomes[0] as { column: string }).column, type: table.outcomeType },
    features: table.features.map((f) => ({ name: f.name, type: f.type, group: f.group })),
    audit: [...AUDIT_COLUMNS],
    ...(options.withTruth ? { truth: Object.fromEntries(table.arms.map((arm) => [arm, truthColumn(arm)])) } : {}),
    ...(options.withSecondaryTruth
      ? {
          secondaryTruth: Object.fromEntries(
            secondaryTruthOutcomes(table).map((o) => [o.column, Object.fromEntries(table.arms.map((arm) => [arm, secondaryTruthColumn(o.column, arm)]))]),
          ),
        }
      : {}),
  };
}

/** Column order of the analysis table; the secondary outcomes' truth columns last, only when the truth file has them. */
export function analysisColumns(table: LinkTable, options: { secondaryTruth?: boolean } = {}): string[] {
  return [
    "pseudonym",
    ...table.features.map((f) => f.name),
    ...AUDIT_COLUMNS,
    TREATMENT_COLUMN,
    ...table.outcomes.map((o) => o.column),
    ...table.arms.map(truthColumn),
    ...(options.secondaryTruth ? secondaryTruthOutcomes(table).flatMap((o) => table.arms.map((arm) => secondaryTruthColumn(o.column, arm))) : []),
  ];
}
