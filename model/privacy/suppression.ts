/**
 * Small-cell suppression for aggregates shown to managers (tables, charts, CSV exports).
 *
 * Primary suppression: every count, and every figure computed over a group, that covers fewer
 * than MIN_CELL people is shown as "<10" (a zero count too: it is a group of fewer than 10).
 *
 * Secondary suppression: a table is published with its margins (row totals, column totals and the
 * grand total). Each published line (a row with its total, a column with its total) is a linear
 * constraint `sum of entries = total`, so a hidden entry could be computed back by subtraction.
 * Every entry (cell or margin) lies on at most two lines; seen as a graph with the lines as nodes
 * and the entries as edges (an entry on a single line ends at a shared "free" node), a hidden
 * entry is determined by the visible ones exactly when its edge is a bridge of the graph of
 * hidden entries. We therefore:
 *   1. (line rule) in a line with exactly one hidden entry, hide the next-smallest visible one;
 *      in a line whose hidden cells add up to fewer than MIN_CELL people (while its total is
 *      shown, so the sum is disclosed), hide the next-smallest visible cell too;
 *   2. (bridge rule) for any hidden entry that is still a bridge, hide the smallest visible entry
 *      that closes a cycle through it;
 * and repeat until nothing changes. The full table graph has no bridges, so this terminates.
 *
 * Filtered views: a view whose filtered population is below MIN_CELL is suppressed as a whole
 * (`suppressView`). Suppression within one view cannot protect against differencing two views
 * whose populations overlap, so the dashboard offers no date ranges: periods are rows of one
 * table, suppressed with its totals (docs/decisions/005-differencing.md).
 */
export const MIN_CELL = 10;
export const SUPPRESSED = "<10" as const;
export type Shown = number | typeof SUPPRESSED;

/** Primary suppression of a single count. */
export function suppressCount(n: number, min = MIN_CELL): Shown {
  return n < min ? SUPPRESSED : n;
}

/** A figure (rate, mean, interval bound) computed over `n` people: shown only when n ≥ MIN_CELL. */
export function suppressFigure(value: number, n: number, min = MIN_CELL): Shown {
  return n < min || !Number.isFinite(value) ? SUPPRESSED : value;
}

export type CountTable = {
  /** Counts, rows × columns. */
  cells: readonly (readonly number[])[];
  /** Publish a total per row (default true). */
  rowTotals?: boolean;
  /** Publish a total per column (default true). */
  colTotals?: boolean;
  /**
   * Margins to hide from the start because another table shares them and hides them there
   * (a margin hidden in one table must not be shown in another).
   */
  hide?: { rowTotals?: readonly boolean[]; colTotals?: readonly boolean[]; total?: boolean; cells?: readonly (readonly boolean[])[] };
};

export type SuppressedTable = {
  cells: Shown[][];
  rowTotals: Shown[] | null;
  colTotals: Shown[] | null;
  /** Grand total, published when both row and column totals are. */
  total: Shown | null;
  /** Which cells are hidden: primary (< MIN_CELL) or secondary (to protect another). */
  reason: ("primary" | "secondary" | null)[][];
};

type Entry = { value: number; lines: number[]; hidden: boolean; primary: boolean };

