import { REGIONS } from "../reintegration.js";
import { addBenefit, addDebt, addEmployment, addMedication, addWmo, MISSING, type TrajectoryState } from "./derive.js";
import { regionOfPostcode } from "./format.js";
import type { JoinState } from "./join-state.js";
import type { QuarantineReason, RowFile } from "./rows.js";

/**
 * Per source file: how one validated row (converted to small integers, see rows.ts) joins the
 * trajectories. Returns null when the row was used, or why it could not be (it is then
 * quarantined with that reason). `raw` is the row as delivered, for the duplicate checks.
 */
export type RowHandler = (data: readonly unknown[], raw: readonly string[], line: number, extras?: readonly string[]) => QuarantineReason | null;

const REGIONS_INDEX = new Map<string, number>(REGIONS.map((r, i) => [r, i]));

/**
 * `extraSlots` per file: for each extra feature the file carries (in the order its values are
 * passed), its index in the join state's `extras`.
 */
export function fileHandlers(state: JoinState, options: { extraSlots?: Partial<Record<RowFile, readonly number[]>> } = {}): Record<RowFile, RowHandler> {
  /** Applies `add` to every trajectory of the person, after the checks every person file shares. */
  const eachTrajectory = (bsn: number, dedupe: (first: number) => QuarantineReason | null, add: (s: TrajectoryState, t: number) => void) => {
    const first = state.first(bsn);
    if (first === undefined) return "no_trajectory";
    const dup = dedupe(first);
    if (dup) return dup;
    for (let t = first; t !== -1; t = state.next(t)) add(state.at(t), t);
    return null;
  };
  /** Files with one row per person: a second, different row for the person conflicts. Extra features are kept per trajectory. */
  const perPerson = (file: RowFile, add: (s: TrajectoryState, data: readonly unknown[], t: number) => void): RowHandler => {
    const slots = options.extraSlots?.[file] ?? [];
    return (d, raw, _line, extras) =>
      eachTrajectory(d[0] as number, (first) => state.dedupeKeyed(first, raw), (s, t) => {
        add(s, d, t);
        slots.forEach((slot, j) => {
          (state.extras[slot] as string[])[t] = extras?.[j] ?? "";
        });
      });
  };
  /** Spell files (employment, benefits, debts, WMO): dates must be in order; only exact repeats are duplicates. */
  const spell =
    (add: (s: TrajectoryState, data: readonly unknown[]) => void): RowHandler =>
    (d, raw) => {
      const [, begin, end] = d as [number, number, number | null];
      if (end !== null && end < begin) return "inconsistent_dates";
      return eachTrajectory(d[0] as number, () => state.dedupeSpell(raw), (s) => add(s, d));
    };

  const addPerson = perPerson("personen", (s, [, birth, sex, origin, pc4], t) => {
    s.birth = birth as number;
    s.sex = sex as number;
    s.origin = origin as number;
    s.region = REGIONS_INDEX.get(regionOfPostcode(pc4 as number)) as number;
    state.hasPerson[t] = 1;
  });

  return {
    trajecten: (d, _raw, line) => {
      const [bsn, id, arm, start] = d as [number, string, number, number];
      return state.addTrajectory({ bsn, id, arm, start, line });
    },
    personen: (d, raw, line, extras) => {
      const outcome = addPerson(d, raw, line, extras);
      if (outcome === "no_trajectory") state.personsWithoutTrajectory.add(d[0] as number);
      return outcome;
    },
    huishoudens: perPerson("huishoudens", (s, [, household, children, youngest]) => {
      s.household = household as number;
      s.children = children as number;
      s.youngestYear = (youngest as number | null) ?? MISSING;
    }),
    opleiding: perPerson("opleiding", (s, [, education, language]) => {
      s.education = education as number;
      s.language = language as number;
    }),
    dienstverbanden: spell((s, [, begin, end]) => addEmployment(s, begin as number, end as number | null)),
    uitkeringen: spell((s, [, begin, end]) => addBenefit(s, begin as number, end as number | null)),
    medicatie: (d, raw) => {
      const [bsn, year, bit] = d as [number, number, number];
      return eachTrajectory(bsn, () => state.dedupeSpell(raw), (s) => addMedication(s, year, bit));
    },
    schulden: spell((s, [, registered, end, problematic]) => addDebt(s, registered as number, end as number | null, problematic === 1)),
    wmo: (d, raw) => {
      // WMO rows carry the provision before its dates.
      const [bsn, support, begin, end] = d as [number, number, number, number | null];
      if (end !== null && end < begin) return "inconsistent_dates";
      return eachTrajectory(bsn, () => state.dedupeSpell(raw), (s) => addWmo(s, support, begin, end));
    },
    uitkomsten: (d, raw) => {
      const [bsn, id, werk, uren, uitstroom, wmo12, schulden12] = d as [number, string, number, number, number, number, number];
      const t = state.trajectory(id, bsn);
      if (t === undefined) return "unknown_trajectory";
      const dup = state.dedupeKeyed(t, raw);
      if (dup) return dup;
      const s = state.at(t);
      s.werk = werk;
      s.uren = uren;
      s.uitstroom = uitstroom;
      s.wmo12 = wmo12;
      s.schulden12 = schulden12;
      state.hasOutcome[t] = 1;
      return null;
    },
    truth: (d, raw) => {
      const { arms } = state;
      return eachTrajectory(d[0] as number, (first) => state.dedupeKeyed(first, raw), (_s, t) => {
        for (let a = 0; a < arms; a += 1) state.mu[t * arms + a] = d[a + 1] as number;
        const secondary = state.secondaryOutcomes * arms;
        for (let k = 0; k < secondary; k += 1) state.secondaryTruth[t * secondary + k] = d[arms + 1 + k] as number;
      });
    },
  };
}
