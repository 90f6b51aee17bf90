import type { Catalogue } from "../../model/config/municipality";
import { LOGGED_COLUMNS } from "../../model/report/index";
import type { TableSchema } from "../../model/table-schema";

/**
 * The export of shown advice as a labelled table in the generic table format of the model it is for
 * (`npm run export-decisions`, read by `npm run report`): the schema's id column holds the client's
 * keyed pseudonym, then the model's features as entered, its audit columns (sex, origin: fairness
 * only), the trajectory the client got, the outcomes the app records that the configuration declares,
 * and the logged first-position probabilities (model/report/logged.ts).
 */
export type ExportDecision = {
  pseudonym: string;
  profile: Record<string, unknown>;
  fairness: { sex: string | null; origin: string | null };
  chosenArm: string;
  outcome: { work: boolean; hoursPerWeek: number | null; leftBenefits: boolean; wmoAfter: boolean; debtsAfter: boolean };
  shown: { first: string; probability: number; chosenProbability: number } | null;
};

type Cell = string | number;
const flag = (v: boolean): number => (v ? 1 : 0);

/** The outcome form's answers as the outcome columns of the analysis table (the link step's names). */
const OUTCOME_VALUES: Record<string, (o: ExportDecision["outcome"]) => Cell> = {
  werk_12m: (o) => flag(o.work),
  uren_per_week: (o) => o.hoursPerWeek ?? (o.work ? "" : 0),
  uitstroom_12m: (o) => flag(o.leftBenefits),
  wmo_12m: (o) => flag(o.wmoAfter),
  schulden_12m: (o) => flag(o.debtsAfter),
};
/** The audit columns the app keeps (as the fairness fields of a client). */
const AUDIT_VALUES: Record<string, (f: ExportDecision["fairness"]) => Cell> = {
  geslacht: (f) => f.sex ?? "",
  herkomst: (f) => f.origin ?? "",
};

function featureCell(value: unknown): Cell {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return flag(value);
  return "";
}

/** Header and rows of the export for a model's schema and catalogue; `skipped`: decisions for an arm the model does not have. */
export function exportTable(
  decisions: readonly ExportDecision[],
  model: { schema: TableSchema; catalogue: Catalogue },
): { header: string[]; rows: Cell[][]; skipped: number } {
  const { schema, catalogue } = model;
  const outcomes = [catalogue.outcomes.primary, ...catalogue.outcomes.secondary].map((o) => o.column).filter((c) => c in OUTCOME_VALUES);
  const audit = (schema.audit ?? []).filter((c) => c in AUDIT_VALUES);
  const features = schema.features.map((f) => f.name);
  const header = [
    schema.id ?? "pseudonym",
    ...features,
    ...audit,
    schema.treatment.column,
    ...outcomes,
    LOGGED_COLUMNS.shownFirst,
    LOGGED_COLUMNS.probability,
    LOGGED_COLUMNS.chosen,
  ];
  const usable = decisions.filter((d) => schema.treatment.arms.includes(d.chosenArm));
  const rows = usable.map((d) => [
    d.pseudonym,
    ...features.map((name) => featureCell(d.profile[name])),
    ...audit.map((c) => (AUDIT_VALUES[c] as (f: ExportDecision["fairness"]) => Cell)(d.fairness)),
    d.chosenArm,
    ...outcomes.map((c) => (OUTCOME_VALUES[c] as (o: ExportDecision["outcome"]) => Cell)(d.outcome)),
    d.shown?.first ?? "",
    d.shown?.probability ?? "",
    d.shown?.chosenProbability ?? "",
  ]);
  return { header, rows, skipped: decisions.length - usable.length };
}