/** Builds the entries and lines of a table with its published margins. */
function layout(table: CountTable) {
  const rows = table.cells.length;
  const cols = table.cells[0]?.length ?? 0;
  const withRows = table.rowTotals ?? true;
  const withCols = table.colTotals ?? true;
  const withTotal = withRows && withCols;
  // Lines: rows 0..R-1 (if row totals), columns R..R+C-1 (if column totals),
  // the column of row totals (R+C) and the row of column totals (R+C+1) when the grand total is shown.
  const rowLine = (i: number) => (withRows ? i : -1);
  const colLine = (j: number) => (withCols ? rows + j : -1);
  const marginColLine = withTotal ? rows + cols : -1;
  const marginRowLine = withTotal ? rows + cols + 1 : -1;
  const entries: Entry[] = [];
  const cellIndex: number[][] = [];
  const add = (value: number, lines: number[]) => {
    entries.push({ value, lines: lines.filter((l) => l >= 0), hidden: false, primary: false });
    return entries.length - 1;
  };
  for (let i = 0; i < rows; i++) {
    cellIndex.push([]);
    for (let j = 0; j < cols; j++) cellIndex[i]?.push(add(table.cells[i]?.[j] ?? 0, [rowLine(i), colLine(j)]));
  }
  const rowTotalIndex = withRows
    ? Array.from({ length: rows }, (_, i) => add(sum(table.cells[i] ?? []), [rowLine(i), marginColLine]))
    : null;
  const colTotalIndex = withCols
    ? Array.from({ length: cols }, (_, j) => add(sum(table.cells.map((r) => r[j] ?? 0)), [colLine(j), marginRowLine]))
    : null;
  const totalIndex = withTotal ? add(sum(table.cells.map((r) => sum(r))), [marginColLine, marginRowLine]) : null;
  const lineCount = rows + cols + 2;
  // Members of each line, and which member is the line's total.
  const members: number[][] = Array.from({ length: lineCount }, () => []);
  entries.forEach((e, k) => {
    for (const l of e.lines) members[l]?.push(k);
  });
  const totalOf = new Map<number, number>();
  rowTotalIndex?.forEach((k, i) => {
    totalOf.set(rowLine(i), k);
  });
  colTotalIndex?.forEach((k, j) => {
    totalOf.set(colLine(j), k);
  });
  if (totalIndex !== null) {
    totalOf.set(marginColLine, totalIndex);
    totalOf.set(marginRowLine, totalIndex);
  }
  return { entries, cellIndex, rowTotalIndex, colTotalIndex, totalIndex, members, totalOf, lineCount };
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Smallest visible entry among `candidates` (ties: the first). */
function smallestVisible(entries: readonly Entry[], candidates: readonly number[]): number | null {
  let best: number | null = null;
  for (const k of candidates) {
    const e = entries[k];
    if (!e || e.hidden) continue;
    if (best === null || e.value < (entries[best]?.value ?? Number.POSITIVE_INFINITY)) best = k;
  }
  return best;
}

/**
 * Entries of the hidden-entry graph that are bridges (determined by the visible entries).
 * Node `free` (= lineCount) joins every entry that lies on fewer than two lines.
 */
function bridges(entries: readonly Entry[], lineCount: number): number[] {
  const free = lineCount;
  const adjacency: [number, number][][] = Array.from({ length: lineCount + 1 }, () => []);
  entries.forEach((e, k) => {
    if (!e.hidden) return;
    const a = e.lines[0] ?? free;
    const b = e.lines[1] ?? free;
    adjacency[a]?.push([b, k]);
    adjacency[b]?.push([a, k]);
  });
  const order = new Array<number>(lineCount + 1).fill(-1);
  const low = new Array<number>(lineCount + 1).fill(0);
  const found: number[] = [];
  let time = 0;
  // Iterative DFS (Tarjan) skipping the edge we came in by (multi-edges are distinct entries).
  for (let root = 0; root <= lineCount; root++) {
    if (order[root] !== -1) continue;
    const stack: { node: number; via: number; next: number }[] = [{ node: root, via: -1, next: 0 }];
    order[root] = low[root] = time++;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; via: number; next: number };
      const edges = adjacency[top.node] ?? [];
      if (top.next < edges.length) {
        const [to, k] = edges[top.next++] as [number, number];
        if (k === top.via) continue;
        if (order[to] === -1) {
          order[to] = low[to] = time++;
          stack.push({ node: to, via: k, next: 0 });
        } else {
          low[top.node] = Math.min(low[top.node] as number, order[to] as number);
        }
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.node] = Math.min(low[parent.node] as number, low[top.node] as number);
          if ((low[top.node] as number) > (order[parent.node] as number)) found.push(top.via);
        }
      }
    }
  }
  return found;
}

/** Nodes reachable from `start` in the hidden-entry graph without using entry `skip`. */
function reachable(entries: readonly Entry[], lineCount: number, start: number, skip: number): Set<number> {
  const free = lineCount;
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.pop() as number;
    entries.forEach((e, k) => {
      if (!e.hidden || k === skip) return;
      const a = e.lines[0] ?? free;
      const b = e.lines[1] ?? free;
      const other = a === node ? b : b === node ? a : null;
      if (other !== null && !seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    });
  }
  return seen;
}

