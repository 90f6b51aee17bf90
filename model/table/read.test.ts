import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeTinyTable } from "../../test/fixtures/tiny-table.js";
import { SchemaError } from "../errors.js";
import { parseSchema, parseTableCsv, type Table, toNumber, validateTable } from "./read.js";

const tiny = makeTinyTable({ n: 400, seed: 2 });
const table = (): Table => parseTableCsv(tiny.csv, "t.csv");
const expectSchemaError = (fn: () => unknown, pattern: RegExp) => {
  expect(fn).toThrow(SchemaError);
  expect(fn).toThrow(pattern);
};

describe("validateTable", () => {
  it("accepts a valid training table", () => {
    expect(() => validateTable(tiny.schema, table(), { use: "train", where: "t.csv" })).not.toThrow();
  });

  it("names a missing column", () => {
    const t = table();
    t.columns = t.columns.filter((c) => c !== "opleiding");
    expectSchemaError(() => validateTable(tiny.schema, t, { use: "train", where: "t.csv" }), /t\.csv: missing column "opleiding"/);
  });

  it("names an arm the schema does not list, with its line", () => {
    const t = table();
    const row = t.rows[4];
    if (row) row.interventie = "ruimtevaart";
    expectSchemaError(() => validateTable(tiny.schema, t, { use: "train", where: "t.csv" }), /t\.csv line 6: interventie = "ruimtevaart" is not an arm/);
  });

  it("refuses an arm with fewer than 30 rows", () => {
    const t = table();
    let kept = 0;
    t.rows = t.rows.filter((r) => r.interventie !== "taaltraject" || kept++ < 12);
    expectSchemaError(() => validateTable(tiny.schema, t, { use: "train" }), /arm "taaltraject" has 12 rows; at least 30/);
  });

  it("refuses a non-0/1 binary outcome", () => {
    const t = table();
    const row = t.rows[9];
    if (row) row.werk_12m = "2";
    expectSchemaError(() => validateTable(tiny.schema, t, { use: "train", where: "t.csv" }), /t\.csv line 11: werk_12m = "2" is not 0 or 1/);
  });

  it("refuses an empty table (header only, or nothing)", () => {
    const header = tiny.csv.split("\n")[0] ?? "";
    expectSchemaError(() => validateTable(tiny.schema, parseTableCsv(`${header}\n`, "e.csv"), { use: "train", where: "e.csv" }), /e\.csv: the table is empty/);
    expectSchemaError(() => parseTableCsv("", "e.csv"), /e\.csv: the table is empty/);
  });

  it("needs only features (and id) to predict", () => {
    const t = table();
    t.columns = t.columns.filter((c) => c !== "werk_12m" && c !== "interventie");
    expect(() => validateTable(tiny.schema, t, { use: "predict" })).not.toThrow();
  });
});

describe("parseSchema", () => {
  it("names the failing path of an invalid schema", () => {
    expectSchemaError(() => parseSchema({ ...tiny.schema, outcome: { column: "y", type: "count" } }, "s.json"), /s\.json: invalid schema at outcome\.type/);
    expectSchemaError(
      () => parseSchema({ ...tiny.schema, treatment: { ...tiny.schema.treatment, control: "niets" } }, "s.json"),
      /treatment\.control/,
    );
    expectSchemaError(
      () => parseSchema({ ...tiny.schema, features: [...tiny.schema.features, { name: "mu_regulier", type: "numeric" }] }, "s.json"),
      /truth column and cannot be a feature/,
    );
  });
});

describe("toNumber", () => {
  it("reads numbers, treats blanks as missing and never throws", () => {
    expect(toNumber("3.5")).toBe(3.5);
    expect(toNumber("")).toBeNull();
    expect(toNumber(null)).toBeNull();
    expect(Number.isNaN(toNumber("abc"))).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.constant(null)), (v) => {
        const n = toNumber(v);
        return n === null || typeof n === "number";
      }),
    );
  });
});

describe("parseTableCsv", () => {
  it("parses any well-formed CSV of simple cells into rows keyed by the header", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.stringMatching(/^[a-z0-9]{1,5}$/), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        (records) => {
          const csv = ["a,b,c", ...records.map((r) => r.join(","))].join("\n");
          const t = parseTableCsv(csv);
          return t.rows.length === records.length && t.rows.every((row, i) => row.b === records[i]?.[1]);
        },
      ),
    );
  });
});
