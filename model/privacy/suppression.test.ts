import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_CELL, type Shown, SUPPRESSED, suppressCount, suppressFigure, suppressList, suppressTable, suppressView } from "./suppression";

/**
 * Independent check by linear algebra: the published lines (row i: Σ cells = row total, column j:
 * Σ cells = column total, Σ row totals = Σ column totals = grand total) with the visible values
 * substituted. A hidden entry is recoverable iff its unit vector lies in the row space of the
 * constraint matrix restricted to the hidden entries.
 */
function recoverable(table: { cells: number[][]; rowTotals: boolean; colTotals: boolean }, shown: ReturnType<typeof suppressTable>): boolean[] {
  const R = table.cells.length;
  const C = table.cells[0]?.length ?? 0;
  type Var = { shown: Shown };
  const vars: Var[] = [];
  const cell: number[][] = [];
  for (let i = 0; i < R; i++) {
    cell.push([]);
    for (let j = 0; j < C; j++) {
      vars.push({ shown: shown.cells[i]?.[j] as Shown });
      cell[i]?.push(vars.length - 1);
    }
  }
  const push = (value: Shown | null | undefined) => vars.push({ shown: value as Shown }) - 1;
  const rowT = table.rowTotals ? Array.from({ length: R }, (_, i) => push(shown.rowTotals?.[i])) : null;
  const colT = table.colTotals ? Array.from({ length: C }, (_, j) => push(shown.colTotals?.[j])) : null;
  const grand = rowT && colT ? push(shown.total) : null;
  // Constraints as coefficient maps over all vars.
  const constraints: Map<number, number>[] = [];
  const line = (members: number[], total: number) => {
    const m = new Map<number, number>();
    for (const k of members) m.set(k, 1);
    m.set(total, -1);
    constraints.push(m);
  };
  if (rowT) for (let i = 0; i < R; i++) line(cell[i] as number[], rowT[i] as number);
  if (colT) for (let j = 0; j < C; j++) line(cell.map((r) => r[j] as number), colT[j] as number);
  if (rowT && colT && grand !== null) {
    line(rowT, grand);
    line(colT, grand);
  }
  const hidden = vars.map((v, k) => (v.shown === SUPPRESSED ? k : -1)).filter((k) => k >= 0);
  // Matrix of constraints restricted to hidden vars; row-reduce.
  const rows = constraints.map((c) => hidden.map((k) => c.get(k) ?? 0)).filter((r) => r.some((x) => x !== 0));
  const m = rows.map((r) => [...r]);
  let rank = 0;
  const pivots: number[] = [];
  for (let col = 0; col < hidden.length && rank < m.length; col++) {
    let p = -1;
    for (let r = rank; r < m.length; r++) if (Math.abs(m[r]?.[col] ?? 0) > 1e-9) p = r;
    if (p < 0) continue;
    [m[rank], m[p]] = [m[p] as number[], m[rank] as number[]];
    const pivot = m[rank] as number[];
    const pv = pivot[col] as number;
    for (let c = 0; c < pivot.length; c++) pivot[c] = (pivot[c] as number) / pv;
    for (let r = 0; r < m.length; r++) {
      if (r === rank) continue;
      const row = m[r] as number[];
      const f = row[col] as number;
      if (f !== 0) for (let c = 0; c < row.length; c++) row[c] = (row[c] as number) - f * (pivot[c] as number);
    }
    pivots.push(col);
    rank++;
  }
  // Hidden var h is determined iff some reduced row is exactly its unit vector.
  const determined = hidden.map((_, h) => m.slice(0, rank).some((row) => row.every((x, c) => (c === h ? Math.abs(x - 1) < 1e-9 : Math.abs(x) < 1e-9))));
  const out = vars.map(() => false);
  hidden.forEach((k, h) => {
    out[k] = determined[h] as boolean;
  });
  return out;
}

const counts = (r: number, c: number) => fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 200 })), { minLength: c, maxLength: c }), { minLength: r, maxLength: r });

describe("primary suppression", () => {
  it("shows counts of 10 and more, hides fewer than 10 (zero included)", () => {
    expect(suppressCount(10)).toBe(10);
    expect(suppressCount(9)).toBe(SUPPRESSED);
    expect(suppressCount(0)).toBe(SUPPRESSED);
    expect(suppressFigure(0.42, 9)).toBe(SUPPRESSED);
    expect(suppressFigure(0.42, 10)).toBe(0.42);
    expect(suppressFigure(Number.NaN, 100)).toBe(SUPPRESSED);
  });

  it("a view whose filtered population is below 10 is suppressed whole", () => {
    expect(suppressView(9, () => "figures")).toEqual({ suppressed: true });
    expect(suppressView(10, () => "figures")).toEqual({ suppressed: false, view: "figures" });
  });
});

