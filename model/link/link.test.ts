import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYSIS_COLUMNS, reintegrationSchema } from "../reintegration.js";
import { TableSchemaSchema } from "../table-schema.js";
import { createPseudonymiser, type LinkageReport, LinkageReportSchema, linkDelivery, requirePseudonymKey } from "./index.js";

const FIXTURE = join(import.meta.dirname, "../../test/fixtures/delivery");
const KEY = "test-key-0123456789-0123456789-abcdef";

async function readCsv(path: string): Promise<Record<string, string>[]> {
  const [head, ...lines] = (await readFile(path, "utf8")).trim().split("\n");
  const columns = (head ?? "").split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

describe("linkDelivery on the hand-made mini delivery", () => {
  let out: string;
  let report: LinkageReport;
  let rows: Record<string, string>[];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "tw-link-"));
    report = await linkDelivery({ inDir: FIXTURE, outDir: out, pseudonymKey: KEY, minGroupSize: 1 });
    rows = await readCsv(join(out, "analysis.csv"));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("writes exactly the contract columns and a valid schema without truth", async () => {
    const header = (await readFile(join(out, "analysis.csv"), "utf8")).split("\n")[0];
    expect(header).toBe(ANALYSIS_COLUMNS.join(","));
    const schema = JSON.parse(await readFile(join(out, "schema.json"), "utf8"));
    expect(TableSchemaSchema.parse(schema)).toEqual(reintegrationSchema({ withTruth: false }));
    expect(LinkageReportSchema.parse(report)).toBeTruthy();
    for (const row of rows) expect(row.mu_regulier).toBe("");
  });

  it("writes one row per usable trajectory, in delivery order, with hand-checked features", () => {
    const pick = (r: Record<string, string>) => [
      r.leeftijdsklasse,
      r.regio,
      r.huishouden,
      r.aantal_kinderen,
      r.jongste_kind_0_4,
      r.opleiding,
      r.taaleis_voldaan,
      r.nooit_gewerkt,
      r.maanden_sinds_werk,
      r.maanden_gewerkt_5j,
      r.uitkeringsduur_maanden,
      r.eerdere_uitkeringen,
      [r.med_antidepressiva, r.med_psycholeptica, r.med_diabetes, r.med_luchtwegen, r.med_hart_vaat].join(""),
      r.wmo_ondersteuning,
      r.problematische_schulden,
      r.schuldhulp_eerder,
      r.geslacht,
      r.herkomst,
      r.interventie,
      [r.werk_12m, r.uren_per_week, r.uitstroom_12m, r.wmo_12m, r.schulden_12m].join("/"),
    ];
    expect(rows.map(pick)).toEqual([
      // T1: 31 at start; last job ended 2021-08-31 (182 days = 5 months); 1401 + 183 days worked in 5 years = 52 months;
      // benefit since 2021-09-15 (167 days = 5 months) and one earlier spell; N06A in 2021 only counts.
      ["27-34", "randstad", "alleenstaande_ouder", "2", "1", "mbo2_4", "1", "0", "5", "52", "5", "1", "10000", "geen", "1", "0", "vrouw", "nederland", "jobcoaching", "1/24/1/0/1"],
      // T2: 63, never worked → (63 − 18) × 12 months; benefit since 2015-05-01 (2817 days = 92 months);
      // A10 and C in 2022; active household help (the aid that ended does not count); debt counselling ended before.
      ["55+", "noord", "alleenstaand", "0", "0", "basis", "0", "1", "540", "0", "92", "0", "00101", "huishoudelijke_hulp", "0", "1", "man", "buiten_europa", "taaltraject", "0/0/0/1/0"],
      // T3a: still working at the start; 397 days worked; benefit since 2021-01-01 (31 days).
      ["18-26", "zuid", "paar_zonder_kinderen", "0", "0", "havo_vwo", "1", "0", "0", "13", "1", "0", "00000", "geen", "0", "0", "man", "europa", "regulier", "0/0/0/0/0"],
      // T3b: same person later: job ended 152 days before, 730 days worked, the first benefit spell is now earlier.
      ["18-26", "zuid", "paar_zonder_kinderen", "0", "0", "havo_vwo", "1", "0", "4", "23", "4", "1", "00000", "geen", "0", "0", "man", "europa", "werkervaringsplaats", "1/32/1/0/0"],
      // T4: no household or education record → empty, never invented; never worked at 38 → 240 months.
      ["35-44", "randstad", "", "", "", "", "", "1", "240", "0", "3", "0", "00000", "geen", "0", "0", "vrouw", "nederland", "schuldhulp", "0/0/1/0/1"],
    ]);
  });

  it("pseudonymises with the keyed HMAC, one pseudonym per person", () => {
    const pseudonym = createPseudonymiser(KEY);
    expect(rows.map((r) => r.pseudonym)).toEqual(
      ["367418253", "209494177", "762984594", "762984594", "278086998"].map((bsn) => pseudonym(bsn)),
    );
    expect(createPseudonymiser(`${KEY}x`)("367418253")).not.toBe(pseudonym("367418253"));
  });

  it("quarantines every rejected row with its reason and accounts for every row", async () => {
    const reasons = async (file: string) =>
      (await readCsv(join(out, "quarantine", `${file}.csv`))).map((r) => `${r.line}:${r.reason}`).sort();
    expect(await reasons("personen")).toEqual(["6:no_trajectory", "8:duplicate"]);
    expect(await reasons("huishoudens")).toEqual(["6:conflicting_duplicate"]);
    expect(await reasons("opleiding")).toEqual(["5:no_trajectory", "6:invalid_bsn"]);
    expect(await reasons("dienstverbanden")).toEqual(["4:invalid_date", "6:no_trajectory"]);
    expect(await reasons("medicatie")).toEqual(["5:unknown_code", "8:duplicate"]);
    expect(await reasons("schulden")).toEqual(["4:inconsistent_dates"]);
    expect(await reasons("trajecten")).toEqual(["7:no_outcome", "8:field_count"]);
    expect(await reasons("uitkomsten")).toEqual(["7:unknown_trajectory"]);
    const dates = await readCsv(join(out, "quarantine", "dienstverbanden.csv"));
    expect(dates[0]?.field).toBe("begindatum");
    expect(report.trajectories).toEqual({ read: 6, written: 5, withoutOutcome: 1, withoutPerson: 0, suppressed: 0 });
    expect(report.persons).toEqual({ withTrajectory: 5, withoutTrajectory: 1 });
    expect(report.files.medicatie).toMatchObject({ rowsRead: 7, valid: 6, linked: 5, unlinked: 0 });
    expect(report.features.huishouden?.missingShare).toBe(0.2);
    expect(report.features.leeftijdsklasse?.missingShare).toBe(0);
    expect(report.withTruth).toBe(false);
  });

  it("writes no bsn, birth date or postcode to any output file", async () => {
    const sources = await Promise.all(
      ["personen", "huishoudens", "opleiding", "dienstverbanden", "trajecten"].map((f) => readFile(join(FIXTURE, `${f}.csv`), "utf8")),
    );
    const bsns = new Set(sources.join("\n").match(/\b\d{9}\b/g));
    const persons = await readCsv(join(FIXTURE, "personen.csv"));
    const secrets = [...bsns, ...persons.map((p) => p.geboortedatum as string), ...persons.map((p) => p.postcode as string)];
    expect(secrets.length).toBeGreaterThan(10);
    for (const file of await listFiles(out)) {
      const text = await readFile(file, "utf8");
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
      expect(/(^|[^0-9a-f])\d{9}([^0-9a-f]|$)/.test(text), `9-digit number in ${file}`).toBe(false);
    }
  });

  it("never leaves partial files behind", async () => {
    const files = await listFiles(out);
    expect(files.filter((f) => f.endsWith(".partial"))).toEqual([]);
  });
});

