import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGenericTable } from "../../test/fixtures/generic-table.js";
import { makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { encodeTrainingTable, trainBundle } from "../bundle/train.js";
import { fitDrLearner } from "../learners/dr.js";
import type { Row } from "../table/read.js";
import { checkBundleFiles, identifierValueReasons, isElfproef, type StaticCheck, type StaticCheckName } from "./disclosure-check.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;
let copies = 0;

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 600, seed: 31 });
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

/** A copy of the tiny bundle with one file changed by `edit`. */
async function variant(edit: (dir: string) => Promise<void>): Promise<StaticCheck[]> {
  const dir = join(fixture.root, `copy-${++copies}`);
  await cp(fixture.dir, dir, { recursive: true });
  await edit(dir);
  return checkBundleFiles(dir);
}
async function editJson(dir: string, name: string, change: (value: Record<string, unknown>) => void): Promise<void> {
  const value = JSON.parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
  change(value);
  await writeFile(join(dir, name), JSON.stringify(value, null, 2));
}
const failed = (checks: StaticCheck[]): StaticCheckName[] => checks.filter((c) => !c.passed).map((c) => c.name);
const findingsText = (checks: StaticCheck[]): string => JSON.stringify(checks.flatMap((c) => c.findings));

const BSN = "123456782"; // passes the elfproef: 9·1 + 8·2 + … + 2·8 − 2 = 154 = 14 · 11

