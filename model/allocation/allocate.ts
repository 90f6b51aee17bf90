import { z } from "zod";
import { ModelError } from "../errors.js";
import type { RecommendationResult } from "../recommendation.js";

/**
 * Capacity-aware allocation of waiting clients to trajectories.
 *
 * Every client gets exactly one arm among those allowed for them (eligible and not low-evidence; the
 * control arm, regular guidance, is always allowed and has no limit). An arm with a number of places
 * takes at most that many clients. The allocation maximises the sum of the clients' expected outcomes
 * (the expected number finding work).
 *
 * This is a transportation problem (a min-cost flow), solved exactly by successive shortest paths:
 * clients are added one at a time, each along the best chain "client → arm a, one client of a moves on
 * to b, one of b to c, …, ending in an arm with a free place". With few arms the chain is a longest path
 * over the arms (Bellman–Ford on K nodes), so adding a client costs O(n·K + K³). The allocation after
 * each step is optimal for the clients added so far (no improving cycle exists), hence at the end too.
 */
export const AllocationClientSchema = z.object({
  id: z.string().min(1),
  /** Expected outcome per arm (the order of `arms`); null where the arm is not allowed for this client. */
  expected: z.array(z.number().min(0).max(1).nullable()),
  /** Allowed arms (indices) in the client's ranking, first = the unconstrained first choice. */
  preference: z.array(z.number().int().min(0)),
});
export type AllocationClient = z.infer<typeof AllocationClientSchema>;

export const AllocationInputSchema = z.object({
  arms: z.array(z.string().min(1)).min(1),
  control: z.string().min(1),
  /** Places per arm; an arm that is absent or null has no limit. The control arm never has one. */
  places: z.record(z.string(), z.number().int().min(0).nullable()),
  /** The waiting clients, longest waiting first (the order first-come-first-served follows). */
  clients: z.array(AllocationClientSchema),
});
export type AllocationInput = z.infer<typeof AllocationInputSchema>;

export type AllocationPlan = {
  /** Arm index per client (the order of the input). */
  assignment: number[];
  /** Sum of the assigned arms' expected outcomes. */
  total: number;
};

export type Allocation = {
  /** The optimal allocation within the places. */
  optimal: AllocationPlan;
  /** First-come-first-served: in waiting order, each client gets the first arm in their ranking that still has a place. */
  firstComeFirstServed: AllocationPlan;
  /** Everyone on their first choice, places ignored (for reference; may exceed the places). */
  unconstrained: AllocationPlan;
  /** Per arm: places (null = no limit) and how many the optimal allocation uses. */
  arms: { arm: string; places: number | null; used: number; wanted: number }[];
};

const EPS = 1e-12;

type Prepared = { K: number; control: number; limit: (number | null)[]; clients: AllocationClient[] };

function prepare(input: AllocationInput): Prepared {
  const parsed = AllocationInputSchema.parse(input);
  const K = parsed.arms.length;
  const control = parsed.arms.indexOf(parsed.control);
  if (control < 0) throw new ModelError(`allocation: the control arm ${parsed.control} is not one of the arms`);
  const limit = parsed.arms.map((arm, a) => (a === control ? null : (parsed.places[arm] ?? null)));
  for (const c of parsed.clients) {
    if (c.expected.length !== K) throw new ModelError(`allocation: a client has ${c.expected.length} expected outcomes for ${K} arms`);
    if (c.expected[control] === null || c.expected[control] === undefined) throw new ModelError("allocation: every client needs an expected outcome under the control arm");
    if (c.preference.some((a) => a >= K || c.expected[a] === null)) throw new ModelError("allocation: a client's ranking names an arm that is not allowed for them");
  }
  return { K, control, limit, clients: parsed.clients };
}

const value = (c: AllocationClient, a: number): number | null => c.expected[a] ?? null;

function totalOf(clients: readonly AllocationClient[], assignment: readonly number[]): number {
  return assignment.reduce((s, a, i) => s + ((clients[i] && value(clients[i], a)) ?? 0), 0);
}