describe("secondary suppression", () => {
  it("a list with a total: the next-smallest category is hidden beside a small one", () => {
    const { cells, total } = suppressList([40, 3, 25, 60]);
    expect(cells).toEqual([40, SUPPRESSED, SUPPRESSED, 60]);
    expect(total).toBe(128);
  });

  it("a hand-checked 3×3 table with margins", () => {
    const result = suppressTable({
      cells: [
        [20, 5, 30],
        [15, 40, 25],
        [50, 35, 45],
      ],
    });
    // 5 is primary; row 0 and column 1 each get a second cell (the smallest visible: 20 and 35);
    // then row 2 / column 0 have exactly one hidden cell: 35 pairs with 45? No: the line rule picks
    // the next smallest in each line until every line has 0 or ≥ 2 hidden cells and no bridge remains.
    expect(result.reason[0]?.[1]).toBe("primary");
    const hiddenPerRow = result.cells.map((r) => r.filter((v) => v === SUPPRESSED).length);
    const hiddenPerCol = [0, 1, 2].map((j) => result.cells.filter((r) => r[j] === SUPPRESSED).length);
    for (const h of [...hiddenPerRow, ...hiddenPerCol]) expect(h === 0 || h >= 2).toBe(true);
    expect(result.total).toBe(265);
    expect(recoverable({ cells: [[20, 5, 30], [15, 40, 25], [50, 35, 45]], rowTotals: true, colTotals: true }, result).some(Boolean)).toBe(false);
  });

  it("a small margin is itself suppressed and protected", () => {
    const result = suppressTable({ cells: [[4, 3], [50, 60]] });
    expect(result.rowTotals?.[0]).toBe(SUPPRESSED);
    expect(result.cells[0]).toEqual([SUPPRESSED, SUPPRESSED]);
    expect(recoverable({ cells: [[4, 3], [50, 60]], rowTotals: true, colTotals: true }, result).some(Boolean)).toBe(false);
  });

  it("hidden cells of a line never add up to fewer than 10 while its total is shown", () => {
    const { cells } = suppressList([2, 3, 100, 200]);
    const hiddenSum = [2, 3, 100, 200].filter((_, i) => cells[i] === SUPPRESSED).reduce((s, v) => s + v, 0);
    expect(hiddenSum).toBeGreaterThanOrEqual(MIN_CELL);
  });

  it("the independent checker does find a cell hidden on its own (primary suppression only)", () => {
    const naive = { cells: [[SUPPRESSED, 20], [30, 40]] as Shown[][], rowTotals: [SUPPRESSED, 70] as Shown[], colTotals: [33, 60] as Shown[], total: 93, reason: [] };
    expect(recoverable({ cells: [[3, 20], [30, 40]], rowTotals: true, colTotals: true }, naive)[0]).toBe(true);
  });

  it("property: margins hidden because another table hides them stay hidden and protected", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((r) => fc.integer({ min: 1, max: 4 }).chain((c) => fc.tuple(counts(r, c), fc.array(fc.boolean(), { minLength: c, maxLength: c }), fc.boolean()))),
        ([cells, hideCols, hideTotal]) => {
          const result = suppressTable({ cells, hide: { colTotals: hideCols, total: hideTotal } });
          hideCols.forEach((h, j) => {
            if (h) expect(result.colTotals?.[j]).toBe(SUPPRESSED);
          });
          if (hideTotal) expect(result.total).toBe(SUPPRESSED);
          expect(recoverable({ cells, rowTotals: true, colTotals: true }, result).some(Boolean)).toBe(false);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("property: no hidden cell or margin can be computed back from the visible cells and margins", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((r) => fc.integer({ min: 1, max: 5 }).chain((c) => fc.tuple(counts(r, c), fc.boolean(), fc.boolean()))),
        ([cells, rowTotals, colTotals]) => {
          const result = suppressTable({ cells, rowTotals, colTotals });
          // Primary: everything below 10 hidden, everything shown is a real count ≥ 10.
          for (const [i, row] of cells.entries()) {
            for (const [j, v] of row.entries()) {
              const shown = result.cells[i]?.[j];
              if (v < MIN_CELL) expect(shown).toBe(SUPPRESSED);
              else if (shown !== SUPPRESSED) expect(shown).toBe(v);
            }
          }
          for (const t of [...(result.rowTotals ?? []), ...(result.colTotals ?? []), result.total]) {
            if (typeof t === "number") expect(t).toBeGreaterThanOrEqual(MIN_CELL);
          }
          // Secondary: nothing hidden is determined by the visible figures.
          expect(recoverable({ cells, rowTotals, colTotals }, result).some(Boolean)).toBe(false);
        },
      ),
      { numRuns: 400, seed: 6 },
    );
  });

  it("a cell hidden because another table hides it stays hidden, with a partner in its row and column", () => {
    const result = suppressTable({ cells: [[20, 30], [40, 50]], hide: { cells: [[true, false], [false, false]] } });
    expect(result.cells).toEqual([
      ["<10", "<10"],
      ["<10", "<10"],
    ]);
    expect(result.rowTotals).toEqual([50, 90]);
    expect(result.colTotals).toEqual([60, 80]);
  });
});
