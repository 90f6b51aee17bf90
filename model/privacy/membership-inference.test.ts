import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { disposeBundle, loadBundle } from "../bundle/bundle.js";
import { createRandom } from "../random.js";
import { attackPoint, attackVerdict, runMembershipInference, summariseAttack } from "./membership-inference.js";

const order = (scores: number[]) => Int32Array.from(scores.map((_, i) => i)).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));

describe("attack metrics", () => {
  it("are exact on hand-checked scores", () => {
    // members 0.9, 0.8, 0.3; non-members 0.7, 0.2, 0.1 → 8 of 9 pairs ordered: AUC 8/9.
    const scores = [0.9, 0.8, 0.3, 0.7, 0.2, 0.1];
    const isMember = [1, 1, 1, 0, 0, 0];
    const p = attackPoint(scores, isMember, order(scores));
    expect(p.auc).toBeCloseTo(8 / 9, 10);
    expect(p.advantage).toBeCloseTo(2 / 3, 10); // threshold 0.8: TPR 2/3, FPR 0
    expect(p.tprAt1Fpr).toBeCloseTo(2 / 3, 10);
  });

  it("count ties as one half and accept weights", () => {
    const scores = [0.5, 0.5, 0.5, 0.5];
    const isMember = [1, 0, 1, 0];
    expect(attackPoint(scores, isMember, order(scores)).auc).toBe(0.5);
    const s2 = [0.9, 0.1, 0.4];
    const m2 = [1, 0, 0];
    const doubled = attackPoint([0.9, 0.9, 0.1, 0.4], [1, 1, 0, 0], order([0.9, 0.9, 0.1, 0.4]));
    expect(attackPoint(s2, m2, order(s2), [2, 1, 1])).toEqual(doubled);
  });

  it("random scores give AUC ≈ 0.5 and pass", () => {
    const random = createRandom(5);
    const members = Float64Array.from({ length: 2000 }, () => random());
    const nonMembers = Float64Array.from({ length: 2000 }, () => random());
    const s = summariseAttack({ memberScores: members, nonMemberScores: nonMembers, repeats: 10, replicates: 50, seed: 3 });
    expect(s.perSide).toBe(2000);
    expect(Math.abs(s.auc.value - 0.5)).toBeLessThan(0.03);
    expect(s.auc.lower95).toBeLessThan(s.auc.value);
    expect(s.auc.upper95).toBeGreaterThan(s.auc.value);
    expect(s.advantage.value).toBeLessThan(0.05);
    expect(s.chanceAdvantage).toBeLessThan(0.05);
    expect(attackVerdict("loss", s).passed).toBe(true);
  });

  it("perfectly separated scores fail", () => {
    const random = createRandom(6);
    const members = Float64Array.from({ length: 500 }, () => 1 + random());
    const nonMembers = Float64Array.from({ length: 800 }, () => random());
    const s = summariseAttack({ memberScores: members, nonMemberScores: nonMembers, repeats: 5, replicates: 20, seed: 1 });
    expect(s.perSide).toBe(500);
    expect(s.auc.value).toBe(1);
    expect(s.advantage.value).toBe(1);
    expect(s.tprAt1Fpr.value).toBe(1);
    const verdict = attackVerdict("confidence", s);
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toHaveLength(2);
  });

  it("a small shift fails on the advantage alone when the AUC interval is wide", () => {
    const s = {
      perSide: 100,
      auc: { value: 0.52, lower95: 0.48, upper95: 0.6 },
      advantage: { value: 0.08, lower95: 0.03, upper95: 0.12 },
      tprAt1Fpr: { value: 0.01, lower95: 0, upper95: 0.03 },
      chanceAdvantage: 0.07,
    };
    expect(attackVerdict("loss", s).reasons).toEqual([expect.stringMatching(/advantage 0\.080 exceeds 0\.05/)]);
  });

  it("is deterministic for a seed", () => {
    const random = createRandom(9);
    const a = Float64Array.from({ length: 300 }, () => random());
    const b = Float64Array.from({ length: 400 }, () => random());
    const one = summariseAttack({ memberScores: a, nonMemberScores: b, repeats: 4, replicates: 20, seed: 2 });
    const two = summariseAttack({ memberScores: a, nonMemberScores: b, repeats: 4, replicates: 20, seed: 2 });
    expect(one).toEqual(two);
  });
});

describe("runMembershipInference on a bundle", () => {
  let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
  beforeAll(async () => {
    fixture = await makeTinyBundle({ n: 700, seed: 41 });
  });
  afterAll(async () => {
    await rm(fixture.root, { recursive: true, force: true });
  });

  it("reports both attacks overall and per group of at least 10", async () => {
    const bundle = await loadBundle(fixture.dir);
    try {
      const rows = fixture.tiny.rows;
      const progress: string[] = [];
      const result = runMembershipInference({
        bundle,
        members: rows.slice(0, 500),
        nonMembers: rows.slice(500),
        repeats: 3,
        replicates: 20,
        onProgress: (p) => progress.push(p.phase),
      });
      expect(result.members).toBe(500);
      expect(result.nonMembers).toBe(200);
      expect(result.attacks.map((a) => a.name)).toEqual(["loss", "confidence"]);
      expect(result.groupColumns).toEqual(expect.arrayContaining(["herkomst", "geslacht"]));
      for (const a of result.attacks) {
        expect(a.overall.perSide).toBe(200);
        expect(a.overall.auc.value).toBeGreaterThan(0);
        expect(a.overall.auc.value).toBeLessThan(1);
        expect(a.groups.length).toBeGreaterThan(0);
        for (const g of a.groups) expect(g.perSide).toBeGreaterThanOrEqual(10);
        expect(Array.isArray(a.groupWarnings)).toBe(true);
      }
      expect(progress).toContain("predict");
      expect(progress).toContain("attack");
    } finally {
      disposeBundle(bundle);
    }
  });
});
