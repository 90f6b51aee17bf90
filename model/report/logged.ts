import { ModelError } from "../errors.js";
import type { Matrix } from "../metrics/policy.js";
import { isMissing, type Row, toNumber } from "../table/read.js";

/**
 * Logged first-position probabilities in a report's table (the app's export of shown advice,
 * `npm run export-decisions`): with the "keep effects measurable" setting on, the app drew which of
 * several tied trajectories it showed first and logged the draw's probabilities. Columns, per row:
 *   shownFirst                    the arm shown first (empty: nothing logged for this row)
 *   shownFirstProbability         the probability it had of being shown first (1 without variation)
 *   chosenShownFirstProbability   the probability the arm the client got had of being shown first
 */
export const LOGGED_COLUMNS = {
  shownFirst: "shownFirst",
  probability: "shownFirstProbability",
  chosen: "chosenShownFirstProbability",
} as const;

export type LoggedShown = { shownFirst: number; probability: number; chosenProbability: number };

function probabilityAt(row: Row, column: string, line: number): number {
  const v = toNumber(row[column]);
  if (v === null || Number.isNaN(v) || v < 0 || v > 1) {
    throw new ModelError(`table line ${line}: ${column} = "${String(row[column] ?? "")}" is not a probability between 0 and 1`);
  }
  return v;
}

/**
 * The logged draw per row (null where nothing was logged), or null when the table has no
 * `shownFirst` column. Throws a ModelError naming the line for an unknown arm or a bad probability.
 */
export function readLoggedShown(input: { rows: readonly Row[]; columns: readonly string[]; arms: readonly string[] }): (LoggedShown | null)[] | null {
  if (!input.columns.includes(LOGGED_COLUMNS.shownFirst)) return null;
  for (const column of [LOGGED_COLUMNS.probability, LOGGED_COLUMNS.chosen]) {
    if (!input.columns.includes(column)) throw new ModelError(`the table has a column "${LOGGED_COLUMNS.shownFirst}" but no column "${column}"`);
  }
  return input.rows.map((row, i) => {
    const value = row[LOGGED_COLUMNS.shownFirst];
    if (isMissing(value) || String(value).trim() === "") return null;
    const arm = input.arms.indexOf(String(value).trim());
    if (arm < 0) throw new ModelError(`table line ${i + 2}: ${LOGGED_COLUMNS.shownFirst} = "${String(value)}" is not an arm of the model`);
    return { shownFirst: arm, probability: probabilityAt(row, LOGGED_COLUMNS.probability, i + 2), chosenProbability: probabilityAt(row, LOGGED_COLUMNS.chosen, i + 2) };
  });
}

/**
 * The propensities of the rows with a logged draw, conditioned on that draw.
 *
 * Why: the cross-fitted ê(a | x) is the chance of arm a for clients like this one, averaged over the
 * app's draws of which tied arm to show first; the draw itself is random, so no model of x can see it,
 * but it shifts the chance of the arm shown first. We model a case worker as following the arm shown
 * first with probability f and otherwise choosing as g(a | x), so that, with q(a) the logged
 * probability that a is shown first and s the arm that was,
 *   ê(a | x) = f·q(a) + (1 − f)·g(a | x)   and   e(a | x, s) = f·1[a = s] + (1 − f)·g(a | x) = ê(a | x) + f·(1[a = s] − q(a)).
 * f follows by moments from the logged rows: E[1[A = s] − ê(s | x)] = f·E[1 − q(s)]. Without
 * variation (q(s) = 1 everywhere) nothing changes, as on the dashboard. Only the arm received and the
 * arm shown first are adjusted (the AIPW scores use the received arm's propensity; q of another arm
 * is not logged).
 */
export function conditionOnLoggedDraw(input: { propensity: Matrix; treatment: readonly number[]; logged: readonly (LoggedShown | null)[] }): {
  propensity: number[][];
  rows: number;
  followShare: number | null;
} {
  const { propensity, treatment, logged } = input;
  const used = logged.flatMap((l, i) => (l === null ? [] : [i]));
  const out = propensity.map((row) => [...row]);
  if (used.length === 0) return { propensity: out, rows: 0, followShare: null };
  let followed = 0;
  let varied = 0;
  for (const i of used) {
    const l = logged[i] as LoggedShown;
    followed += (treatment[i] === l.shownFirst ? 1 : 0) - ((propensity[i] as readonly number[])[l.shownFirst] as number);
    varied += 1 - l.probability;
  }
  const f = varied > 1e-9 ? Math.min(1, Math.max(0, followed / varied)) : 0;
  for (const i of used) {
    const l = logged[i] as LoggedShown;
    const row = out[i] as number[];
    const received = treatment[i] as number;
    const q = received === l.shownFirst ? l.probability : l.chosenProbability;
    row[received] = Math.min(1, Math.max(0, (row[received] as number) + f * ((received === l.shownFirst ? 1 : 0) - q)));
    if (received !== l.shownFirst) row[l.shownFirst] = Math.min(1, Math.max(0, (row[l.shownFirst] as number) + f * (1 - l.probability)));
  }
  return { propensity: out, rows: used.length, followShare: f };
}
