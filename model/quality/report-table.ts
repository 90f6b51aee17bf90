/**
 * The shape of the managers' quality report: tables of cells. A cell is a label (string), a figure
 * (number), "<10" (suppressed) or null (not applicable).
 */
export type Cell = string | number | null;
export type ColumnKind = "label" | "count" | "rate" | "number" | "flag";
export type Column = { key: string; kind: ColumnKind };
export const TABLE_IDS = [
  "adoption-team",
  "adoption-period",
  "adoption-month",
  "outcome-month",
  "adoption-arm",
  "reasons",
  "followed",
  "calibration",
  "offpolicy",
  "interventions",
  "fairness",
  "drift",
] as const;
export type TableId = (typeof TABLE_IDS)[number];
export type ReportTable = { id: TableId; columns: Column[]; rows: Cell[][] };

/** Fairness dimensions and, for those taken from the profile, the feature whose value labels name the groups. */
export const FAIRNESS_DIMENSIONS = { sex: null, ageBand: "leeftijdsklasse", origin: null, household: "huishouden" } as const;
export type FairnessDimension = keyof typeof FAIRNESS_DIMENSIONS;
