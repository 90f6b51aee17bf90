import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Catalogue, parseCatalogue } from "../config/municipality.js";
import { TableSchemaSchema } from "../table-schema.js";
import { type LinkageReport, linkDelivery, parseDeliveryProfile } from "./index.js";

/**
 * Linking to another municipality's catalogue: its own trajectory keys (the delivery's codes
 * mapped onto them by the profile), a subset of our features, one extra feature read from a
 * column the profile names, and its outcomes. A tiny hand-made delivery, checked by hand.
 */
const KEY = "test-key-0123456789-0123456789-abcdef";
const text = (s: string) => ({ nl: s, en: s });
const ARMS = ["basis", "werkfit", "jobhunting", "participatieplaats"];

const CONFIG: Catalogue = parseCatalogue(
  {
    version: 1,
    control: "basis",
    trajectories: ARMS.map((key) => ({ key, name: text(key) })),
    outcomes: {
      primary: { column: "werk_12m", type: "binary", label: text("werk") },
      secondary: [{ column: "uitstroom_12m", type: "binary", label: text("uitstroom") }],
    },
    groups: [{ key: "persoon", label: text("persoon") }],
    features: [
      { name: "leeftijdsklasse", type: "categorical", group: "persoon", label: text("leeftijd") },
      { name: "rijbewijs", type: "binary", group: "persoon", label: text("rijbewijs") },
      { name: "opleiding", type: "categorical", group: "persoon", label: text("opleiding") },
      { name: "problematische_schulden", type: "binary", group: "persoon", label: text("schulden") },
    ],
  },
  "test config",
);

const PROFILE = {
  files: {
    personen: { path: "Klanten.csv", columns: { bsn: "BSN" } },
    trajecten: { path: "Trajecten.csv", columns: { bsn: "BSN", interventie: "Trajectcode" } },
    uitkomsten: { columns: { bsn: "BSN" } },
    truth: { columns: { mu_werkfit: "kans_werkfit" } },
  },
  codes: {
    interventie: { BD01: "basis", WF01: "werkfit", JH01: "jobhunting", PP01: "participatieplaats" },
    rijbewijs: { J: "1", N: "0" },
  },
  features: { rijbewijs: { file: "personen", column: "Rijbewijs B" } },
};

const FILES: Record<string, string[]> = {
  "Klanten.csv": [
    "BSN,geboortedatum,geslacht,herkomst,postcode,Rijbewijs B",
    "367418253,1990-06-15,V,NL,3511AB,J",
    "209494177,1960-01-10,M,NEU,9711 AA,N",
    "762984594,1999-02-01,M,EU,1012AB,?",
    "278086998,1985-05-05,V,NL,5611AB,",
  ],
  "Trajecten.csv": [
    "BSN,traject_id,Trajectcode,startdatum",
    "367418253,T1,WF01,2022-03-01",
    "209494177,T2,JH01,2023-01-16",
    "762984594,T3,PP01,2022-06-01",
    "278086998,T4,BD01,2022-09-01",
    "456326042,T5,XX99,2022-09-01",
  ],
  "uitkomsten.csv": [
    "BSN,traject_id,werk_12m,uren_per_week,uitstroom_12m,wmo_12m,schulden_12m",
    "367418253,T1,1,24,1,0,0",
    "209494177,T2,0,0,0,1,0",
    "762984594,T3,0,0,0,0,0",
    "278086998,T4,1,32,1,0,0",
    "456326042,T5,1,20,1,0,0",
  ],
  "opleiding.csv": ["bsn,opleidingsniveau,taalniveau", "367418253,MBO,B2", "209494177,BAS,A1"],
  "schulden.csv": ["bsn,registratiedatum,einddatum,problematisch", "367418253,2021-10-01,,1"],
  "truth.csv": [
    "BSN,mu_basis,kans_werkfit,mu_jobhunting,mu_participatieplaats",
    "367418253,0.2,0.3,0.25,0.1",
    "209494177,0.1,0.12,0.15,0.05",
    "762984594,0.3,0.31,0.32,0.2",
    "278086998,0.4,0.42,0.45,0.35",
  ],
};

async function readCsv(path: string): Promise<Record<string, string>[]> {
  const [head, ...lines] = (await readFile(path, "utf8")).trim().split("\n");
  const columns = (head ?? "").split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i] as string, v])));
}

