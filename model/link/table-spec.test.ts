import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCatalogue, parseCatalogue } from "../config/municipality.js";
import { ANALYSIS_COLUMNS, reintegrationSchema } from "../reintegration.js";
import { parseDeliveryProfile } from "./profile.js";
import { analysisColumns, linkedSchema, linkTableFor } from "./table-spec.js";

/** The link table: what one run writes, from a configuration and a delivery profile. */
const text = (s: string) => ({ nl: s, en: s });
const config = (features: unknown[]) =>
  parseCatalogue(
    {
      version: 1,
      control: "basis",
      trajectories: [{ key: "basis", name: text("basis") }, { key: "werkfit", name: text("werkfit") }],
      outcomes: { primary: { column: "werk_12m", type: "binary", label: text("werk") } },
      groups: [{ key: "g", label: text("g") }],
      features,
    },
    "test",
  );
const profile = (names: string[]) =>
  parseDeliveryProfile({ features: Object.fromEntries(names.map((n) => [n, { file: "personen", column: n }])) }, "p", { arms: ["basis", "werkfit"] });

describe("linkTableFor", () => {
  it("for the default configuration is the table link always wrote (columns and schema)", () => {
    const table = linkTableFor(defaultCatalogue());
    expect(analysisColumns(table)).toEqual([...ANALYSIS_COLUMNS]);
    expect(linkedSchema(table, { withTruth: true })).toEqual(reintegrationSchema({ withTruth: true }));
    expect(linkedSchema(table, { withTruth: false })).toEqual(reintegrationSchema({ withTruth: false }));
  });

  it("refuses a derived feature declared with another type and an outcome link does not derive", () => {
    expect(() => linkTableFor(config([{ name: "regio", type: "numeric", group: "g", label: text("r") }]))).toThrow(
      /feature "regio" is numeric, link derives it as categorical/,
    );
    const c = config([{ name: "regio", type: "categorical", group: "g", label: text("r") }]);
    expect(() => linkTableFor({ ...c, outcomes: { primary: { column: "baan", type: "binary", label: text("b") }, secondary: [] } })).toThrow(
      /outcome "baan" is not one link derives \(werk_12m, uren_per_week/,
    );
  });

  it("checks an extra numeric value: within range, a decimal point or comma; anything else is an invalid value", () => {
    const table = linkTableFor(config([{ name: "reistijd", type: "numeric", group: "g", label: text("r"), range: [0, 180] }]), profile(["reistijd"]));
    const check = table.extras[0]?.check ?? (() => ({ value: "" }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 18000 }), fc.boolean(), (hundredths, comma) => {
        const written = (hundredths / 100).toFixed(2);
        const result = check(comma ? written.replace(".", ",") : written);
        expect(result).toEqual({ value: String(Number(written)) });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const result = check(s);
        if ("value" in result) expect(result.value === "" || (Number(result.value) >= 0 && Number(result.value) <= 180)).toBe(true);
        else expect(result.reason).toBe("invalid_value");
      }),
    );
    expect(check("181")).toEqual({ reason: "invalid_value" });
    expect(check("1e2")).toEqual({ reason: "invalid_value" });
    expect(check("  ")).toEqual({ value: "" });
  });

  it("checks an extra categorical value against the declared values, and quotes one that needs it", () => {
    const values = [{ value: "auto", label: text("auto") }, { value: "fiets, e-bike", label: text("fiets") }];
    const table = linkTableFor(config([{ name: "vervoer", type: "categorical", group: "g", label: text("v"), values }]), profile(["vervoer"]));
    const check = table.extras[0]?.check ?? (() => ({ value: "" }));
    expect(check("auto")).toEqual({ value: "auto" });
    expect(check("fiets, e-bike")).toEqual({ value: '"fiets, e-bike"' });
    expect(check("boot")).toEqual({ reason: "unknown_code" });
  });
});
