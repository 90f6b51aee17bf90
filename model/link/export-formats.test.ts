import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CsvDelimiter, formatCsvRecord, parseCsvRecord } from "../csv/index.js";
import { encodeWindows1252 } from "../csv/windows-1252.js";
import { INTERVENTIONS } from "../catalogue.js";
import { generateDelivery } from "../synth/index.js";
import { parseIsoDate } from "./derive.js";
import type { DateFormat } from "./dialect.js";
import { DATE_COLUMNS } from "./format.js";
import { type LinkageReport, linkDelivery, loadDeliveryProfile, parseDeliveryProfile } from "./index.js";

/**
 * Real export formats end to end: a delivery written as another system writes it links to the
 * same analysis table as the delivery in our own layout.
 */
const FIXTURE = join(import.meta.dirname, "../../test/fixtures/delivery");
const KEY = "test-key-0123456789-0123456789-abcdef";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-export-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Variant = { delimiter: CsvDelimiter; crlf: boolean; encoding: "utf-8" | "utf-8-bom" | "windows-1252"; dateFormat: DateFormat; decimalComma: boolean };

/** A date written in `format`; a value that is no valid ISO date stays invalid in the new format too. */
function rewriteDate(value: string, format: DateFormat): string {
  const dayFirst = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(value);
  if (parseIsoDate(value) === null) return dayFirst && format.startsWith("d") ? `${dayFirst[3]}-${dayFirst[2]}-${dayFirst[1]}` : value;
  const [y, m, d] = value.split("-") as [string, string, string];
  if (format === "yyyymmdd") return `${y}${m}${d}`;
  if (format === "dd-mm-yyyy") return `${d}-${m}-${y}`;
  if (format === "d-m-yyyy") return `${Number(d)}-${Number(m)}-${y}`;
  return value;
}

/** Fixed true chances for the fixture's persons, so the decimal columns have something to read. */
const TRUTH = ["367418253", "209494177", "762984594", "278086998", "487824738", "456326042"].map((bsn, i) => [
  bsn,
  ...INTERVENTIONS.map((_, a) => (0.1 + 0.01 * i + 0.001 * a).toFixed(4)),
]);