describe("a delivery in another layout", () => {
  it("reads columns in any order, extra columns, CRLF and a BOM to the same table", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-layout-"));
    for (const file of await readdir(FIXTURE)) {
      if (!file.endsWith(".csv")) continue;
      const lines = (await readFile(join(FIXTURE, file), "utf8")).trimEnd().split("\n");
      // Reverse the columns of rows with the header's width, add a column nobody asked for.
      const width = (lines[0] ?? "").split(",").length;
      const out = lines.map((line, i) => {
        const cells = line.split(",");
        const moved = cells.length === width ? [...cells].reverse() : cells;
        return [...moved, i === 0 ? "opmerking" : "x"].join(",");
      });
      await writeFile(join(dir, file), `\uFEFF${out.join("\r\n")}\r\n`);
    }
    const expected = await mkdtemp(join(tmpdir(), "tw-layout-expected-"));
    await linkDelivery({ inDir: FIXTURE, outDir: expected, pseudonymKey: KEY, minGroupSize: 1 });
    const report = await linkDelivery({ inDir: dir, outDir: join(dir, "out"), pseudonymKey: KEY, minGroupSize: 1 });
    expect(await readFile(join(dir, "out", "analysis.csv"), "utf8")).toBe(await readFile(join(expected, "analysis.csv"), "utf8"));
    expect(report.trajectories.written).toBe(5);
    const quarantined = await readCsv(join(dir, "out", "quarantine", "personen.csv"));
    expect(quarantined.map((r) => [r.reason, r.geslacht, r.herkomst])).toEqual([
      ["no_trajectory", "V", "NL"],
      ["duplicate", "V", "NL"],
    ]);
    await rm(dir, { recursive: true, force: true });
    await rm(expected, { recursive: true, force: true });
  });
});

describe("PSEUDONYM_KEY", () => {
  it("is required and at least 32 characters", () => {
    expect(() => requirePseudonymKey({})).toThrow(/PSEUDONYM_KEY is not set/);
    expect(() => requirePseudonymKey({ PSEUDONYM_KEY: "short" })).toThrow(/at least 32 characters/);
    expect(requirePseudonymKey({ PSEUDONYM_KEY: KEY })).toBe(KEY);
  });

  it("refuses to link without a valid key and writes nothing", async () => {
    const out = await mkdtemp(join(tmpdir(), "tw-link-"));
    await expect(linkDelivery({ inDir: FIXTURE, outDir: out, pseudonymKey: "too-short" })).rejects.toThrow(/32/);
    expect(await readdir(out)).toEqual([]);
    await rm(out, { recursive: true, force: true });
  });

  it("names a missing required file", async () => {
    const out = await mkdtemp(join(tmpdir(), "tw-link-"));
    await expect(linkDelivery({ inDir: out, outDir: join(out, "x"), pseudonymKey: KEY })).rejects.toThrow(/trajecten\.csv not found/);
    await rm(out, { recursive: true, force: true });
  });
});
