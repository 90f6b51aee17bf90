import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RecommendationResult } from "../recommendation.js";
import { type AllocationInput, allocate, allocateFirstComeFirstServed, allocateOptimal, allocationClientFromAdvice } from "./allocate.js";

/** The best total by trying every assignment of allowed arms within the places. */
function bruteForce(input: AllocationInput): number {
  const K = input.arms.length;
  const limit = input.arms.map((arm) => (arm === input.control ? null : (input.places[arm] ?? null)));
  const used = new Array<number>(K).fill(0);
  let best = Number.NEGATIVE_INFINITY;
  const walk = (i: number, total: number) => {
    if (i === input.clients.length) {
      best = Math.max(best, total);
      return;
    }
    const client = input.clients[i];
    if (!client) return;
    client.expected.forEach((v, a) => {
      const l = limit[a];
      if (v === null || (l !== null && l !== undefined && (used[a] as number) >= l)) return;
      used[a] = (used[a] as number) + 1;
      walk(i + 1, total + v);
      used[a] = (used[a] as number) - 1;
    });
  };
  walk(0, 0);
  return best;
}

const ARMS = ["regulier", "a", "b", "c"];

/** Small random cases: 1–7 clients, 2–4 arms, some arms not allowed per client, places 0–3 or no limit. */
const caseArb = fc.integer({ min: 2, max: 4 }).chain((K) =>
  fc
    .record({
      places: fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: K - 1, maxLength: K - 1 }),
      clients: fc.array(
        fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null, freq: 4 }), { minLength: K - 1, maxLength: K - 1 }).chain((others) =>
          fc.record({ control: fc.double({ min: 0, max: 1, noNaN: true }), others: fc.constant(others) }),
        ),
        { minLength: 1, maxLength: 7 },
      ),
    })
    .map(({ places, clients }): AllocationInput => {
      const arms = ARMS.slice(0, K);
      return {
        arms,
        control: "regulier",
        places: Object.fromEntries(places.map((p, k) => [arms[k + 1] as string, p])),
        clients: clients.map((c, i) => {
          const expected = [c.control, ...c.others];
          const preference = expected
            .map((v, a) => ({ v, a }))
            .filter((x): x is { v: number; a: number } => x.v !== null)
            .sort((x, y) => y.v - x.v || x.a - y.a)
            .map((x) => x.a);
          return { id: `c${i}`, expected, preference };
        }),
      };
    }),
);

function feasible(input: AllocationInput, assignment: number[]): boolean {
  return input.arms.every((arm, a) => {
    const l = arm === input.control ? null : (input.places[arm] ?? null);
    return l === null || assignment.filter((x) => x === a).length <= l;
  }) && assignment.every((a, i) => input.clients[i]?.expected[a] !== null);
}

describe("allocation within places", () => {
  it("matches the brute-force optimum on many small random cases, within the places and allowed arms", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const plan = allocateOptimal(input);
        expect(feasible(input, plan.assignment)).toBe(true);
        expect(plan.total).toBeCloseTo(bruteForce(input), 9);
      }),
      { numRuns: 600, seed: 17 },
    );
  });

  it("is never worse than first-come-first-served, which also respects the places", () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const fcfs = allocateFirstComeFirstServed(input);
        expect(feasible(input, fcfs.assignment)).toBe(true);
        expect(allocateOptimal(input).total).toBeGreaterThanOrEqual(fcfs.total - 1e-9);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it("hand-checked: one place goes to the client who gains most from it, not to the first in line", () => {
    const input: AllocationInput = {
      arms: ["regulier", "jobcoaching"],
      control: "regulier",
      places: { jobcoaching: 1 },
      clients: [
        { id: "first", expected: [0.3, 0.35], preference: [1, 0] },
        { id: "second", expected: [0.2, 0.5], preference: [1, 0] },
      ],
    };
    const result = allocate(input);
    expect(result.optimal.assignment).toEqual([0, 1]);
    expect(result.optimal.total).toBeCloseTo(0.8, 12);
    expect(result.firstComeFirstServed.assignment).toEqual([1, 0]);
    expect(result.firstComeFirstServed.total).toBeCloseTo(0.55, 12);
    expect(result.unconstrained.assignment).toEqual([1, 1]);
    expect(result.arms).toEqual([
      { arm: "regulier", places: null, used: 1, wanted: 0 },
      { arm: "jobcoaching", places: 1, used: 1, wanted: 2 },
    ]);
  });

  it("refuses a client without an expected outcome under the control arm", () => {
    expect(() =>
      allocateOptimal({ arms: ["regulier", "a"], control: "regulier", places: {}, clients: [{ id: "x", expected: [null, 0.4], preference: [1] }] }),
    ).toThrow(/control arm/);
  });

  it("reads advice: ineligible and low-evidence arms are not allowed, the control arm always is", () => {
    const arm = (name: string, rank: number | null, expected: number, extra: { eligible?: boolean; lowEvidence?: boolean } = {}) => ({
      arm: name,
      rank,
      eligible: extra.eligible ?? true,
      excludedBy: null,
      expected,
      lower: 0,
      upper: 1,
      gain: 0,
      gainLower: 0,
      gainUpper: 0,
      propensity: 0.2,
      comparableClients: null,
      lowEvidence: extra.lowEvidence ?? false,
      reasons: [],
    });
    const advice: RecommendationResult = {
      modelVersion: "v",
      outcomeType: "binary",
      control: "regulier",
      advise: true,
      arms: [arm("scholing", 1, 0.5), arm("regulier", 2, 0.3), arm("jobcoaching", 3, 0.6, { lowEvidence: true }), arm("taaltraject", null, 0.4, { eligible: false })],
      whatIfs: [],
    };
    const client = allocationClientFromAdvice({ id: "x", arms: ["regulier", "jobcoaching", "scholing", "taaltraject"], advice });
    expect(client.expected).toEqual([0.3, null, 0.5, null]);
    expect(client.preference).toEqual([2, 0]);
  });
});
