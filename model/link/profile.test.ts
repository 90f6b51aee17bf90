import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SchemaError } from "../errors.js";
import { codeMap, DeliveryProfileSchema, loadDeliveryProfile, PROFILE_FILES, parseDeliveryProfile } from "./profile.js";

/** The example of DESIGN.md, "Delivery profile". */
const EXAMPLE = {
  files: {
    personen: {
      path: "Clienten.csv",
      columns: { bsn: "BSN", geboortedatum: "Geboortedatum" },
      delimiter: ";",
      encoding: "windows-1252",
      dateFormat: "dd-mm-yyyy",
    },
  },
  codes: { interventie: { JC01: "jobcoaching" } },
};

describe("DeliveryProfileSchema", () => {
  it("reads the documented example, and an empty profile (every key is optional)", () => {
    expect(parseDeliveryProfile(EXAMPLE)).toEqual(EXAMPLE);
    expect(parseDeliveryProfile({})).toEqual({});
    expect(parseDeliveryProfile({ files: { wmo: {} } })).toEqual({ files: { wmo: {} } });
  });

  it("accepts Dutch spellings and aliases and reads them as ours", () => {
    const p = parseDeliveryProfile({ files: { trajecten: { delimiter: "tab", encoding: "CP1252", dateFormat: "d-m-jjjj" } } });
    expect(p.files?.trajecten).toEqual({ delimiter: "\t", encoding: "windows-1252", dateFormat: "d-m-yyyy" });
  });

  it.each([
    [{ files: { persons: {} } }, /^profile: files\.persons: not one of our files \(personen, /],
    [{ files: { personen: { delimeter: ";" } } }, /^profile: files\.personen: Unrecognized key: "delimeter"$/],
    [{ files: { personen: { delimiter: "/" } } }, /^profile: files\.personen\.delimiter: expected one of/],
    [{ files: { personen: { encoding: "latin-9" } } }, /^profile: files\.personen\.encoding: expected utf-8 or windows-1252$/],
    [{ files: { personen: { dateFormat: "mm/dd/yyyy" } } }, /^profile: files\.personen\.dateFormat: expected one of yyyy-mm-dd, /],
    [{ files: { personen: { path: "../elders/Clienten.csv" } } }, /^profile: files\.personen\.path: a file name inside the delivery folder/],
    [{ files: { personen: { columns: { naam: "Naam" } } } }, /^profile: files\.personen\.columns\.naam: not a column of personen/],
    [{ files: { personen: { columns: { bsn: "" } } } }, /^profile: files\.personen\.columns\.bsn: a column name is required$/],
    [{ codes: { bsn: { a: "b" } } }, /^profile: codes\.bsn: not a coded column/],
    [{ codes: { interventie: { JC01: "coaching" } } }, /^profile: codes\.interventie\.JC01: "coaching" is not one of our codes/],
    [{ kolommen: {} }, /^profile: \(top level\): Unrecognized key: "kolommen"$/],
  ])("names the problem and where: %j", (value, message) => {
    expect(() => parseDeliveryProfile(value)).toThrow(SchemaError);
    expect(() => parseDeliveryProfile(value)).toThrow(message);
  });

  it("reads a file, and says so in one line when it is not JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-profile-"));
    await writeFile(join(dir, "ok.json"), `\uFEFF${JSON.stringify(EXAMPLE)}`);
    await writeFile(join(dir, "bad.json"), '{"files": {');
    expect(await loadDeliveryProfile(join(dir, "ok.json"))).toEqual(DeliveryProfileSchema.parse(EXAMPLE));
    await expect(loadDeliveryProfile(join(dir, "bad.json"))).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(loadDeliveryProfile(join(dir, "none.json"))).rejects.toThrow(/none\.json: cannot read the delivery profile \(ENOENT\)/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("parseDeliveryProfile on any input", () => {
  it("accepts it or fails with one SchemaError line, never anything else", () => {
    const keys = fc.constantFrom("files", "codes", "personen", "path", "columns", "delimiter", "encoding", "dateFormat", "bsn", "interventie", "x");
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 6 }),
        fc.integer(),
        fc.constant(null),
        fc.dictionary(keys, tie("node"), { maxKeys: 3 }),
        fc.array(tie("node"), { maxLength: 2 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        try {
          parseDeliveryProfile(v);
        } catch (error) {
          expect(error).toBeInstanceOf(SchemaError);
          expect((error as Error).message).toMatch(/^profile: [^\n]+$/);
        }
      }),
    );
  });

  it("reads any well-formed profile and keeps its names", () => {
    const file = fc.constantFrom(...Object.keys(PROFILE_FILES));
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _.-]{0,15}$/).filter((s) => s.trim() === s);
    fc.assert(
      fc.property(file, name, fc.constantFrom(",", ";", "\t", "|"), (f, n, delimiter) => {
        const column = (PROFILE_FILES[f] as readonly string[])[0] as string;
        const profile = { files: { [f]: { path: `${n}.csv`, columns: { [column]: n }, delimiter } } };
        expect(parseDeliveryProfile(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
      }),
    );
  });
});

describe("codeMap", () => {
  it("maps their codes to our delivery codes, whether the profile names the code or what it stands for", () => {
    const profile = parseDeliveryProfile({ codes: { interventie: { JC01: "jobcoaching", RB01: "REG" }, geslacht: { Man: "man", Vrouw: "V" } } });
    expect(codeMap(profile, "interventie")).toEqual(new Map([["JC01", "JOB"], ["RB01", "REG"]]));
    expect(codeMap(profile, "geslacht")).toEqual(new Map([["Man", "M"], ["Vrouw", "V"]]));
    expect(codeMap(profile, "herkomst")).toBeNull();
    expect(codeMap(undefined, "interventie")).toBeNull();
  });
});
