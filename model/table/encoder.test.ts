import { describe, expect, it } from "vitest";
import { SchemaError } from "../errors.js";
import type { TableSchema } from "../table-schema.js";
import { encodeRows, fitEncoder, UNKNOWN_LEVEL, validateClient } from "./encoder.js";

const schema: TableSchema = {
  name: "t",
  treatment: { column: "t", arms: ["a", "b"], control: "a" },
  outcome: { column: "y", type: "binary" },
  features: [
    { name: "age", type: "numeric", group: "leeftijd" },
    { name: "debt", type: "binary", group: "schulden" },
    { name: "region", type: "categorical" },
  ],
};
const rows = [
  ...Array.from({ length: 10 }, (_, i) => ({ age: 20 + i, debt: i % 2, region: "noord" })),
  ...Array.from({ length: 10 }, (_, i) => ({ age: 40 + i, debt: 0, region: "zuid" })),
  { age: "", debt: 1, region: "oost" }, // rare level, missing number
];

describe("fitEncoder / encodeRows", () => {
  const encoder = fitEncoder(schema, rows);

  it("learns levels (rare ones folded into unknown), means and scales", () => {
    const region = encoder.features.find((f) => f.name === "region");
    expect(region?.type === "categorical" && region.levels).toEqual(["noord", "zuid", UNKNOWN_LEVEL]);
    const age = encoder.features.find((f) => f.name === "age");
    expect(age?.type === "numeric" && age.mean).toBeCloseTo(34.5, 6);
    expect(encoder.width).toBe(2 + 2 + 3);
    expect(encoder.columnNames).toContain("age_ontbreekt");
    expect(encoder.baseline).toHaveLength(encoder.width);
  });

  it("imputes and flags a missing number, maps unseen categories to unknown", () => {
    const x = encodeRows(encoder, [{ age: null, debt: "", region: "mars" }]);
    const col = (name: string) => encoder.columnNames.indexOf(name);
    expect(x[col("age")]).toBe(0); // standardised mean
    expect(x[col("age_ontbreekt")]).toBe(1);
    expect(x[col("debt_ontbreekt")]).toBe(1);
    expect(x[col(`region=${UNKNOWN_LEVEL}`)]).toBe(1);
    expect(x[col("region=noord")]).toBe(0);
  });

  it("standardises numbers", () => {
    const x = encodeRows(encoder, [{ age: 34.5, debt: 1, region: "zuid" }]);
    expect(x[encoder.columnNames.indexOf("age")]).toBeCloseTo(0, 6);
    expect(x[encoder.columnNames.indexOf("debt")]).toBe(1);
  });
});

describe("validateClient", () => {
  it("names a missing feature, a non-number and a non-0/1 flag", () => {
    expect(() => validateClient(schema, { debt: 0, region: "noord" })).toThrow(SchemaError);
    expect(() => validateClient(schema, { debt: 0, region: "noord" })).toThrow(/missing feature "age"/);
    expect(() => validateClient(schema, { age: "oud", debt: 0, region: "noord" })).toThrow(/"age" = "oud" is not a number/);
    expect(() => validateClient(schema, { age: 30, debt: 2, region: "noord" })).toThrow(/"debt" = 2 must be 0 or 1/);
  });
  it("accepts null for a missing number and unseen categories", () => {
    expect(validateClient(schema, { age: null, debt: 1, region: "mars", extra: "ignored" })).toEqual({ age: null, debt: 1, region: "mars" });
  });
});