/** Writes the fixture (plus a truth file and a comment column with accents) in a variant's format. */
async function writeVariant(out: string, v: Variant): Promise<void> {
  await mkdir(out, { recursive: true });
  const files = (await readdir(FIXTURE)).filter((f) => f.endsWith(".csv"));
  const sources: Record<string, string[][]> = {};
  for (const file of files) {
    sources[file] = (await readFile(join(FIXTURE, file), "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => parseCsvRecord(l) ?? [l]);
  }
  sources["truth.csv"] = [["bsn", ...INTERVENTIONS.map((a) => `mu_${a}`)], ...TRUTH];
  for (const [file, [header = [], ...rows]] of Object.entries(sources)) {
    const dates = header.flatMap((c, i) => (DATE_COLUMNS.has(c) ? [i] : []));
    const lines = [
      [...header, "opmerking"],
      ...rows.map((r) => {
        const cells = r.map((c, i) => (dates.includes(i) ? rewriteDate(c, v.dateFormat) : file === "truth.csv" && i > 0 && v.decimalComma ? c.replace(".", ",") : c));
        return [...cells, "Cliënt heeft één afspraak gemist; zoë belt terug"];
      }),
    ].map((r) => formatCsvRecord(r, v.delimiter));
    const text = `${v.encoding === "utf-8-bom" ? "\uFEFF" : ""}${lines.join(v.crlf ? "\r\n" : "\n")}${v.crlf ? "\r\n" : "\n"}`;
    await writeFile(join(out, file), v.encoding === "windows-1252" ? encodeWindows1252(text) : Buffer.from(text, "utf8"));
  }
}

describe("a hand-made delivery in every format", () => {
  const variants: Variant[] = [
    { delimiter: ",", crlf: false, encoding: "utf-8", dateFormat: "yyyy-mm-dd", decimalComma: false },
    { delimiter: ";", crlf: true, encoding: "windows-1252", dateFormat: "dd-mm-yyyy", decimalComma: true },
    { delimiter: "\t", crlf: false, encoding: "utf-8-bom", dateFormat: "yyyymmdd", decimalComma: false },
    { delimiter: "|", crlf: true, encoding: "utf-8", dateFormat: "d-m-yyyy", decimalComma: true },
    { delimiter: ";", crlf: false, encoding: "utf-8-bom", dateFormat: "dd-mm-yyyy", decimalComma: true },
    { delimiter: ",", crlf: true, encoding: "windows-1252", dateFormat: "yyyymmdd", decimalComma: false },
  ];
  let expected: string;
  let expectedReport: LinkageReport;

  beforeAll(async () => {
    await writeVariant(join(dir, "hand-0"), variants[0] as Variant);
    expectedReport = await linkDelivery({ inDir: join(dir, "hand-0"), outDir: join(dir, "hand-0-out"), pseudonymKey: KEY, minGroupSize: 1 });
    expected = await readFile(join(dir, "hand-0-out", "analysis.csv"), "utf8");
  });

  it("the baseline variant has true chances and trajectories", () => {
    expect(expectedReport.withTruth).toBe(true);
    expect(expectedReport.trajectories.written).toBe(5);
    expect(expected).toContain(",0.1,0.101,");
  });

  it.each(variants.slice(1).map((v, i) => [i + 1, v] as const))(
    "variant %i links to the same table and reports what it detected",
    async (i, v) => {
      const inDir = join(dir, `hand-${i}`);
      await writeVariant(inDir, v);
      const report = await linkDelivery({ inDir, outDir: join(dir, `hand-${i}-out`), pseudonymKey: KEY, minGroupSize: 1 });
      expect(await readFile(join(dir, `hand-${i}-out`, "analysis.csv"), "utf8")).toBe(expected);
      for (const [file, r] of Object.entries(report.files)) {
        expect(r.quarantined, file).toEqual(expectedReport.files[file]?.quarantined);
        expect(r.format, file).toMatchObject({
          path: `${file}.csv`,
          delimiter: v.delimiter,
          encoding: v.encoding === "windows-1252" ? "windows-1252" : "utf-8",
          bom: v.encoding === "utf-8-bom",
          lineEnding: v.crlf ? "crlf" : "lf",
          fromProfile: [],
        });
        expect(r.unknownColumns, file).toEqual(["opmerking"]);
      }
      // Files without dates keep the default; files with dates say how they were written.
      expect(report.files.trajecten?.format?.dateFormat).toBe(v.dateFormat);
      expect(report.files.personen?.format?.dateFormat).toBe(v.dateFormat === "d-m-yyyy" ? "d-m-yyyy" : v.dateFormat);
      expect(report.files.truth?.format?.decimalSeparator).toBe(v.decimalComma ? "," : ".");
    },
  );

  it("a profile can set what detection would get wrong, and maps names and codes", async () => {
    const inDir = join(dir, "hand-profile");
    await writeVariant(inDir, variants[1] as Variant);
    // Rename one file, two columns and the trajectory codes the way another municipality would.
    const personen = encodeWindows1252(
      (await readFile(join(inDir, "personen.csv"), "latin1")).replace("bsn;geboortedatum", "Burgerservicenummer;Geboortedatum cliënt"),
    );
    await rm(join(inDir, "personen.csv"));
    await writeFile(join(inDir, "Cliënten.csv"), personen);
    const trajecten = (await readFile(join(inDir, "trajecten.csv"), "latin1")).replace(/;JOB;/g, ";JC01;").replace(/;REG;/g, ";Regulier;");
    await writeFile(join(inDir, "trajecten.csv"), encodeWindows1252(trajecten));
    const profile = parseDeliveryProfile({
      files: {
        personen: { path: "Cliënten.csv", columns: { bsn: "Burgerservicenummer", geboortedatum: "Geboortedatum cliënt" }, encoding: "windows-1252" },
        trajecten: { dateFormat: "dd-mm-jjjj", delimiter: ";" },
      },
      codes: { interventie: { JC01: "jobcoaching", Regulier: "regulier" } },
    });
    const report = await linkDelivery({ inDir, outDir: join(dir, "hand-profile-out"), pseudonymKey: KEY, minGroupSize: 1, profile });
    expect(await readFile(join(dir, "hand-profile-out", "analysis.csv"), "utf8")).toBe(expected);
    expect(report.files.personen?.format).toMatchObject({ path: "Cliënten.csv", encoding: "windows-1252", fromProfile: ["encoding"] });
    expect(report.files.personen?.renamedColumns).toEqual({ bsn: "Burgerservicenummer", geboortedatum: "Geboortedatum cliënt" });
    expect(report.files.trajecten?.format?.fromProfile).toEqual(["delimiter", "dateFormat"]);
    // Without the mapping the renamed codes are unknown codes: quarantined with a reason, not dropped.
    const unmapped = await linkDelivery({
      inDir,
      outDir: join(dir, "hand-profile-out-2"),
      pseudonymKey: KEY,
      minGroupSize: 1,
      profile: parseDeliveryProfile({ ...profile, codes: {} }),
    });
    expect(unmapped.files.trajecten?.quarantined.unknown_code).toBe(2); // T1 (JC01) and T3a (Regulier)
    expect(unmapped.trajectories.written).toBe(3);
  });

  it("a missing column fails in one line naming the file, the column and the closest present one, before any output", async () => {
    const inDir = join(dir, "hand-missing");
    await writeVariant(inDir, variants[1] as Variant);
    const text = (await readFile(join(inDir, "trajecten.csv"), "latin1")).replace("startdatum", "Start_Datum");
    await writeFile(join(inDir, "trajecten.csv"), encodeWindows1252(text));
    const outDir = join(dir, "hand-missing-out");
    await expect(linkDelivery({ inDir, outDir, pseudonymKey: KEY, minGroupSize: 1 })).rejects.toThrow(
      /^trajecten\.csv: missing column "startdatum" \(closest present: "Start_Datum"\)$/,
    );
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
  });
});

describe("a generated delivery as a Dutch export", () => {
  const n = 1500;
  const seed = 13;
  const reports: Record<string, LinkageReport> = {};
  const tables: Record<string, string[]> = {};
  const link = async (name: string, profile?: string) => {
    reports[name] = await linkDelivery({
      inDir: join(dir, name),
      outDir: join(dir, `${name}-out`),
      pseudonymKey: KEY,
      profile: profile === undefined ? undefined : await loadDeliveryProfile(profile),
    });
    tables[name] = (await readFile(join(dir, `${name}-out`, "analysis.csv"), "utf8")).trimEnd().split("\n").slice(1);
  };

  beforeAll(async () => {
    await generateDelivery({ outDir: join(dir, "ours"), n, seed, clean: false });
    await generateDelivery({ outDir: join(dir, "dutch"), n, seed, clean: false, format: "dutch-export" });
    await generateDelivery({ outDir: join(dir, "renamed"), n, seed, clean: false, format: "dutch-export", rename: true });
    await link("ours");
    await link("dutch");
    await link("renamed", join(dir, "renamed", "profile.json"));
  });

  it("is written the Dutch way: ';', CRLF, Windows-1252 with accents, dd-mm-jjjj, decimal commas", async () => {
    const bytes = await readFile(join(dir, "dutch", "personen.csv"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const text = bytes.toString("latin1");
    expect(text.split("\r\n")[0]).toBe("bsn;naam;straat;woonplaats;geboortedatum;geslacht;herkomst;postcode");
    expect(text).toMatch(/[éëïöüç]/);
    expect(text.split("\r\n")[1]).toMatch(/^\d{9};[^;]+;[^;]+;[^;]+;\d\d-\d\d-\d{4};/);
    const truth = (await readFile(join(dir, "dutch", "truth.csv"), "latin1")).split("\r\n")[1];
    // Eight chances of work, then the secondary outcomes' truth (hours may have two digits).
    expect(truth).toMatch(/^\d{9}(;\d,\d{4}){8}(;\d+,\d{4}){32}$/);
  });

  it("links without a profile to at least 98 % of the rows of the original layout", () => {
    const original = reports.ours?.trajectories.written ?? 0;
    const ratio = (reports.dutch?.trajectories.written ?? 0) / original;
    expect(original).toBeGreaterThan(n / 2);
    expect(ratio).toBeGreaterThanOrEqual(0.98);
    expect(ratio).toBeLessThanOrEqual(1.02);
    // Not only as many rows: the same persons' rows.
    const same = new Set(tables.ours);
    const shared = (tables.dutch ?? []).filter((row) => same.has(row)).length;
    expect(shared / original).toBeGreaterThanOrEqual(0.98);
    for (const [file, r] of Object.entries(reports.dutch?.files ?? {})) {
      expect(r.format, file).toMatchObject({ delimiter: ";", lineEnding: "crlf", fromProfile: [] });
      if (file !== "truth") expect(r.format?.dateFormat, file).toMatch(/^(dd-mm-yyyy|yyyy-mm-dd)$/);
    }
    expect(reports.dutch?.files.personen?.format).toMatchObject({ encoding: "windows-1252", dateFormat: "dd-mm-yyyy" });
    expect(reports.dutch?.files.truth?.format?.decimalSeparator).toBe(",");
    expect(reports.dutch?.files.personen?.unknownColumns).toEqual(["naam", "straat", "woonplaats"]);
  });

  it("renamed, links with its profile to at least 98 % of the rows of the original layout", () => {
    const original = reports.ours?.trajectories.written ?? 0;
    const ratio = (reports.renamed?.trajectories.written ?? 0) / original;
    expect(ratio).toBeGreaterThanOrEqual(0.98);
    expect(ratio).toBeLessThanOrEqual(1.02);
    const same = new Set(tables.ours);
    expect((tables.renamed ?? []).filter((row) => same.has(row)).length / original).toBeGreaterThanOrEqual(0.98);
    expect(reports.renamed?.files.personen?.format?.path).toBe("Clienten.csv");
    expect(reports.renamed?.files.wmo?.renamedColumns?.voorziening).toBe("Geïndiceerde voorziening");
    expect(reports.renamed?.files.trajecten?.quarantined.unknown_code).toBe(reports.ours?.files.trajecten?.quarantined.unknown_code);
    expect(reports.renamed?.files.uitkomsten?.renamedColumns?.werk_12m).toBe("Werk binnen 12 mnd");
    expect(reports.renamed?.files.trajecten?.mappedCodes).toEqual(["interventie"]);
    expect(reports.renamed?.files.uitkomsten?.mappedCodes).toEqual(["werk_12m", "uitstroom_12m", "wmo_12m", "schulden_12m"]);
    expect(reports.dutch?.files.trajecten?.mappedCodes).toBeUndefined();
  });

  it("quarantines the same rows for the same reasons in every layout (nothing dropped silently)", () => {
    for (const file of Object.keys(reports.ours?.files ?? {})) {
      const q = reports.ours?.files[file]?.quarantined;
      expect(reports.dutch?.files[file]?.quarantined, file).toEqual(q);
      expect(reports.renamed?.files[file]?.quarantined, file).toEqual(q);
      expect(reports.dutch?.files[file]?.rowsRead, file).toBe(reports.ours?.files[file]?.rowsRead);
    }
  });

  it("keeps the export's names and addresses out of the report and the quarantine", async () => {
    const outDir = join(dir, "dutch-out");
    const texts = [await readFile(join(outDir, "linkage-report.json"), "utf8")];
    for (const f of await readdir(join(outDir, "quarantine"))) texts.push(await readFile(join(outDir, "quarantine", f), "utf8"));
    const people = (await readFile(join(dir, "dutch", "personen.csv"), "latin1"))
      .split("\r\n")
      .slice(1, 200)
      .flatMap((l) => l.split(";").slice(1, 4));
    const all = texts.join("\n");
    for (const value of people) if (value !== "") expect(all).not.toContain(value);
    expect(all).not.toMatch(/(?<![0-9a-f])\d{9}(?![0-9a-f])/);
  });

  it("renamed, without its profile, fails in one line naming the file it looked for", async () => {
    await expect(linkDelivery({ inDir: join(dir, "renamed"), outDir: join(dir, "renamed-no-profile"), pseudonymKey: KEY })).rejects.toThrow(
      /trajecten\.csv not found/,
    );
  });
});

describe("other layouts of the generator", () => {
  it("--rename alone (our format, other names) links with its profile; file names are found in any case", async () => {
    await generateDelivery({ outDir: join(dir, "small"), n: 300, seed: 2, clean: false });
    await generateDelivery({ outDir: join(dir, "small-renamed"), n: 300, seed: 2, clean: false, rename: true });
    const profile = await loadDeliveryProfile(join(dir, "small-renamed", "profile.json"));
    expect(profile.files?.personen).toEqual({
      path: "Clienten.csv",
      columns: { bsn: "BSN", geboortedatum: "Geboortedatum", geslacht: "Geslacht", herkomst: "Migratieachtergrond", postcode: "Postcode" },
    });
    // Windows exports differ in case only: Clienten.csv is asked for, CLIENTEN.CSV is there.
    await writeFile(join(dir, "small-renamed", "CLIENTEN.CSV"), await readFile(join(dir, "small-renamed", "Clienten.csv")));
    await rm(join(dir, "small-renamed", "Clienten.csv"));
    const ours = await linkDelivery({ inDir: join(dir, "small"), outDir: join(dir, "small-out"), pseudonymKey: KEY, minGroupSize: 1 });
    const renamed = await linkDelivery({ inDir: join(dir, "small-renamed"), outDir: join(dir, "small-renamed-out"), pseudonymKey: KEY, minGroupSize: 1, profile });
    expect(renamed.trajectories).toEqual(ours.trajectories);
    expect(renamed.files.personen?.format).toMatchObject({ path: "CLIENTEN.CSV", delimiter: ",", encoding: "utf-8", lineEnding: "lf", fromProfile: [] });
    expect(await readFile(join(dir, "small-renamed-out", "analysis.csv"), "utf8")).toBe(await readFile(join(dir, "small-out", "analysis.csv"), "utf8"));
    // A file the profile names must be there, also when the file itself is optional.
    const typo = parseDeliveryProfile({ ...profile, files: { ...profile.files, wmo: { path: "Wmo-voorzieningen.csv" } } });
    await expect(
      linkDelivery({ inDir: join(dir, "small-renamed"), outDir: join(dir, "small-renamed-typo"), pseudonymKey: KEY, profile: typo }),
    ).rejects.toThrow(/Wmo-voorzieningen\.csv not found \(files\.wmo\.path of the delivery profile\)$/);
  });
});