describe("static disclosure checks", () => {
  it("pass on a freshly trained bundle", async () => {
    const checks = await checkBundleFiles(fixture.dir);
    expect(checks.map((c) => c.name)).toEqual(["record-level-data", "small-counts", "raw-extremes", "identifiers"]);
    expect(failed(checks)).toEqual([]);
  });

  it("pass on a bundle trained on another municipality's generic table whose id column is `id`", async () => {
    const generic = await writeGenericTable({ n: 400, seed: 5 });
    try {
      const { dir } = await trainBundle({ ...generic, outDir: join(generic.root, "bundle"), seed: 5, members: 1, maxEpochs: 2, config: { hidden: [8], headHidden: 4 } });
      const checks = await checkBundleFiles(dir);
      expect(findingsText(checks)).toBe("[]");
      // The catalogue travels in the bundle and is checked like every other file.
      const planted = await variant(async (copy) => {
        await cp(dir, copy, { recursive: true, force: true });
        await editJson(copy, "catalogue.json", (c) => {
          (c.trajectories as { name: { nl: string } }[])[0]!.name.nl = `cliënt ${BSN}`;
        });
      });
      expect(planted.some((c) => c.findings.some((f) => f.file === "catalogue.json" && /elfproef/.test(f.reason)))).toBe(true);
      const extended = await variant(async (copy) => {
        await cp(dir, copy, { recursive: true, force: true });
        await editJson(copy, "catalogue.json", (c) => {
          c.rows = [{ leeftijd: 40 }];
        });
      });
      expect(extended.find((c) => c.name === "record-level-data")?.findings).toEqual([
        { file: "catalogue.json", path: "$", reason: "the catalogue may hold labels and rules only (not a valid catalogue)" },
      ]);
      // A schema is a declaration only as long as it holds nothing but the schema.
      const smuggled = await variant(async (copy) => {
        await cp(dir, copy, { recursive: true, force: true });
        await editJson(copy, "schema.json", (s) => {
          s.extra = { id: 17, leeftijd: 40, wijk: "noord", taal_nl: 1 };
        });
      });
      expect(smuggled.find((c) => c.name === "record-level-data")?.findings).toEqual(
        expect.arrayContaining([{ file: "schema.json", path: "$.extra", reason: "an object keyed by the row id column (looks like a record)" }]),
      );
    } finally {
      await rm(generic.root, { recursive: true, force: true });
    }
  });

  it("pass on a bundle whose learner is the DR-learner over boosted stumps, but not with more trees than a model holds", async () => {
    // The tiny bundle with a dr-trees learner fitted on its own table (as `train --learner dr-trees` writes it).
    const { encoder, data } = encodeTrainingTable(fixture.tiny.schema, fixture.tiny.rows as Row[]);
    const { arms, control } = fixture.tiny.schema.treatment;
    const state = fitDrLearner(data, { kind: "dr-trees", arms, control, outcomeType: "binary", encoder, members: 2, seed: 31, stumps: { minLeaf: 10 } });
    // As many trees as a fit may keep (MAX_TREES, 400), or more: the first arm's list repeated to that length.
    const withCount = (count: number) => {
      const [first, ...others] = state.trees?.[0] ?? [];
      const trees = Array.from({ length: count }, (_, i) => first?.trees[i % Math.max(first.trees.length, 1)]);
      return JSON.stringify({ formatVersion: 1, kind: "dr-trees", state: { ...state, trees: [[{ ...first, trees }, ...others]] }, validation: null });
    };
    const fitted = await variant((dir) => writeFile(join(dir, "learner.json"), withCount(400)));
    expect(findingsText(fitted)).toBe("[]");
    // A longer tree list is no model a fit makes: a per-row array in disguise.
    const padded = await variant((dir) => writeFile(join(dir, "learner.json"), withCount(600)));
    expect(failed(padded)).toEqual(["record-level-data"]);
  });

  it("fail record-level-data for a planted CSV file", async () => {
    const checks = await variant((dir) => writeFile(join(dir, "rows.csv"), "a,b,c\n1,2,3\n"));
    expect(failed(checks)).toEqual(["record-level-data"]);
    expect(checks[0]?.findings[0]).toMatchObject({ file: "rows.csv", path: "(file)" });
  });

  it("fail record-level-data for records in JSON and for a per-row array", async () => {
    const checks = await variant(async (dir) => {
      const rows = fixture.tiny.rows.slice(0, 3).map((r) => ({ leeftijdsklasse: r.leeftijdsklasse, regio: r.regio, opleiding: r.opleiding }));
      await writeFile(join(dir, "extra.json"), JSON.stringify({ rows }));
      await editJson(dir, "metrics.json", (m) => {
        m.test = { predicted: fixture.tiny.rows.map((_, i) => i / 1000) };
      });
    });
    expect(failed(checks)).toEqual(["record-level-data"]);
    const findings = checks[0]?.findings ?? [];
    expect(findings.some((f) => f.file === "extra.json" && f.path === "$.rows[0]" && /record/.test(f.reason))).toBe(true);
    expect(findings.some((f) => f.file === "metrics.json" && f.path === "$.test.predicted" && /array of 600/.test(f.reason))).toBe(true);
  });

  it("fail record-level-data when the encoder holds more than levels, means and scales", async () => {
    const checks = await variant((dir) =>
      editJson(dir, "encoder.json", (e) => {
        e.trainingRows = [[1, 2, 3]];
      }),
    );
    expect(failed(checks)).toContain("record-level-data");
  });

  it("fail small-counts for a reference count below 10", async () => {
    const checks = await variant((dir) =>
      editJson(dir, "reference.json", (r) => {
        const cells = r.cells as Record<string, Record<string, number | null>>;
        const first = Object.values(cells)[0] ?? {};
        const arm = Object.keys(first)[0] ?? "regulier";
        first[arm] = 7;
      }),
    );
    expect(failed(checks)).toEqual(["small-counts"]);
    expect(checks[1]?.findings[0]?.file).toBe("reference.json");
  });

  it("fail small-counts for a model-card group of fewer than 10", async () => {
    const checks = await variant((dir) =>
      editJson(dir, "model-card.json", (card) => {
        const data = card.data as { rowsPerArm: Record<string, number | null> };
        data.rowsPerArm.scholing = 3;
      }),
    );
    expect(failed(checks)).toEqual(["small-counts"]);
  });

  it("fail raw-extremes for a raw min/max", async () => {
    const checks = await variant((dir) =>
      editJson(dir, "reference.json", (r) => {
        const percentiles = r.percentiles as Record<string, Record<string, Record<string, number>>>;
        const arm = Object.values(percentiles)[0] ?? {};
        const feature = Object.values(arm)[0] ?? {};
        feature.min = 0;
        feature.max = 41;
      }),
    );
    expect(failed(checks)).toEqual(["raw-extremes"]);
    expect(checks[2]?.findings).toHaveLength(2);
  });

  it("fail identifiers for a planted BSN, never echoing it", async () => {
    const checks = await variant(async (dir) => {
      const md = await readFile(join(dir, "model-card.md"), "utf8");
      await writeFile(join(dir, "model-card.md"), `${md}\nExample client ${BSN}.\n`);
      await editJson(dir, "model-card.json", (card) => {
        card.purpose = `for client ${BSN}`;
      });
    });
    expect(failed(checks)).toEqual(["identifiers"]);
    const findings = checks[3]?.findings ?? [];
    expect(findings.map((f) => f.file).sort()).toEqual(["model-card.json", "model-card.md"]);
    expect(findingsText(checks)).not.toContain(BSN);
  });

  it("fail identifiers for a pseudonym, postcode or birth date in a key or value, never echoing them", async () => {
    const hex = "ab".repeat(32);
    const checks = await variant((dir) =>
      editJson(dir, "reference.json", (r) => {
        const cells = r.cells as Record<string, unknown>;
        cells["1234 AB"] = { regulier: 12 };
        r.note = `${hex} 1987-03-14`;
      }),
    );
    expect(failed(checks)).toEqual(["identifiers"]);
    const text = findingsText(checks);
    for (const secret of [hex, "1234 AB", "1987-03-14"]) expect(text).not.toContain(secret);
    const reasons = (checks[3]?.findings ?? []).map((f) => f.reason).join(" ");
    expect(reasons).toMatch(/postcode/);
    expect(reasons).toMatch(/64-hex/);
    expect(reasons).toMatch(/date/);
  });

  it("fail identifiers for an identifier-like column used as a feature", async () => {
    const checks = await variant((dir) =>
      editJson(dir, "schema.json", (s) => {
        const features = s.features as { name: string }[];
        features.push({ name: "geboortedatum" });
        features.push({ name: "client_id" });
      }),
    );
    expect(failed(checks)).toContain("identifiers");
    expect((checks[3]?.findings ?? []).length).toBeGreaterThanOrEqual(2);
  });
});

describe("identifier values", () => {
  it("checks the elfproef", () => {
    expect(isElfproef(BSN)).toBe(true);
    expect(isElfproef("123456789")).toBe(false);
    expect(isElfproef("000000000")).toBe(false);
    expect(isElfproef("12345678")).toBe(false);
  });
  it("ignores timestamps, decimals, versions and checksums", () => {
    expect(identifierValueReasons("2026-11-25T13:14:12.000Z")).toEqual([]);
    expect(identifierValueReasons("0.123456782")).toEqual([]);
    expect(identifierValueReasons("reintegration-20261125-131412-06947f60")).toEqual([]);
    expect(identifierValueReasons("cd".repeat(32), { checksum: true })).toEqual([]);
  });
  it("finds postcodes with and without a space", () => {
    expect(identifierValueReasons("3011AB")).toHaveLength(1);
    expect(identifierValueReasons("in 3011 AB Rotterdam")).toHaveLength(1);
    expect(identifierValueReasons("3011 SS")).toEqual([]);
  });
});