/** The optimal allocation (see the comment at the top). */
export function allocateOptimal(input: AllocationInput): AllocationPlan {
  const { K, control, limit, clients } = prepare(input);
  const assignment: number[] = new Array(clients.length).fill(control);
  const members: number[][] = Array.from({ length: K }, () => []);
  const spare = (a: number) => {
    const l = limit[a];
    return l === null || l === undefined || (members[a] as number[]).length < l;
  };
  clients.forEach((client, i) => {
    // best[b]: the most value gained by freeing one place in b (0 when b has one free); via[b] the move that does it.
    const best = new Array<number>(K).fill(Number.NEGATIVE_INFINITY);
    const via: ({ to: number; client: number } | null)[] = new Array(K).fill(null);
    for (let b = 0; b < K; b++) if (spare(b)) best[b] = 0;
    // w(b, c): moving the best-suited client of b to c.
    const moves: { gain: number; client: number }[][] = Array.from({ length: K }, (_, b) =>
      Array.from({ length: K }, (_, c) => {
        let gain = Number.NEGATIVE_INFINITY;
        let who = -1;
        if (b !== c) {
          for (const j of members[b] as number[]) {
            const to = value(clients[j] as AllocationClient, c);
            const from = value(clients[j] as AllocationClient, b);
            if (to === null || from === null) continue;
            if (to - from > gain + EPS) {
              gain = to - from;
              who = j;
            }
          }
        }
        return { gain, client: who };
      }),
    );
    for (let round = 0; round < K; round++) {
      let changed = false;
      for (let b = 0; b < K; b++) {
        for (let c = 0; c < K; c++) {
          const m = (moves[b] as { gain: number; client: number }[])[c] as { gain: number; client: number };
          if (m.client < 0 || best[c] === Number.NEGATIVE_INFINITY) continue;
          const candidate = m.gain + (best[c] as number);
          if (candidate > (best[b] as number) + EPS) {
            best[b] = candidate;
            via[b] = { to: c, client: m.client };
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    let first = -1;
    let firstValue = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < K; a++) {
      const v = value(client, a);
      if (v === null || best[a] === Number.NEGATIVE_INFINITY) continue;
      if (v + (best[a] as number) > firstValue + EPS) {
        firstValue = v + (best[a] as number);
        first = a;
      }
    }
    if (first < 0) throw new ModelError("allocation: no arm can take the client (the control arm must always be allowed)");
    // Carry out the chain: each move frees a place in the arm before it.
    let at = first;
    const seen = new Set<number>();
    while (via[at]) {
      if (seen.has(at)) throw new ModelError("allocation: the chain of moves loops");
      seen.add(at);
      const move = via[at] as { to: number; client: number };
      const list = members[at] as number[];
      list.splice(list.indexOf(move.client), 1);
      (members[move.to] as number[]).push(move.client);
      assignment[move.client] = move.to;
      at = move.to;
    }
    (members[first] as number[]).push(i);
    assignment[i] = first;
  });
  return { assignment, total: totalOf(clients, assignment) };
}

/** First-come-first-served: in waiting order, the first arm in each client's ranking with a place left (else the control arm). */
export function allocateFirstComeFirstServed(input: AllocationInput): AllocationPlan {
  const { control, limit, clients } = prepare(input);
  const left = limit.map((l) => (l === null || l === undefined ? Number.POSITIVE_INFINITY : l));
  const assignment = clients.map((c) => {
    const arm = c.preference.find((a) => (left[a] as number) > 0) ?? control;
    left[arm] = (left[arm] as number) - 1;
    return arm;
  });
  return { assignment, total: totalOf(clients, assignment) };
}

/** Optimal, first-come-first-served and unconstrained plans with the use of each arm. */
export function allocate(input: AllocationInput): Allocation {
  const optimal = allocateOptimal(input);
  const firstComeFirstServed = allocateFirstComeFirstServed(input);
  const { control, limit, clients } = prepare(input);
  const unconstrainedAssignment = clients.map((c) => c.preference[0] ?? control);
  return {
    optimal,
    firstComeFirstServed,
    unconstrained: { assignment: unconstrainedAssignment, total: totalOf(clients, unconstrainedAssignment) },
    arms: input.arms.map((arm, a) => ({
      arm,
      places: limit[a] ?? null,
      used: optimal.assignment.filter((x) => x === a).length,
      wanted: unconstrainedAssignment.filter((x) => x === a).length,
    })),
  };
}

/**
 * A client's allocation input from the advice they were shown: the allowed arms are the eligible
 * ones with enough evidence (a low-evidence arm is never allocated, as it is never ranked first on weak
 * evidence), plus the control arm; the ranking is the advice's. Only for a binary outcome (a chance).
 */
export function allocationClientFromAdvice(options: { id: string; arms: readonly string[]; advice: RecommendationResult }): AllocationClient {
  const { advice, arms } = options;
  if (advice.outcomeType !== "binary") throw new ModelError("allocation needs a binary outcome (a chance of work)");
  const byArm = new Map(advice.arms.map((a) => [a.arm, a]));
  const allowed = (arm: string) => {
    const a = byArm.get(arm);
    if (!a) return false;
    return arm === advice.control || (a.eligible && !a.lowEvidence);
  };
  const expected = arms.map((arm) => (allowed(arm) ? (byArm.get(arm)?.expected ?? null) : null));
  const preference = [...advice.arms]
    .filter((a) => a.rank !== null && allowed(a.arm))
    .sort((a, b) => (a.rank as number) - (b.rank as number))
    .map((a) => arms.indexOf(a.arm))
    .filter((a) => a >= 0);
  const control = arms.indexOf(advice.control);
  if (control >= 0 && !preference.includes(control)) preference.push(control);
  return { id: options.id, expected, preference };
}
