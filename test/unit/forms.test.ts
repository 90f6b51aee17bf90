import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecisionFormSchema, formErrors, outcomeFormSchemaFor } from "~/utils/forms/decision-form";
import { IntakeSchema, intakeErrors, readIntakeForm } from "~/utils/forms/intake-form";
import { safeRedirect } from "~/utils/auth/safe-redirect";
import { applyWhatIfs } from "~/utils/forms/what-ifs";
import { REINTEGRATION_FEATURES } from "../../model/reintegration";

const FIELDS = ["reference", ...REINTEGRATION_FEATURES.map((f) => f.name)];

function formOf(entries: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(entries)) form.set(k, v);
  return form;
}

const VALID = {
  reference: "GEM-2026-0042",
  leeftijdsklasse: "45-54",
  regio: "zuid",
  huishouden: "alleenstaande_ouder",
  aantal_kinderen: "2",
  jongste_kind_0_4: "1",
  opleiding: "vmbo_mbo1",
  taaleis_voldaan: "1",
  maanden_sinds_werk: "30",
  maanden_gewerkt_5j: "12",
  uitkeringsduur_maanden: "26",
  eerdere_uitkeringen: "1",
  wmo_ondersteuning: "begeleiding",
  problematische_schulden: "1",
  nooit_gewerkt: "0",
  med_antidepressiva: "0",
  med_psycholeptica: "0",
  med_diabetes: "0",
  med_luchtwegen: "0",
  med_hart_vaat: "0",
  schuldhulp_eerder: "0",
};

