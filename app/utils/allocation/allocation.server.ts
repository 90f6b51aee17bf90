import { allocate, allocationClientFromAdvice } from "../../../model/allocation/index";
import { trajectoryName } from "../../../model/config/catalogue";
import { type Shown, SUPPRESSED, suppressTable, suppressView } from "../../../model/privacy/suppression";
import { getCurrentCapacities, listWaitingClients } from "~/models/allocation.server";
import type { Lang } from "../i18n";
import { getServingCatalogue } from "../registry/predictor.server";

/**
 * The manager's allocation view: for the clients waiting for a trajectory, the allocation within the
 * places that maximises the expected number finding work (model/allocation), against each client's
 * unconstrained first choice and against first-come-first-served. Managers see aggregates only (the
 * dashboard shows them no client rows): counts per trajectory with small-cell suppression, and expected
 * totals over the whole waiting list, which is shown only when it covers at least 10 people.
 */
export type PlacesSource = "configuration" | "period" | "none";

export type AllocationView = {
  arms: { key: string; name: string; control: boolean; places: number | null; source: PlacesSource; periodEnd: string | null }[];
  waiting: Shown;
  suppressed: boolean;
  totals: { optimal: number; firstComeFirstServed: number; unconstrained: number } | null;
  /** Per arm: first choice (unconstrained), optimal allocation, first-come-first-served (counts, suppressed). */
  perArm: { arm: string; wanted: Shown; optimal: Shown; firstComeFirstServed: Shown }[];
  /** First choice (rows) × allocated arm (columns), counts suppressed with their margins. */
  moves: { cells: Shown[][]; rowTotals: Shown[] | null; colTotals: Shown[] | null } | null;
  /** Advice for a continuous outcome cannot be allocated on a chance of work. */
  unsupported: boolean;
};

export async function allocationView({ lang, at = new Date() }: { lang: Lang; at?: Date }): Promise<AllocationView> {
  const [catalogue, periods, waitingClients] = await Promise.all([getServingCatalogue(), getCurrentCapacities({ at }), listWaitingClients()]);
  const arms = catalogue.trajectories.map((t) => t.key);
  const control = catalogue.control;
  const armView = catalogue.trajectories.map((t) => {
    const period = periods.get(t.key);
    const isControl = t.key === control;
    const places = isControl ? null : (period?.places ?? t.capacity ?? null);
    const source: PlacesSource = isControl || places === null ? "none" : period ? "period" : "configuration";
    return { key: t.key, name: trajectoryName(catalogue, t.key, lang), control: isControl, places, source, periodEnd: period ? period.endsOn.toISOString().slice(0, 10) : null };
  });
  const usable = waitingClients.filter((c) => c.advice.control === control && c.advice.arms.every((a) => arms.includes(a.arm)));
  const unsupported = usable.some((c) => c.advice.outcomeType !== "binary");
  const base = { arms: armView, unsupported };
  const view = suppressView(usable.length, () => {
    if (unsupported) return null;
    const clients = usable.map((c) => allocationClientFromAdvice({ id: c.id, arms, advice: c.advice }));
    return allocate({ arms, control, places: Object.fromEntries(armView.map((a) => [a.key, a.places])), clients });
  });
  if (view.suppressed || !view.view) {
    return { ...base, waiting: view.suppressed ? SUPPRESSED : usable.length, suppressed: view.suppressed, totals: null, perArm: [], moves: null };
  }
  const result = view.view;
  const count = (assignment: number[], a: number) => assignment.filter((x) => x === a).length;
  // One table, suppressed together: its three columns each add up to the waiting list.
  const perArmTable = suppressTable({
    cells: arms.map((_, a) => [count(result.unconstrained.assignment, a), count(result.optimal.assignment, a), count(result.firstComeFirstServed.assignment, a)]),
    rowTotals: false,
    colTotals: true,
  });
  const movesTable = suppressTable({
    cells: arms.map((_, from) => arms.map((_, to) => result.unconstrained.assignment.filter((x, i) => x === from && result.optimal.assignment[i] === to).length)),
  });
  return {
    ...base,
    waiting: usable.length,
    suppressed: false,
    totals: { optimal: result.optimal.total, firstComeFirstServed: result.firstComeFirstServed.total, unconstrained: result.unconstrained.total },
    perArm: arms.map((arm, a) => {
      const row = perArmTable.cells[a] ?? [];
      return { arm, wanted: row[0] ?? SUPPRESSED, optimal: row[1] ?? SUPPRESSED, firstComeFirstServed: row[2] ?? SUPPRESSED };
    }),
    moves: { cells: movesTable.cells, rowTotals: movesTable.rowTotals, colTotals: movesTable.colTotals },
  };
}
