import { INTERVENTIONS } from "../catalogue.js";
import { CsvWriter } from "../csv/index.js";
import { ANALYSIS_COLUMNS, REINTEGRATION_FEATURES } from "../reintegration.js";
import { MERGED_ORIGIN, type quasiIdentifierPlan } from "./anonymise.js";
import { armOf, auditValues, deriveFeatures, outcomeValues } from "./derive.js";
import type { JoinState } from "./join-state.js";

/**
 * Writes the analysis table: one row per usable, unsuppressed trajectory, in delivery order:
 * pseudonym, generalised features, audit columns (as anonymisation left them), intervention,
 * outcomes and (from the generator only) true chances. Returns the finished writer, whose file
 * gets its final name only when the caller commits it, and how often each feature was missing.
 */
export async function writeAnalysisTable(options: {
  path: string;
  state: JoinState;
  /** Usable trajectories, in the order the anonymisation plan was made for. */
  usable: readonly number[];
  plan: ReturnType<typeof quasiIdentifierPlan>;
  withTruth: boolean;
  pseudonym: (bsn: string) => string;
}): Promise<{ table: CsvWriter; written: number; missing: number[] }> {
  const { state, usable, plan, withTruth, pseudonym } = options;
  const arms = INTERVENTIONS.length;
  const table = await CsvWriter.open(options.path, ANALYSIS_COLUMNS);
  const missing = new Array<number>(REINTEGRATION_FEATURES.length).fill(0);
  let written = 0;
  try {
    for (let i = 0; i < usable.length; i += 1) {
      if (plan.action[i] === 2) continue;
      const t = usable[i] as number;
      const s = state.at(t);
      const features = deriveFeatures(s);
      features.forEach((v, j) => {
        if (v === "") missing[j] = (missing[j] as number) + 1;
      });
      let [sex, origin] = auditValues(s);
      if (plan.mergedOrigin[i] === 1) origin = MERGED_ORIGIN;
      if (plan.action[i] === 1) {
        sex = "";
        origin = "";
      }
      // Every value is a number, an enum level or a hex pseudonym: nothing needs CSV quoting.
      const row: (number | string)[] = features;
      row.unshift(pseudonym(String(state.bsnOf[t]).padStart(9, "0")));
      row.push(sex, origin, armOf(s));
      for (const v of outcomeValues(s)) row.push(v);
      for (let a = 0; a < arms; a += 1) {
        const v = state.mu[t * arms + a];
        row.push(withTruth && v !== undefined && !Number.isNaN(v) ? Math.round(v * 10000) / 10000 : "");
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
