import { beforeAll, describe, expect, it } from "vitest";
import type { ArmAdvice, RecommendationResult } from "../../model/recommendation";
import { RecommendationResultSchema } from "../../model/recommendation";
import { useTestDatabase } from "../setup/test-db";

const arm = (name: string, rank: number, gain: number): ArmAdvice => ({
  arm: name,
  rank,
  eligible: true,
  excludedBy: null,
  expected: 0.3 + gain,
  lower: 0.2,
  upper: 0.5,
  gain,
  // Regular guidance is the comparison: its gain is exactly 0.
  gainLower: name === "regulier" ? 0 : gain - 0.05,
  gainUpper: name === "regulier" ? 0 : gain + 0.05,
  propensity: 0.3,
  comparableClients: 40,
  lowEvidence: false,
  reasons: [],
});
/** jobcoaching and scholing are tied (overlapping intervals); regulier is clearly below them. */
const TIED: RecommendationResult = {
  modelVersion: "test",
  outcomeType: "binary",
  control: "regulier",
  arms: [arm("jobcoaching", 1, 0.1), arm("scholing", 2, 0.09), arm("regulier", 3, 0)],
  whatIfs: [],
};

let db: ReturnType<typeof import("~/utils/db.server")["getDb"]>;
let recommendations: typeof import("~/models/recommendation.server");
let settings: typeof import("~/models/setting.server");
let clientId: string;
let userId: string;

beforeAll(async () => {
  await useTestDatabase();
  db = (await import("~/utils/db.server")).getDb();
  recommendations = await import("~/models/recommendation.server");
  settings = await import("~/models/setting.server");
  userId = (await db.user.create({ data: { username: "m", displayName: "M", role: "manager", passwordHash: "x" } })).id;
  const worker = (await db.user.create({ data: { username: "w", displayName: "W", role: "caseworker", passwordHash: "x" } })).id;
  clientId = (await db.client.create({ data: { referenceHash: "r", code: "TW-1", caseworkerId: worker, profileJson: "{}" } })).id;
});

const stored = (id: string) =>
  db.recommendation.findUniqueOrThrow({ where: { id }, select: { topArm: true, shownFirst: true, shownFirstProbability: true, resultJson: true } });

describe("keep effects measurable (manager setting)", () => {
  it("is off by default: nothing varies, the first arm is stored with probability 1", async () => {
    expect((await settings.getKeepEffectsMeasurable()).on).toBe(false);
    for (let i = 0; i < 8; i++) {
      const shown = await recommendations.recordShownRecommendation({ clientId, result: TIED, variant: "" });
      expect(shown.result.arms.map((a) => a.arm)).toEqual(["jobcoaching", "scholing", "regulier"]);
      const row = await stored(shown.id);
      expect(row).toMatchObject({ topArm: "jobcoaching", shownFirst: "jobcoaching", shownFirstProbability: 1 });
      expect(RecommendationResultSchema.parse(JSON.parse(row.resultJson)).shown?.probabilities).toEqual({ jobcoaching: 1 });
    }
  });

  it("on, with tied gains the first position varies; each stored probability is that arm's, and they sum to 1 across the tied arms", async () => {
    await settings.updateKeepEffectsMeasurable({ on: true, userId });
    expect((await settings.getKeepEffectsMeasurable()).on).toBe(true);
    const firsts = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const shown = await recommendations.recordShownRecommendation({ clientId, result: TIED, variant: "api" });
      const row = await stored(shown.id);
      const first = shown.result.arms.find((a) => a.rank === 1)?.arm;
      firsts.add(row.shownFirst ?? "");
      expect(row.shownFirst).toBe(first);
      expect(row.topArm).toBe(first);
      expect(row.shownFirstProbability).toBeCloseTo(0.5, 12);
      const probabilities = RecommendationResultSchema.parse(JSON.parse(row.resultJson)).shown?.probabilities ?? {};
      expect(Object.keys(probabilities).sort()).toEqual(["jobcoaching", "scholing"]);
      expect(Object.values(probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    }
    expect(firsts).toEqual(new Set(["jobcoaching", "scholing"]));
  });

  it("a what-if never varies, even with the setting on", async () => {
    for (let i = 0; i < 8; i++) {
      const shown = await recommendations.recordShownRecommendation({ clientId, result: TIED, variant: "schulden_opgelost" });
      expect(await stored(shown.id)).toMatchObject({ shownFirst: "jobcoaching", shownFirstProbability: 1 });
    }
    await settings.updateKeepEffectsMeasurable({ on: false, userId });
  });
});
