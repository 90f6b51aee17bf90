import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closestColumn, editDistance, matchColumns } from "./columns.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("bsn", "bsn")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("startdatum", "start_datum")).toBe(1);
  });

  it("is a metric", () => {
    const s = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe("closestColumn", () => {
  it("ignores case and surrounding spaces, and takes the first on a tie", () => {
    expect(closestColumn("geboortedatum", ["BSN", " Geboorte_Datum ", "Geslacht"])).toBe("Geboorte_Datum");
    expect(closestColumn("ab", ["ax", "xb"])).toBe("ax");
    expect(closestColumn("bsn", [])).toBeNull();
  });
});

describe("matchColumns", () => {
  it("finds our columns in any order and case, and lists the others", () => {
    const m = matchColumns({ file: "personen.csv", header: ["Postcode", "naam", "BSN", "geboortedatum"], names: ["bsn", "geboortedatum", "postcode"], ours: ["bsn", "geboortedatum", "postcode"] });
    expect(m).toEqual({ order: [2, 3, 0], unknown: ["naam"] });
  });

  it("fails in one line naming the file, each missing column and the closest column present", () => {
    const run = () =>
      matchColumns({
        file: "Clienten.csv",
        header: ["BSN", "Geb. datum", "Geslacht", "Woonplaats"],
        names: ["BSN", "Geboortedatum", "Geslacht", "Postcode"],
        ours: ["bsn", "geboortedatum", "geslacht", "postcode"],
      });
    expect(run).toThrow(
      'Clienten.csv: missing columns "Geboortedatum" (our geboortedatum) (closest present: "Geb. datum"), "Postcode" (our postcode) (closest present: "Woonplaats")',
    );
    expect(() => matchColumns({ file: "wmo.csv", header: ["bsn"], names: ["bsn", "voorziening"], ours: ["bsn", "voorziening"] })).toThrow(
      'wmo.csv: missing column "voorziening" (closest present: "bsn")',
    );
  });

  it("never echoes a first line without any known column: it may be data", () => {
    const run = () => matchColumns({ file: "personen.csv", header: ["123456782", "Zoë de Vries", "15-06-1990"], names: ["bsn", "geboortedatum"], ours: ["bsn", "geboortedatum"] });
    expect(run).toThrow('personen.csv: none of the columns "bsn", "geboortedatum" is in the first line (3 columns); a file without a header row');
    expect(run).not.toThrow(/123456782|Zoë|1990/);
  });
});
