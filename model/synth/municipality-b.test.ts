import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeWindows1252 } from "../csv/windows-1252.js";
import { type LinkageReport, linkDelivery, loadDeliveryProfile } from "../link/index.js";
import { TableSchemaSchema } from "../table-schema.js";
import { SECONDARY_TRUTH_OUTCOMES, secondaryTruthColumn } from "../reintegration.js";
import { GEMEENTE_B, generateDelivery } from "./index.js";

/** The second synthetic municipality: written in its own terms, linked back with its profile and configuration. */
const KEY = "test-key-0123456789-0123456789-abcdef";
const B_KEYS = GEMEENTE_B.trajectories.map((t) => t.key);
let dir: string;
let report: LinkageReport;
let ourReport: LinkageReport;

const lines = async (path: string, cp1252 = false): Promise<string[]> => {
  const bytes = await readFile(path);
  return (cp1252 ? decodeWindows1252(bytes) : bytes.toString("utf8")).trim().split(/\r?\n/);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-synth-b-"));
  await generateDelivery({ outDir: join(dir, "ours"), n: 1500, seed: 4, clean: false });
  await generateDelivery({ outDir: join(dir, "b"), n: 1500, seed: 4, clean: false, format: "dutch-export", municipality: "b" });
  const arms = B_KEYS;
  const profile = await loadDeliveryProfile(join(dir, "b", "profile.json"), { arms });
  report = await linkDelivery({ inDir: join(dir, "b"), outDir: join(dir, "b-out"), pseudonymKey: KEY, profile, catalogue: GEMEENTE_B });
  ourReport = await linkDelivery({ inDir: join(dir, "ours"), outDir: join(dir, "ours-out"), pseudonymKey: KEY });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generateDelivery for municipality b", () => {
  it("writes B's files, codes and extra column in the Dutch export layout, for the same persons as our delivery", async () => {
    const persons = await lines(join(dir, "b", "Inwoners.csv"), true);
    expect(persons[0]).toBe("Burgerservicenummer;Naam;Straat en huisnummer;Woonplaats;Geb.datum;Geslacht;Herkomstgroep;Postcode;Rijbewijs B");
    const licences = persons.slice(1).map((l) => l.split(";").at(-1));
    const share = licences.filter((v) => v === "J").length / licences.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.9);
    const trajectories = await lines(join(dir, "b", "Trajecten_participatie.csv"), true);
    const codes = new Set(trajectories.slice(1).map((l) => l.split(";")[2]));
    expect(codes).toContain("WF01");
    expect(codes).toContain("BD01");
    const truthB = await lines(join(dir, "b", "truth.csv"), true);
    const secondary = SECONDARY_TRUTH_OUTCOMES.flatMap((o) => B_KEYS.map((k) => secondaryTruthColumn(o, k)));
    expect(truthB[0]?.split(";").slice(1).sort()).toEqual([...B_KEYS.map((k) => `mu_${k}`), ...secondary].sort());
    const truthOurs = await lines(join(dir, "ours", "truth.csv"));
    expect(truthB.slice(1).map((l) => l.split(";")[0])).toEqual(truthOurs.slice(1).map((l) => l.split(",")[0]));
  });

  it("links with its profile and configuration to B's arms, B's features with the licence, and true chances per B trajectory", async () => {
    const schema = TableSchemaSchema.parse(JSON.parse(await readFile(join(dir, "b-out", "schema.json"), "utf8")));
    expect(schema.treatment.arms).toEqual(B_KEYS);
    expect(schema.treatment.control).toBe("basis");
    expect(schema.features.map((f) => f.name)).toEqual(GEMEENTE_B.features.map((f) => f.name));
    expect(schema.features.find((f) => f.name === "rijbewijs")).toEqual({ name: "rijbewijs", type: "binary", group: "mobiliteit" });
    const [header, ...rows] = await lines(join(dir, "b-out", "analysis.csv"));
    const columns = (header ?? "").split(",");
    const at = (c: string) => columns.indexOf(c);
    expect(new Set(rows.map((r) => r.split(",")[at("interventie")]))).toEqual(new Set(B_KEYS));
    expect(new Set(rows.map((r) => r.split(",")[at("rijbewijs")]))).toEqual(new Set(["0", "1", ""]));
    expect(rows.every((r) => r.split(",")[at("mu_werkfit")] !== "")).toBe(true);
    // Linked as completely as our own layout of the same seed (the same persons, the same kind of messiness).
    expect(report.trajectories.written / ourReport.trajectories.written).toBeGreaterThan(0.98);
    expect(report.files.personen?.renamedColumns?.rijbewijs).toBe("Rijbewijs B");
    expect(report.files.trajecten?.mappedCodes).toEqual(["interventie"]);
  });

  it("gives licence holders a higher chance of work, other things equal in the structural model", async () => {
    const [header, ...rows] = await lines(join(dir, "b-out", "analysis.csv"));
    const columns = (header ?? "").split(",");
    const mean = (v: string) => {
      const xs = rows.map((r) => r.split(",")).filter((r) => r[columns.indexOf("rijbewijs")] === v);
      return xs.reduce((s, r) => s + Number(r[columns.indexOf("mu_basis")]), 0) / xs.length;
    };
    expect(mean("1")).toBeGreaterThan(mean("0") + 0.02);
  });
});