/** Primary and secondary suppression of a count table with its margins. */
export function suppressTable(table: CountTable, min = MIN_CELL): SuppressedTable {
  const { entries, cellIndex, rowTotalIndex, colTotalIndex, totalIndex, members, totalOf, lineCount } = layout(table);
  for (const e of entries) {
    if (e.value < min) e.hidden = e.primary = true;
  }
  const force = (k: number | null | undefined, flag: boolean | undefined) => {
    const e = k === null || k === undefined ? undefined : entries[k];
    if (e && flag) e.hidden = true;
  };
  rowTotalIndex?.forEach((k, i) => {
    force(k, table.hide?.rowTotals?.[i]);
  });
  colTotalIndex?.forEach((k, j) => {
    force(k, table.hide?.colTotals?.[j]);
  });
  force(totalIndex, table.hide?.total);
  cellIndex.forEach((row, i) => {
    row.forEach((k, j) => {
      force(k, table.hide?.cells?.[i]?.[j]);
    });
  });
  const anyHidden = () => entries.some((e) => e.hidden);
  let changed = anyHidden();
  while (changed) {
    changed = false;
    // 1. Line rule.
    for (let l = 0; l < lineCount; l++) {
      const line = members[l] ?? [];
      if (line.length === 0) continue;
      const hidden = line.filter((k) => entries[k]?.hidden);
      const total = totalOf.get(l);
      const cells = line.filter((k) => k !== total);
      const hiddenCellSum = sum(cells.filter((k) => entries[k]?.hidden).map((k) => entries[k]?.value ?? 0));
      const totalShown = total !== undefined && !entries[total]?.hidden;
      const hiddenCells = cells.filter((k) => entries[k]?.hidden).length;
      const needsMore = hidden.length === 1 || (totalShown && hiddenCells > 0 && hiddenCellSum < min);
      if (!needsMore) continue;
      // Prefer another cell of the line; only when all cells are hidden, the total.
      const pick = smallestVisible(entries, cells) ?? smallestVisible(entries, line);
      if (pick !== null) {
        (entries[pick] as Entry).hidden = true;
        changed = true;
      }
    }
    if (changed) continue;
    // 2. Bridge rule: a hidden entry still determined by the visible ones.
    const free = lineCount;
    for (const k of bridges(entries, lineCount)) {
      const e = entries[k] as Entry;
      const a = e.lines[0] ?? free;
      const side = reachable(entries, lineCount, a, k);
      const crossing = entries
        .map((x, idx) => ({ x, idx }))
        .filter(({ x }) => {
          if (x.hidden) return false;
          const xa = x.lines[0] ?? free;
          const xb = x.lines[1] ?? free;
          return side.has(xa) !== side.has(xb);
        })
        .map(({ idx }) => idx);
      const pick = smallestVisible(entries, crossing);
      if (pick !== null) {
        (entries[pick] as Entry).hidden = true;
        changed = true;
        break;
      }
    }
  }
  const shown = (k: number): Shown => {
    const e = entries[k] as Entry;
    return e.hidden ? SUPPRESSED : e.value;
  };
  return {
    cells: cellIndex.map((row) => row.map(shown)),
    rowTotals: rowTotalIndex ? rowTotalIndex.map(shown) : null,
    colTotals: colTotalIndex ? colTotalIndex.map(shown) : null,
    total: totalIndex === null ? null : shown(totalIndex),
    reason: cellIndex.map((row) =>
      row.map((k) => {
        const e = entries[k] as Entry;
        return e.hidden ? (e.primary ? "primary" : "secondary") : null;
      }),
    ),
  };
}

/** One-dimensional breakdown (categories with a published total). */
export function suppressList(counts: readonly number[], min = MIN_CELL): { cells: Shown[]; total: Shown } {
  const result = suppressTable({ cells: [counts], rowTotals: true, colTotals: false }, min);
  return { cells: result.cells[0] ?? [], total: result.rowTotals?.[0] ?? SUPPRESSED };
}

/**
 * A whole filtered view: when the filtered population is below MIN_CELL nothing of it is shown
 * (so narrowing a filter cannot isolate a few people).
 */
export function suppressView<T>(population: number, view: () => T, min = MIN_CELL): { suppressed: true } | { suppressed: false; view: T } {
  return population < min ? { suppressed: true } : { suppressed: false, view: view() };
}

export function isSuppressed(value: Shown | null | undefined): value is typeof SUPPRESSED {
  return value === SUPPRESSED;
}
