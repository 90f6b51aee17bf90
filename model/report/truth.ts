import { readLogged } from "../evaluate/evaluate.js";
import { ateErrors } from "../metrics/truth.js";
import type { Row } from "../table/read.js";
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
 * Validation against a generator's truth columns (the true expected primary outcome of every row under
 * every arm): per trajectory, the true average effect over the report's table and whether the report's
 * overall 95% interval holds it (null when the figure is suppressed). Empty when the table has no truth.
 */
export function truthCoverage(report: Report, input: { schema: TableSchema; rows: readonly Row[] }): TruthCoverage[] {
  const logged = readLogged(input.schema, input.rows);
  if (!logged.truth) return [];
  const arms = input.schema.treatment.arms;
  const control = arms.indexOf(input.schema.treatment.control);
  const trueEffects = ateErrors({ predicted: logged.truth, truth: logged.truth, control });
  const outcome = input.schema.outcome.column;
  return arms.flatMap((arm, a) => {
    const truth = trueEffects[a]?.true;
    if (a === control || truth === undefined) return [];
    const effect = report.effects.find((e) => e.outcome === outcome && e.arm === arm && e.group === null);
    const lower = effect?.lower ?? null;
    const upper = effect?.upper ?? null;
    return [{ outcome, arm, truth, estimate: effect?.estimate ?? null, lower, upper, covered: lower === null || upper === null ? null : lower <= truth && truth <= upper }];
  });
}
