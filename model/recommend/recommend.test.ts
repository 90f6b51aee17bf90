import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFrom, makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { type Bundle, disposeBundle, loadBundle } from "../bundle/bundle.js";
import { SchemaError } from "../errors.js";
import type { Catalogue } from "../config/municipality.js";
import { RecommendationResultSchema } from "../recommendation.js";
import type { SecondaryFile } from "../secondary/heads.js";
import { DEFAULT_ELIGIBILITY_RULES } from "./eligibility.js";
import { rankArms } from "./policy.js";
import { predictTable } from "./predict-table.js";
import { explainClient, recommend, recommendMany } from "./recommend.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let bundle: Bundle;

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 900, seed: 31, epochs: 3 });
  bundle = await loadBundle(fixture.dir);
});
afterAll(() => {
  disposeBundle(bundle);
});

const client = (overrides: Record<string, unknown> = {}, index = 0) => ({ ...clientFrom(fixture.tiny, index), ...overrides });

describe("recommend", () => {
  it("returns a valid RecommendationResult: eligible arms by rank, then ineligible ones", () => {
    const result = recommend(bundle, client());
    expect(RecommendationResultSchema.safeParse(result).success).toBe(true);
    expect(result.modelVersion).toBe(bundle.version);
    expect(result.arms.map((a) => a.arm).sort()).toEqual([...bundle.schema.treatment.arms].sort());
    const ranks = result.arms.map((a) => a.rank);
    const eligible = ranks.filter((r) => r !== null);
    expect(eligible).toEqual(eligible.map((_, i) => i + 1));
    expect(ranks.slice(eligible.length).every((r) => r === null)).toBe(true);
    const control = result.arms.find((a) => a.arm === "regulier");
    expect(control?.gain).toBeCloseTo(0, 6);
    for (const a of result.arms) {
      expect(a.lower).toBeLessThanOrEqual(a.expected + 1e-6);
      expect(a.upper).toBeGreaterThanOrEqual(a.expected - 1e-6);
      expect(a.comparableClients === null || a.comparableClients >= 10).toBe(true);
    }
  });

  it("lists ineligible arms with the rule that excluded them", () => {
    const result = recommend(bundle, client({ taaleis_voldaan: 1, problematische_schulden: 0, schuldhulp_eerder: 0 }));
    const taal = result.arms.find((a) => a.arm === "taaltraject");
    const schuld = result.arms.find((a) => a.arm === "schuldhulp");
    expect(taal).toMatchObject({ eligible: false, rank: null, excludedBy: DEFAULT_ELIGIBILITY_RULES.find((r) => r.arm === "taaltraject")?.text.nl });
    expect(schuld).toMatchObject({ eligible: false, rank: null, excludedBy: DEFAULT_ELIGIBILITY_RULES.find((r) => r.arm === "schuldhulp")?.text.nl });
    const withDebts = recommend(bundle, client({ taaleis_voldaan: 0, problematische_schulden: 1 }));
    expect(withDebts.arms.every((a) => a.eligible)).toBe(true);
  });

  it("never ranks a low-evidence arm first while a well-supported arm is eligible", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 899 }), fc.double({ min: 0, max: 0.4, noNaN: true }), (index, minPropensity) => {
        const result = recommend(bundle, client({}, index), { minPropensity, explain: false });
        const first = result.arms[0];
        const anyStrong = result.arms.some((a) => a.eligible && !a.lowEvidence);
        return !anyStrong || (first !== undefined && !first.lowEvidence);
      }),
      { numRuns: 40 },
    );
  });

  it("computes what-ifs through the model", () => {
    const profile = client({ problematische_schulden: 1, taaleis_voldaan: 0, opleiding: "basis" });
    const result = recommend(bundle, profile);
    expect(result.whatIfs.map((w) => w.key)).toEqual(["schulden_opgelost", "taaleis_voldaan", "opleiding_afgerond"]);
    const direct = predictTable(bundle, [{ ...profile, problematische_schulden: 0 }]);
    const jk = bundle.schema.treatment.arms.indexOf("jobcoaching");
    expect(result.whatIfs[0]?.expected.jobcoaching).toBeCloseTo(direct.mean[0]?.[jk] ?? -1, 6);
    expect(recommend(bundle, client({ problematische_schulden: 0, taaleis_voldaan: 1, opleiding: "hbo_wo" })).whatIfs).toEqual([]);
  });

  it("explains with signed grouped reasons whose sum matches the prediction (integrated gradients)", () => {
    const profile = client({}, 5);
    const attribution = explainClient(bundle, profile, { steps: 64 });
    const result = recommend(bundle, profile, { topReasons: 100 });
    for (const arm of bundle.schema.treatment.arms) {
      const advice = result.arms.find((a) => a.arm === arm);
      const total = Object.values(attribution.chance[arm] ?? {}).reduce((s, v) => s + v, 0);
      expect(total).toBeCloseTo((advice?.expected ?? 0) - (attribution.baselineExpected[arm] ?? 0), 2);
      const groups = new Set(bundle.schema.features.map((f) => f.group));
      for (const r of advice?.reasons ?? []) expect(groups.has(r.group)).toBe(true);
      // With the default few (staggered) steps the sum is still close.
      const fast = explainClient(bundle, profile);
      const fastTotal = Object.values(fast.chance[arm] ?? {}).reduce((s, v) => s + v, 0);
      expect(Math.abs(fastTotal - ((advice?.expected ?? 0) - (fast.baselineExpected[arm] ?? 0)))).toBeLessThan(0.03);
      const abs = (advice?.reasons ?? []).map((r) => Math.abs(r.effect));
      expect(abs).toEqual([...abs].sort((a, b) => b - a));
    }
  });

  it("weighs costs in when asked", () => {
    const base = recommend(bundle, client({ problematische_schulden: 1, taaleis_voldaan: 0 }), { explain: false, minPropensity: 0 });
    const top = base.arms[0]?.arm ?? "";
    const costly = recommend(bundle, client({ problematische_schulden: 1, taaleis_voldaan: 0 }), {
      explain: false,
      minPropensity: 0,
      costs: { [top]: 1000 },
      costWeight: 1,
    });
    expect(costly.arms[0]?.arm).not.toBe(top);
  });

  it("rejects a client that does not match the schema, naming the field", () => {
    const { opleiding: _, ...rest } = client();
    expect(() => recommend(bundle, rest)).toThrow(SchemaError);
    expect(() => recommend(bundle, rest)).toThrow(/missing feature "opleiding"/);
    expect(() => recommend(bundle, client({ taaleis_voldaan: 3 }))).toThrow(/"taaleis_voldaan" = 3 must be 0 or 1/);
    expect(() => recommend(bundle, client({ maanden_sinds_werk: "lang" }))).toThrow(/is not a number/);
    // unknown category and missing number are fine
    expect(() => recommend(bundle, client({ regio: "buitenland", maanden_sinds_werk: null }))).not.toThrow();
  });

  it("gives a batch the same advice as one client at a time, and a bad client its own error", () => {
    const clients = [client({}, 0), client({ taaleis_voldaan: 3 }, 1), client({}, 2), client({}, 3)];
    const batch = recommendMany(bundle, clients);
    expect(batch.map((o) => o.ok)).toEqual([true, false, true, true]);
    const bad = batch[1];
    expect(bad && !bad.ok && bad.error).toBeInstanceOf(SchemaError);
    for (const i of [0, 2, 3]) {
      const one = recommend(bundle, clients[i] ?? {});
      const got = batch[i];
      if (!got?.ok) throw new Error("expected advice");
      expect(got.result.arms.map((a) => a.arm)).toEqual(one.arms.map((a) => a.arm));
      got.result.arms.forEach((a, k) => {
        const b = one.arms[k];
        expect(a.expected).toBeCloseTo(b?.expected ?? -1, 5);
        expect(a.gainLower).toBeCloseTo(b?.gainLower ?? -1, 5);
        expect(a.reasons.map((r) => r.group)).toEqual(b?.reasons.map((r) => r.group));
        a.reasons.forEach((r, j) => {
          expect(r.effect).toBeCloseTo(b?.reasons[j]?.effect ?? -1, 5);
        });
      });
      expect(got.result.whatIfs).toEqual(one.whatIfs.map((w) => ({ ...w, expected: expect.any(Object) })));
    }
  });

  it("leaks no tensors in predict and explain", () => {
    const before = tf.memory().numTensors;
    predictTable(bundle, fixture.tiny.rows.slice(0, 100));
    recommend(bundle, client());
    explainClient(bundle, client({}, 3));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("predictTable", () => {
  it("gives one value per row and arm, ids from the id column, and rec", () => {
    const rows = fixture.tiny.rows.slice(0, 20);
    const p = predictTable(bundle, rows);
    const K = bundle.schema.treatment.arms.length;
    expect(p.ids).toEqual(rows.map((r) => r.pseudonym));
    for (const m of [p.mean, p.lower, p.upper, p.gain, p.gainLower, p.gainUpper, p.propensity]) {
      expect(m).toHaveLength(20);
      for (const r of m) expect(r).toHaveLength(K);
    }
    expect(p.rec.every((a) => bundle.schema.treatment.arms.includes(a))).toBe(true);
    const one = recommend(bundle, client({}, 0), { explain: false });
    expect(p.rec[0]).toBe(one.arms[0]?.arm);
  });

  it("recommends for every row the arm recommend ranks first (one ranking rule)", () => {
    const rows = fixture.tiny.rows.slice(0, 40);
    const p = predictTable(bundle, rows);
    rows.forEach((_, i) => {
      expect(p.rec[i]).toBe(recommend(bundle, client({}, i), { explain: false }).arms[0]?.arm);
    });
  });
});

describe("rankArms", () => {
  it("puts well-supported arms before low-evidence ones and skips ineligible arms", () => {
    const ranks = rankArms([
      { arm: "a", score: 0.9, eligible: true, lowEvidence: true },
      { arm: "b", score: 0.5, eligible: true, lowEvidence: false },
      { arm: "c", score: 0.99, eligible: false, lowEvidence: false },
      { arm: "d", score: 0.6, eligible: true, lowEvidence: false },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ a: 3, b: 2, c: null, d: 1 });
  });
});

const debtsClient = () => ({ ...clientFrom(fixture.tiny, 0), problematische_schulden: 1 });

/** Heads with intercepts only: debt counselling lowers problem debts from 50% to about 5%, the other arms change nothing. */
function interceptHeads(file: SecondaryFile): SecondaryFile {
  const w = file.width;
  const zeros = () => new Array<number>(w).fill(0);
  const head = (intercept: number) => ({
    intercept,
    weights: zeros(),
    covariance: { intercept: 0.01, cross: zeros(), weights: Array.from({ length: w }, (_, i) => zeros().map((_, j) => (i === j ? 1e-6 : 0))) },
    l2: 10,
  });
  return { ...file, outcomes: [{ column: "schulden_12m", type: "binary" as const, heads: file.arms.map((arm) => head(arm === "schuldhulp" ? -3 : 0)) }] };
}

function weighted(catalogue: Catalogue, weight: number): Catalogue {
  const secondary = catalogue.outcomes.secondary.map((o) => (o.column === "schulden_12m" ? { ...o, weight } : o));
  return { ...catalogue, outcomes: { ...catalogue.outcomes, secondary } };
}

describe("secondary outcomes in the advice", () => {
  it("training writes secondary.json into the bundle (in its manifest) for the configuration's secondary outcomes, hours on their own scale", () => {
    expect(bundle.manifest.files.some((f) => f.path === "secondary.json")).toBe(true);
    expect(bundle.secondary?.outcomes.map((o) => [o.column, o.type])).toEqual([
      ["uren_per_week", "continuous"],
      ["uitstroom_12m", "binary"],
      ["wmo_12m", "binary"],
      ["schulden_12m", "binary"],
    ]);
  });

  it("gives every arm its chance and difference against regular guidance per secondary outcome, with 95% intervals", () => {
    const result = recommend(bundle, debtsClient(), { explain: false });
    expect(RecommendationResultSchema.safeParse(result).success).toBe(true);
    expect(result.secondaryOutcomes).toEqual([
      { outcome: "uren_per_week", better: "higher", weight: 0 },
      { outcome: "uitstroom_12m", better: "higher", weight: 0 },
      { outcome: "wmo_12m", better: "lower", weight: 0 },
      { outcome: "schulden_12m", better: "lower", weight: 0 },
    ]);
    for (const arm of result.arms) {
      expect(arm.secondary?.map((s) => s.outcome)).toEqual(["uren_per_week", "uitstroom_12m", "wmo_12m", "schulden_12m"]);
      for (const s of arm.secondary ?? []) {
        expect(s.lower).toBeLessThanOrEqual(s.expected);
        expect(s.upper).toBeGreaterThanOrEqual(s.expected);
        expect(s.gainLower).toBeLessThanOrEqual(s.gain);
        expect(s.gainUpper).toBeGreaterThanOrEqual(s.gain);
        if (arm.arm === result.control) expect(s.gain).toBe(0);
      }
    }
  });

  it("ranks on work alone by default; a weight on a lower-is-better outcome moves the arm that lowers it up", () => {
    const heads = interceptHeads(bundle.secondary as SecondaryFile);
    const unweighted = recommend({ ...bundle, secondary: heads }, debtsClient(), { explain: false });
    const plain = recommend({ ...bundle, secondary: null }, debtsClient(), { explain: false });
    expect(unweighted.arms.map((a) => a.arm)).toEqual(plain.arms.map((a) => a.arm));
    const debts = recommend({ ...bundle, secondary: heads, catalogue: weighted(bundle.catalogue, 5) }, debtsClient(), { explain: false });
    const counselling = debts.arms.find((a) => a.arm === "schuldhulp");
    expect(counselling?.secondary?.[0]?.gain).toBeLessThan(-0.4);
    expect(debts.secondaryOutcomes?.[0]).toEqual({ outcome: "schulden_12m", better: "lower", weight: 5 });
    // Weighted by 5, the ~45-point drop in debts outweighs any difference in work among arms with enough evidence.
    const firstWithEvidence = debts.arms.find((a) => a.eligible && !a.lowEvidence);
    if (counselling && !counselling.lowEvidence) expect(firstWithEvidence?.arm).toBe("schuldhulp");
    expect(counselling?.rank ?? 99).toBeLessThanOrEqual(unweighted.arms.find((a) => a.arm === "schuldhulp")?.rank ?? 99);
  });

  it("the table's recommendation (predictTable rec) weighs secondary outcomes as the advice does", () => {
    const heads = interceptHeads(bundle.secondary as SecondaryFile);
    const rows = [debtsClient(), { ...clientFrom(fixture.tiny, 1), problematische_schulden: 1 }];
    for (const weight of [0, 5]) {
      const weighted5 = { ...bundle, secondary: heads, catalogue: weighted(bundle.catalogue, weight) };
      const table = predictTable(weighted5, rows);
      rows.forEach((row, i) => {
        expect(table.rec[i]).toBe(recommend(weighted5, row, { explain: false }).arms[0]?.arm);
      });
    }
  });

  it("a bundle without secondary heads gives no secondary figures", () => {
    const result = recommend({ ...bundle, secondary: null }, debtsClient(), { explain: false });
    expect(result.secondaryOutcomes).toBeUndefined();
    expect(result.arms.every((a) => a.secondary === undefined)).toBe(true);
  });
});