describe("intake form", () => {
  it("reads a valid form into the model's profile, yes/no answers as 1/0", () => {
    const parsed = IntakeSchema.parse(readIntakeForm(formOf(VALID)));
    expect(parsed).toMatchObject({ aantal_kinderen: 2, jongste_kind_0_4: 1, med_diabetes: 0, problematische_schulden: 1, nooit_gewerkt: 0 });
  });

  it("invents nothing: an unanswered yes/no question or an empty number is an error, never 0", () => {
    const { med_diabetes: _, ...withoutAnswer } = VALID;
    const parsed = IntakeSchema.safeParse(readIntakeForm(formOf({ ...withoutAnswer, eerdere_uitkeringen: "" })));
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(intakeErrors(parsed.error.issues, "nl")).toEqual({ med_diabetes: "Kies ja, nee of onbekend.", eerdere_uitkeringen: "Vul een heel getal in van 0 tot en met 50." });
    }
  });

  it("takes 'unknown' (an empty answer) as a fact of its own: kept as null for the model to impute, never as 0", () => {
    const parsed = IntakeSchema.parse(readIntakeForm(formOf({ ...VALID, med_diabetes: "", opleiding: "", taaleis_voldaan: "" })));
    expect(parsed).toMatchObject({ med_diabetes: null, opleiding: null, taaleis_voldaan: null, problematische_schulden: 1 });
    // A fact the configuration does not allow to be unknown still needs an answer.
    expect(IntakeSchema.safeParse(readIntakeForm(formOf({ ...VALID, regio: "" }))).success).toBe(false);
  });

  it("explains a contradiction at the field that causes it, in Dutch", () => {
    const parsed = IntakeSchema.safeParse(readIntakeForm(formOf({ ...VALID, aantal_kinderen: "0" })));
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(intakeErrors(parsed.error.issues, "nl")).toEqual({ jongste_kind_0_4: "Er zijn geen kinderen opgegeven." });
  });

  it("names each bad field with a message and never throws, whatever is posted", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS, "x"), fc.string({ maxLength: 30 })), (entries) => {
        const parsed = IntakeSchema.safeParse(readIntakeForm(formOf(entries)));
        if (parsed.success) return;
        const errors = intakeErrors(parsed.error.issues, "nl");
        expect(Object.keys(errors).length).toBeGreaterThan(0);
        for (const [field, message] of Object.entries(errors)) {
          expect([...FIELDS, "form"]).toContain(field);
          expect(message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("decision form", () => {
  const base = { intent: "decision", version: "0", recommendationId: "r1", topArm: "jobcoaching" };
  it("needs a reason and an explanation only when deviating from the advice", () => {
    expect(DecisionFormSchema.safeParse({ ...base, chosenArm: "jobcoaching" }).success).toBe(true);
    const deviating = DecisionFormSchema.safeParse({ ...base, chosenArm: "scholing" });
    expect(deviating.success).toBe(false);
    if (!deviating.success) expect(Object.keys(formErrors(deviating.error.issues, "nl")).sort()).toEqual(["reasonCode", "reasonText"]);
    expect(DecisionFormSchema.safeParse({ ...base, chosenArm: "scholing", reasonCode: "not_available", reasonText: "wachtlijst van 6 maanden" }).success).toBe(true);
  });
  it("refuses an arm that is not in the catalogue", () => {
    expect(DecisionFormSchema.safeParse({ ...base, chosenArm: "sanctie" }).success).toBe(false);
  });
});

describe("outcome form", () => {
  const base = { intent: "outcome", version: "3", leftBenefits: "no", wmoAfter: "no", debtsAfter: "no" };
  const OutcomeFormSchema = outcomeFormSchemaFor({ decidedOn: "2026-10-01", today: "2026-11-29" });
  it("needs a start date and hours when work was found", () => {
    const bad = OutcomeFormSchema.safeParse({ ...base, work: "yes", workStart: "31-12-2026", hoursPerWeek: "90" });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(Object.keys(formErrors(bad.error.issues, "nl")).sort()).toEqual(["hoursPerWeek", "workStart"]);
    const good = OutcomeFormSchema.parse({ ...base, work: "yes", workStart: "2026-11-02", hoursPerWeek: "24" });
    expect(good).toMatchObject({ work: true, hoursPerWeek: 24, version: 3 });
    expect(OutcomeFormSchema.parse({ ...base, work: "no" })).toMatchObject({ work: false, workStart: null, hoursPerWeek: null });
  });
  it("has no default for 'found paid work': an unanswered question is a field error", () => {
    const { leftBenefits: _unanswered, ...rest } = base;
    const parsed = OutcomeFormSchema.safeParse(rest);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(formErrors(parsed.error.issues, "nl")).toEqual({ work: "Kies ja of nee.", leftBenefits: "Kies ja of nee." });
  });
  it("refuses a start date before the decision or in the future, saying which, and takes both ends", () => {
    const at = (workStart: string) => OutcomeFormSchema.safeParse({ ...base, work: "yes", workStart, hoursPerWeek: "24" });
    const before = at("2026-09-30");
    expect(before.success).toBe(false);
    if (!before.success) expect(formErrors(before.error.issues, "nl").workStart).toBe("De startdatum ligt vóór het besluit (01-10-2026). Vul een datum in vanaf het besluit.");
    const future = at("2026-11-30");
    expect(future.success).toBe(false);
    if (!future.success) expect(formErrors(future.error.issues, "en").workStart).toMatch(/in the future/);
    expect(at("2026-02-30").success).toBe(false);
    expect(at("2026-10-01").success).toBe(true);
    expect(at("2026-11-29").success).toBe(true);
  });
});

describe("safeRedirect", () => {
  it("keeps same-site paths and drops everything else", () => {
    expect(safeRedirect("/clients?page=2", "/")).toBe("/clients?page=2");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeRedirect(bad, "/home")).toBe("/home");
    }
  });
});

describe("what-ifs", () => {
  it("applies only facts that can change for this client and ignores forged keys", () => {
    const profile = IntakeSchema.parse(readIntakeForm(formOf(VALID)));
    const { profile: changed, active } = applyWhatIfs(profile, ["schulden_opgelost", "taaleis_voldaan", "drop table"]);
    expect(active).toEqual(["schulden_opgelost"]);
    expect(changed.problematische_schulden).toBe(0);
    expect(applyWhatIfs(profile, ["opleiding_afgerond"]).profile.opleiding).toBe("mbo2_4");
  });
});
