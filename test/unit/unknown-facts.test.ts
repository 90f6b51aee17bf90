import { describe, expect, it } from "vitest";
import { defaultCatalogue } from "../../model/config/municipality";
import type { ArmAdvice, RecommendationResult } from "../../model/recommendation";
import { formatCount, formatDate, formatNumber, formatPercent, formatPoints } from "~/utils/i18n";
import { formatProfileValue } from "~/utils/forms/profile-labels";
import { possibleAnswers, unknownFactImpact, unknownFacts, unknownFactVariants } from "~/utils/forms/unknown-facts";
import { PROFILE } from "../fixtures/client-profile";

const catalogue = defaultCatalogue();

/** A result with the given chances per arm; rank by the order given. */
function result(chances: Record<string, number>): RecommendationResult {
  const arms = Object.entries(chances).map(
    ([arm, expected], i): ArmAdvice => ({
      arm,
      rank: i + 1,
      eligible: true,
      excludedBy: null,
      expected,
      lower: expected - 0.1,
      upper: expected + 0.1,
      gain: 0,
      gainLower: 0,
      gainUpper: 0,
      propensity: 0.2,
      comparableClients: 50,
      lowEvidence: false,
      reasons: [],
    }),
  );
  return { modelVersion: "m", outcomeType: "binary", control: "regulier", arms, whatIfs: [] };
}

describe("unknown facts", () => {
  const profile = { ...PROFILE, taaleis_voldaan: null, opleiding: null } as Record<string, string | number | null>;

  it("are the facts recorded as unknown where the catalogue allows it, tried with every possible answer", () => {
    expect(unknownFacts(catalogue, profile)).toEqual(["opleiding", "taaleis_voldaan"]);
    const taal = catalogue.features.find((f) => f.name === "taaleis_voldaan");
    const opleiding = catalogue.features.find((f) => f.name === "opleiding");
    if (!taal || !opleiding) throw new Error("catalogue changed");
    expect(possibleAnswers(taal)).toEqual([0, 1]);
    expect(possibleAnswers(opleiding)).toEqual(opleiding.values?.map((v) => v.value));
    const variants = unknownFactVariants(catalogue, profile);
    expect(variants).toHaveLength((opleiding.values?.length ?? 0) + 2);
    // Each variant answers one fact and keeps every other one as recorded (the other unknown stays unknown).
    const taalYes = variants.find((v) => v.feature === "taaleis_voldaan" && v.value === 1);
    expect(taalYes?.profile).toEqual({ ...profile, taaleis_voldaan: 1 });
    expect(unknownFactVariants(catalogue, profile, 3)).toHaveLength(3);
  });

  it("matter by how far the advised trajectory's chance moves over the answers; a changed first advice is said", () => {
    const base = result({ jobcoaching: 0.4, regulier: 0.3 });
    const impacts = unknownFactImpact(base, [
      { feature: "taaleis_voldaan", result: result({ jobcoaching: 0.35, regulier: 0.3 }) },
      { feature: "taaleis_voldaan", result: result({ jobcoaching: 0.5, regulier: 0.3 }) },
      { feature: "opleiding", result: result({ regulier: 0.45, jobcoaching: 0.38 }) },
      { feature: "opleiding", result: result({ jobcoaching: 0.42, regulier: 0.3 }) },
    ]);
    expect(impacts.map((i) => i.feature)).toEqual(["taaleis_voldaan", "opleiding"]);
    expect(impacts[0]).toMatchObject({ low: 0.35, high: 0.5, adviceChanges: false });
    expect(impacts[1]).toMatchObject({ low: 0.38, high: 0.42, adviceChanges: true });
  });
});

describe("one formatting path per language", () => {
  it("writes numbers, percentages, points and dates the Dutch or the English way", () => {
    expect(formatPercent(0.701, "nl", 1)).toBe("70,1%");
    expect(formatPercent(0.701, "en", 1)).toBe("70.1%");
    expect(formatPercent(0.691, "nl")).toBe("69%");
    expect(formatNumber(0.691, "nl", 3)).toBe("0,691");
    expect(formatPoints(0.04, "nl")).toBe("+4 procentpunt");
    expect(formatPoints(-0.104, "en")).toBe("−10 percentage points");
    expect(formatPoints(0.001, "en", { unit: false })).toBe("±0");
    expect(formatDate("2026-03-05", "nl")).toBe("05-03-2026");
    expect(formatDate("2026-03-05", "en")).toBe("05/03/2026");
    // A moment late in the UTC evening is the next day in the municipality.
    expect(formatDate(new Date("2026-06-30T23:30:00Z"), "nl")).toBe("01-07-2026");
    expect(formatCount(1, "nl", { one: "1 cliënt", many: "{n} cliënten" })).toBe("1 cliënt");
    expect(formatCount(2, "nl", { one: "1 cliënt", many: "{n} cliënten" })).toBe("2 cliënten");
  });

  it("shows profile values in words, in the page's language: never 0/1 or a code", () => {
    expect(formatProfileValue(1, "nl", "taaleis_voldaan", catalogue)).toBe("ja");
    expect(formatProfileValue(0, "en", "med_diabetes", catalogue)).toBe("no");
    expect(formatProfileValue("vmbo_mbo1", "en", "opleiding", catalogue)).not.toMatch(/_/);
    expect(formatProfileValue("randstad", "nl", "regio", catalogue)).toBe("Randstad");
    expect(formatProfileValue(null, "en", "opleiding", catalogue)).toBe("unknown");
  });
});
