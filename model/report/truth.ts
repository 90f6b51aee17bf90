import { ateErrors } from "../metrics/truth.js";
import { type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import type { Report } from "./schema.js";

export type TruthCoverage = {
  outcome: string;
  arm: string;
  truth: number;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  covered: boolean | null;
};

/**
 * The truth matrix (rows × arms) of one outcome over the rows where the outcome was observed (the
 * rows the report's estimate averages over); null when a truth column is absent or not a number.
 */
function truthOf(input: { rows: readonly Row[]; arms: readonly string[]; outcome: string; columns: Record<string, string> }): number[][] | null {
  const names = input.arms.map((arm) => input.columns[arm]);
  const first = input.rows[0];
  if (!first || names.some((name) => name === undefined || !(name in first))) return null;
  const observed = input.rows.filter((row) => {
    const y = toNumber(row[input.outcome]);
    return y !== null && !Number.isNaN(y);
  });
  const matrix = observed.map((row) => names.map((name) => toNumber(row[name as string]) ?? Number.NaN));
  return matrix.length > 0 && matrix.every((r) => r.every(Number.isFinite)) ? matrix : null;
}

/**
 * Validation against a generator's truth columns (the true expected outcome of every row under every
 * arm: `truth` for the primary outcome, `secondaryTruth` for the others): per outcome the report has
 * and trajectory, the true average effect over the report's rows and whether the report's overall 95%
 * interval holds it (null when the figure is suppressed). Empty when the table has no truth.
 */
export function truthCoverage(report: Report, input: { schema: TableSchema; rows: readonly Row[] }): TruthCoverage[] {
  const { schema } = input;
  const arms = schema.treatment.arms;
  const control = arms.indexOf(schema.treatment.control);
  const truthColumns: Record<string, Record<string, string> | undefined> = { ...schema.secondaryTruth, [schema.outcome.column]: schema.truth };
  return report.outcomes.flatMap(({ column: outcome }) => {
    const columns = truthColumns[outcome];
    const truth = columns ? truthOf({ rows: input.rows, arms, outcome, columns }) : null;
    if (!truth) return [];
    const trueEffects = ateErrors({ predicted: truth, truth, control });
    return arms.flatMap((arm, a) => {
      const value = trueEffects[a]?.true;
      if (a === control || value === undefined) return [];
      const effect = report.effects.find((e) => e.outcome === outcome && e.arm === arm && e.group === null);
      const lower = effect?.lower ?? null;
      const upper = effect?.upper ?? null;
      const covered = lower === null || upper === null ? null : lower <= value && value <= upper;
      return [{ outcome, arm, truth: value, estimate: effect?.estimate ?? null, lower, upper, covered }];
    });
  });
}