describe("linkDelivery to another municipality's catalogue", () => {
  let dir: string;
  let report: LinkageReport;
  let rows: Record<string, string>[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tw-link-other-"));
    for (const [name, lines] of Object.entries(FILES)) await writeFile(join(dir, name), `${lines.join("\n")}\n`);
    const profile = parseDeliveryProfile(PROFILE, "profile", { arms: ARMS });
    report = await linkDelivery({ inDir: dir, outDir: join(dir, "out"), pseudonymKey: KEY, minGroupSize: 1, profile, catalogue: CONFIG });
    rows = await readCsv(join(dir, "out", "analysis.csv"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the configuration's arms, features (the extra one included) and outcomes into the schema and the table", async () => {
    const schema = TableSchemaSchema.parse(JSON.parse(await readFile(join(dir, "out", "schema.json"), "utf8")));
    expect(schema.treatment).toEqual({ column: "interventie", arms: ARMS, control: "basis" });
    expect(schema.features).toEqual([
      { name: "leeftijdsklasse", type: "categorical", group: "persoon" },
      { name: "rijbewijs", type: "binary", group: "persoon" },
      { name: "opleiding", type: "categorical", group: "persoon" },
      { name: "problematische_schulden", type: "binary", group: "persoon" },
    ]);
    expect(schema.outcome).toEqual({ column: "werk_12m", type: "binary" });
    expect(schema.truth).toEqual(Object.fromEntries(ARMS.map((a) => [a, `mu_${a}`])));
    const header = (await readFile(join(dir, "out", "analysis.csv"), "utf8")).split("\n")[0];
    expect(header).toBe(
      "pseudonym,leeftijdsklasse,rijbewijs,opleiding,problematische_schulden,geslacht,herkomst,interventie,werk_12m,uitstroom_12m,mu_basis,mu_werkfit,mu_jobhunting,mu_participatieplaats",
    );
    expect(Object.keys(report.features)).toEqual(["leeftijdsklasse", "rijbewijs", "opleiding", "problematische_schulden"]);
  });

  it("maps the trajectory codes onto the keys and the extra column's J/N onto 1/0, per trajectory", () => {
    // T3's person row is quarantined (unknown licence code), T5's code is unknown: three rows remain, plus T3 without person data.
    const pick = (r: Record<string, string>) => [r.interventie, r.leeftijdsklasse, r.rijbewijs, r.opleiding, r.problematische_schulden, r.werk_12m, r.mu_werkfit];
    expect(rows.map(pick)).toEqual([
      ["werkfit", "27-34", "1", "mbo2_4", "1", "1", "0.3"],
      ["jobhunting", "55+", "0", "basis", "0", "0", "0.12"],
      ["participatieplaats", "", "", "", "0", "0", "0.31"],
      ["basis", "35-44", "", "", "0", "1", "0.42"],
    ]);
  });

  it("quarantines an unknown trajectory code and an unknown value of the extra feature, with the reason and the column", async () => {
    expect(report.files.trajecten?.quarantined).toEqual({ unknown_code: 1 });
    expect(report.files.personen?.quarantined).toEqual({ unknown_code: 1 });
    const trajectories = await readCsv(join(dir, "out", "quarantine", "trajecten.csv"));
    expect(trajectories.map((r) => [r.reason, r.field, r.interventie])).toEqual([["unknown_code", "interventie", "XX99"]]);
    const persons = await readCsv(join(dir, "out", "quarantine", "personen.csv"));
    expect(persons.map((r) => [r.reason, r.field, r.rijbewijs])).toEqual([["unknown_code", "rijbewijs", "?"]]);
    // The outcome of the trajectory with the unknown code has no trajectory to join.
    expect(report.files.uitkomsten?.quarantined).toEqual({ unknown_trajectory: 1 });
    expect(report.files.personen?.renamedColumns).toEqual({ bsn: "BSN", rijbewijs: "Rijbewijs B" });
    expect(report.files.personen?.mappedCodes).toEqual(["rijbewijs"]);
  });

  it("refuses a configuration feature that link does not derive and the profile does not name", async () => {
    const profile = parseDeliveryProfile({ ...PROFILE, features: {}, codes: { interventie: PROFILE.codes.interventie } }, "profile", { arms: ARMS });
    await expect(
      linkDelivery({ inDir: dir, outDir: join(dir, "out-2"), pseudonymKey: KEY, minGroupSize: 1, profile, catalogue: CONFIG }),
    ).rejects.toThrow(/feature "rijbewijs" is not one link derives; name its column in the delivery profile/);
  });

  it("checks the profile's trajectory codes and truth columns against the catalogue's arms", () => {
    expect(() => parseDeliveryProfile(PROFILE, "profile.json")).toThrow(/profile\.json: files\.truth\.columns\.mu_werkfit: not a column of truth \(bsn, mu_regulier/);
    expect(() => parseDeliveryProfile({ codes: PROFILE.codes }, "profile.json")).toThrow(/profile\.json: codes\.interventie\.BD01: "basis" is not one of our codes/);
    expect(() => parseDeliveryProfile({ codes: { interventie: { X: "scholing" } } }, "p", { arms: ARMS })).toThrow(/"scholing" is not one of our codes/);
    expect(() => parseDeliveryProfile({ features: { regio: { file: "personen", column: "Regio" } } }, "p")).toThrow(
      /features\.regio: "regio" is a feature or column link derives itself/,
    );
    expect(() => parseDeliveryProfile({ features: { x: { file: "schulden", column: "X" } } }, "p")).toThrow(/features\.x\.file: expected one of personen/);
    expect(() => parseDeliveryProfile({ codes: { onbekend: { J: "1" } } }, "p")).toThrow(/codes\.onbekend: not a coded column/);
  });
});
