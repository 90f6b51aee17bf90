/**
 * Below this many training rows a table is small, and two rules change:
 * - the network is not the default learner (select.ts, `incumbentFor`): on the small generated
 *   tables the lowest DR loss did as well or better on √PEHE, and on small semi-synthetic tables
 *   with a continuous outcome the kept network lost to the ridge T-learner where the lowest loss
 *   would not have (README, "Small tables");
 * - t-linear chooses each arm's penalty and link by SMALL_TABLE_FOLDS-fold cross-validation
 *   instead of 3-fold (linear.ts): a few hundred rows per arm make the held-out losses noisy, and
 *   more folds both fit on more rows and average over more of them.
 * By the whole table's rows, so a validation fold's fits follow the same rule as the final fit.
 */
export const SMALL_TABLE_ROWS = 2000;
export const SMALL_TABLE_FOLDS = 5;
