import { CsvWriter } from "../csv/index.js";
import { MERGED_ORIGIN, type quasiIdentifierPlan } from "./anonymise.js";
import { auditValues, deriveFeatures, outcomeValues } from "./derive.js";
import type { JoinState } from "./join-state.js";
import { analysisColumns, type LinkTable, secondaryTruthOutcomes } from "./table-spec.js";

/**
 * Writes the analysis table: one row per usable, unsuppressed trajectory, in delivery order:
 * pseudonym, generalised features (the link table's, derived or extra), audit columns (as
 * anonymisation left them), intervention, outcomes and (from the generator only) true chances.
 * Returns the finished writer, whose file gets its final name only when the caller commits it,
 * and how often each feature was missing.
 */
export async function writeAnalysisTable(options: {
  path: string;
  state: JoinState;
  /** Usable trajectories, in the order the anonymisation plan was made for. */
  usable: readonly number[];
  plan: ReturnType<typeof quasiIdentifierPlan>;
  /** Truth columns to fill (from the generator only): the primary outcome's, the secondary outcomes'. */
  truth: { primary: boolean; secondary: boolean };
  pseudonym: (bsn: string) => string;
  table: LinkTable;
}): Promise<{ table: CsvWriter; written: number; missing: number[] }> {
  const { state, usable, plan, pseudonym, table: spec } = options;
  const withTruth = options.truth.primary;
  const arms = spec.arms.length;
  const table = await CsvWriter.open(options.path, analysisColumns(spec, { secondaryTruth: options.truth.secondary }));
  const secondary = options.truth.secondary ? secondaryTruthOutcomes(spec) : [];
  const perTrajectory = state.secondaryOutcomes * arms;
  const rounded = (v: number | undefined): number | string => (v !== undefined && !Number.isNaN(v) ? Math.round(v * 10000) / 10000 : "");
  const missing = new Array<number>(spec.features.length).fill(0);
  let written = 0;
  try {
    for (let i = 0; i < usable.length; i += 1) {
      if (plan.action[i] === 2) continue;
      const t = usable[i] as number;
      const s = state.at(t);
      const derived = deriveFeatures(s);
      const outcomes = outcomeValues(s);
      const row: (number | string)[] = [pseudonym(String(state.bsnOf[t]).padStart(9, "0"))];
      spec.features.forEach((f, j) => {
        const v = f.derived >= 0 ? (derived[f.derived] as number | string) : ((state.extras[f.extra] as string[])[t] as string);
        if (v === "") missing[j] = (missing[j] as number) + 1;
        row.push(v);
      });
      let [sex, origin] = auditValues(s);
      if (plan.mergedOrigin[i] === 1) origin = MERGED_ORIGIN;
      if (plan.action[i] === 1) {
        sex = "";
        origin = "";
      }
      // Every value is a number, an enum level or a hex pseudonym (an extra category is quoted when it must be).
      row.push(sex, origin, spec.arms[s.arm] as string);
      for (const o of spec.outcomes) row.push(outcomes[o.index] as number | string);
      for (let a = 0; a < arms; a += 1) row.push(withTruth ? rounded(state.mu[t * arms + a]) : "");
      for (const o of secondary) {
        for (let a = 0; a < arms; a += 1) row.push(rounded(state.secondaryTruth[t * perTrajectory + o.index * arms + a]));
      }
      table.writeLine(row.join(","));
      written += 1;
      if (i % 4096 === 0) await table.drain();
    }
    await table.finish();
  } catch (error) {
    await table.abort();
    throw error;
  }
  return { table, written, missing };
}
