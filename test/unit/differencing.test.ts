import { beforeAll, describe, expect, it } from "vitest";
import type { Cell, ReportTable } from "~/utils/quality/quality-report";
import { useTestDatabase } from "../setup/test-db";

/**
 * The differencing attack on the managers' dashboard: a small count that is suppressed in one
 * view must not be computable from other published figures. Constructed data, one team:
 *
 *   month    followed  not followed
 *   2025-01      4          12        ← January's 4 followed decisions must stay hidden
 *   2025-05     14          11
 *   2025-06     20          15
 *   2025-08     13          16
 *
 * Attack 1 (the outside probe's): from=2025-01&to=2025-05 minus from=2025-05&to=2025-05.
 * Attack 2: every period breakdown published in one table, solved line by line the way an
 * analyst would (a row or column with one unknown and a visible total gives that unknown).
 */
const MONTHS: [string, number, number][] = [
  ["2025-01", 4, 12],
  ["2025-05", 14, 11],
  ["2025-06", 20, 15],
  ["2025-08", 13, 16],
];
const SECRET = 4;

let quality: typeof import("~/utils/quality/quality.server");

beforeAll(async () => {
  await useTestDatabase();
  const db = (await import("~/utils/db.server")).getDb();
  quality = await import("~/utils/quality/quality.server");
  const worker = (await db.user.create({ data: { username: "cw-diff", displayName: "CW", role: "caseworker", team: "Team A", passwordHash: "x" } })).id;
  let i = 0;
  for (const [month, followed, notFollowed] of MONTHS) {
    for (let k = 0; k < followed + notFollowed; k++, i++) {
      const client = await db.client.create({ data: { referenceHash: `diff-${i}`, code: `TW-DIFF${i}`, caseworkerId: worker, profileJson: "{}" } });
      const rec = await db.recommendation.create({ data: { clientId: client.id, modelVersion: "test", resultJson: "{}", topArm: "jobcoaching" } });
      const isFollowed = k < followed;
      await db.decision.create({
        data: {
          clientId: client.id,
          recommendationId: rec.id,
          chosenArm: isFollowed ? "jobcoaching" : "regulier",
          followedAdvice: isFollowed,
          reasonCode: isFollowed ? null : "other",
          decidedById: worker,
          version: 1,
          createdAt: new Date(`${month}-15T10:00:00Z`),
        },
      });
    }
  }
});

const report = async (query: string) => {
  const result = await quality.getQualityReport(quality.parseQualityFilter(new URL(`http://localhost/dashboard?${query}`)));
  if (result.suppressed) throw new Error(`view ${query} is suppressed`);
  return result;
};
const followedOf = (table: ReportTable, key: string): Cell => table.rows.find((r) => r[0] === key)?.[1] ?? null;

/**
 * An analyst's linear attack on a table with margins: repeatedly take a row (cells + its total)
 * or a column (cells + the column total) with exactly one unknown and solve it. Returns the
 * cells it could compute, by "row,column".
 */
function solveByLines(table: ReportTable, countColumns: number[], totalColumn: number): Map<string, number> {
  const rows = table.rows.filter((r) => r[0] !== "total");
  const totals = table.rows.find((r) => r[0] === "total");
  const known = new Map<string, number>();
  const value = (r: number, c: number): number | null => {
    const cell = c === totalColumn && r === rows.length ? totals?.[c] : r === rows.length ? totals?.[c] : rows[r]?.[c];
    if (typeof cell === "number") return cell;
    return known.get(`${r},${c}`) ?? null;
  };
  const lines: { cells: [number, number][]; total: [number, number] }[] = [];
  for (let r = 0; r <= rows.length; r++) lines.push({ cells: countColumns.map((c) => [r, c] as [number, number]), total: [r, totalColumn] });
  for (const c of [...countColumns, totalColumn]) lines.push({ cells: rows.map((_, r) => [r, c] as [number, number]), total: [rows.length, c] });
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const total = value(...line.total);
      const unknown = line.cells.filter(([r, c]) => value(r, c) === null);
      if (total === null || unknown.length !== 1) continue;
      const [r, c] = unknown[0] as [number, number];
      const rest = line.cells.reduce((s, [rr, cc]) => s + (rr === r && cc === c ? 0 : (value(rr, cc) ?? 0)), 0);
      known.set(`${r},${c}`, total - rest);
      changed = true;
    }
  }
  return known;
}

describe("differencing overlapping selections", () => {
  it("January alone is suppressed", async () => {
    // The whole-view population of January (16) is published, but its 4 followed decisions are not.
    const all = await report("");
    const periods = all.tables["adoption-period"];
    expect(followedOf(periods, "2025-Q1")).toBe("<10");
  });

  it("attack 1: two overlapping date ranges do not give January's count", async () => {
    const wide = await report("team=Team+A&from=2025-01&to=2025-05");
    const narrow = await report("team=Team+A&from=2025-05&to=2025-05");
    const a = followedOf(wide.tables["adoption-team"], "Team A");
    const b = followedOf(narrow.tables["adoption-team"], "Team A");
    const difference = typeof a === "number" && typeof b === "number" ? a - b : null;
    expect(difference).not.toBe(SECRET);
  });

  it("attack 2: the period breakdown and its totals do not give January's count", async () => {
    for (const query of ["", "team=Team+A"]) {
      const periods = (await report(query)).tables["adoption-period"];
      const columns = periods.columns.map((c) => c.key);
      const solved = solveByLines(periods, [columns.indexOf("followed"), columns.indexOf("notFollowed")], columns.indexOf("total"));
      const january = periods.rows.findIndex((r) => r[0] === "2025-Q1");
      expect(january).toBeGreaterThanOrEqual(0);
      expect(solved.get(`${january},${columns.indexOf("followed")}`), query).toBeUndefined();
      // Nor does its rate: shown only for rows whose counts are all shown.
      expect(periods.rows[january]?.[columns.indexOf("adoptionRate")]).toBe("<10");
    }
  });

  it("attack 3: the month breakdown, solved together with the quarter table, does not give January's count", async () => {
    const all = await report("");
    const months = all.tables["adoption-month"];
    const columns = months.columns.map((c) => c.key);
    expect(followedOf(months, "2025-01")).toBe("<10");
    const solved = solveByLines(months, [columns.indexOf("followed"), columns.indexOf("notFollowed")], columns.indexOf("total"));
    const january = months.rows.findIndex((r) => r[0] === "2025-01");
    expect(solved.get(`${january},${columns.indexOf("followed")}`)).toBeUndefined();
    // The quarter table's 2025-Q1 row is January alone: hidden there too, so neither table gives it away.
    expect(followedOf(all.tables["adoption-period"], "2025-Q1")).toBe("<10");
  });

  it("the selection offers no other periods to difference: every view covers all periods", async () => {
    const all = await report("");
    for (const query of ["from=2025-01&to=2025-05", "from=2025-05", "to=2025-06", "period=2025-Q1", "from=2025-05&to=2025-05"]) {
      expect((await report(query)).population, query).toBe(all.population);
    }
  });
});
