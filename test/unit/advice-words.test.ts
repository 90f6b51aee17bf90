import { describe, expect, it } from "vitest";
import { defaultCatalogue } from "../../model/config/municipality";
import type { ArmAdvice, RecommendationResult } from "../../model/recommendation";
import { fmt } from "~/components/model-ui";
import { adviceVerdict, excludedRule, lowEvidenceExplanation, movedByWhatIf } from "~/components/ranking-table";

/**
 * The words of the case worker's advice page that the browser tests cannot reach reliably (they depend
 * on what the demo model predicts for a client): the verdict on the first trajectory, the reason for a
 * low-evidence badge, a rule in plain words, what a what-if moved, and metrics in the page's language.
 */
const catalogue = defaultCatalogue();

function arm(key: string, fields: Partial<ArmAdvice> = {}): ArmAdvice {
  return {
    arm: key,
    rank: 1,
    eligible: true,
    excludedBy: null,
    expected: 0.3,
    lower: 0.2,
    upper: 0.4,
    gain: 0,
    gainLower: 0,
    gainUpper: 0,
    propensity: 0.3,
    comparableClients: 100,
    lowEvidence: false,
    reasons: [],
    ...fields,
  };
}

function result(arms: ArmAdvice[], advise?: boolean): RecommendationResult {
  return { modelVersion: "m", outcomeType: "binary", control: "regulier", arms, whatIfs: [], ...(advise === undefined ? {} : { advise }) };
}

describe("the advice verdict", () => {
  it("says in plain words when the first trajectory is not clearly better than regular guidance", () => {
    const advice = result([
      arm("jobcoaching", { gain: 0.04, gainLower: -0.1, gainUpper: 0.19 }),
      arm("regulier", { rank: 2 }),
    ]);
    expect(adviceVerdict(advice, "nl", catalogue)).toEqual({
      text: "Het eerste advies (Jobcoaching / intensieve bemiddeling) is niet duidelijk beter dan reguliere begeleiding: de winst van +4 procentpunt is onzeker en kan ook nul of negatief zijn (80%-interval −10 procentpunt tot +19 procentpunt).",
      unclear: true,
      information: false,
    });
    const english = adviceVerdict(advice, "en", catalogue)?.text ?? "";
    expect(english).toMatch(/^The first advice \(Job coaching[^)]*\) is not clearly better than regular guidance/);
    expect(english).toContain("−10 percentage points");
    // An interval that only touches zero is not clearly better either.
    expect(adviceVerdict(result([arm("scholing", { gain: 0.05, gainLower: 0, gainUpper: 0.1 })]), "nl", catalogue)?.unclear).toBe(true);
  });

  it("says so when it is clearly better, when regular guidance comes first, and when the ranking is information only", () => {
    const clear = adviceVerdict(result([arm("jobcoaching", { gain: 0.08, gainLower: 0.02, gainUpper: 0.14 })]), "nl", catalogue);
    expect(clear).toMatchObject({ unclear: false, information: false });
    expect(clear?.text).toBe(
      "Het eerste advies (Jobcoaching / intensieve bemiddeling) is naar verwachting beter dan reguliere begeleiding: ook de ondergrens van het 80%-interval (+2 procentpunt) ligt boven nul.",
    );
    expect(adviceVerdict(result([arm("regulier"), arm("jobcoaching", { rank: 2, gainLower: -0.2 })]), "nl", catalogue)).toMatchObject({
      text: expect.stringMatching(/^Reguliere begeleiding staat bovenaan/),
      unclear: false,
    });
    expect(adviceVerdict(result([arm("jobcoaching", { gainLower: 0.02 })], false), "nl", catalogue)).toMatchObject({
      text: expect.stringMatching(/^Ter informatie, geen advies/),
      information: true,
    });
    expect(adviceVerdict(result([arm("taaltraject", { rank: null, eligible: false })]), "nl", catalogue)).toBeNull();
  });
});

describe("the low-evidence badge", () => {
  it("explains itself: fewer than 10 comparable clients, or clients like this one rarely got the trajectory", () => {
    const few = arm("loonkostensubsidie", { comparableClients: null, lowEvidence: true });
    expect(lowEvidenceExplanation(few, "nl")).toMatch(/^Minder dan 10 vergelijkbare cliënten kregen dit traject/);
    expect(lowEvidenceExplanation(few, "en")).toMatch(/^Fewer than 10 comparable clients got this trajectory/);
    // 100 comparable clients and still little evidence: the share says why (one decimal below 10%).
    const rare = arm("loonkostensubsidie", { comparableClients: 100, propensity: 0.042, lowEvidence: true });
    expect(lowEvidenceExplanation(rare, "nl")).toMatch(/^Cliënten zoals deze kregen dit traject zelden \(naar schatting 4,2%\)/);
    expect(lowEvidenceExplanation(rare, "en")).toContain("(an estimated 4.2%)");
    expect(lowEvidenceExplanation({ ...rare, propensity: 0.12 }, "nl")).toContain("(naar schatting 12%)");
  });
});

describe("a trajectory that does not apply", () => {
  it("shows its rule in the catalogue's plain words, in either language, never a variable name", () => {
    const excluded = arm("taaltraject", { rank: null, eligible: false, excludedBy: "Taaltraject alleen als de cliënt nog niet aan de taaleis voldoet." });
    expect(excludedRule(excluded, "nl", catalogue)).toBe("Taaltraject alleen als de cliënt nog niet aan de taaleis voldoet.");
    expect(excludedRule(excluded, "en", catalogue)).toBe("Language course only when the client does not yet meet the language requirement.");
    const ruled = catalogue.trajectories.filter((t) => t.eligibility);
    expect(ruled.length).toBeGreaterThan(0);
    for (const t of ruled) {
      for (const lang of ["nl", "en"] as const) expect(excludedRule(arm(t.key, { eligible: false, rank: null }), lang, catalogue), `${t.key} ${lang}`).not.toMatch(/[_=<>]/);
    }
  });
});

describe("what a what-if moved", () => {
  it("marks a row whose chance, rank or eligibility changed; nothing without a what-if, nor a row that shows no chance", () => {
    const before = arm("scholing", { expected: 0.3, rank: 2 });
    expect(movedByWhatIf(before, null)).toBe(false);
    expect(movedByWhatIf(before, before)).toBe(false);
    expect(movedByWhatIf({ ...before, expected: 0.302 }, before)).toBe(false);
    expect(movedByWhatIf({ ...before, expected: 0.36 }, before)).toBe(true);
    expect(movedByWhatIf({ ...before, rank: 1 }, before)).toBe(true);
    expect(movedByWhatIf({ ...before, rank: null, eligible: false }, before)).toBe(true);
    const excluded = arm("schuldhulp", { rank: null, eligible: false, expected: 0.2 });
    expect(movedByWhatIf({ ...excluded, expected: 0.3 }, excluded)).toBe(false);
  });
});

describe("registry metrics", () => {
  it("are written the Dutch or the English way (one formatting path), a missing one as a dash", () => {
    expect(fmt(0.691, "nl")).toBe("0,691");
    expect(fmt(0.691, "en")).toBe("0.691");
    expect(fmt(0.12345, "nl", 4)).toBe("0,1235");
    expect(fmt(null, "nl")).toBe("–");
    expect(fmt(Number.NaN, "en")).toBe("–");
  });
});
