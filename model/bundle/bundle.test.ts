import { createHash } from "node:crypto";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERIC_SCHEMA, writeGenericTable } from "../../test/fixtures/generic-table.js";
import { clientFrom, makeTinyBundle } from "../../test/fixtures/tiny-bundle.js";
import { CatalogueSchema, defaultCatalogue, type MunicipalConfigInput } from "../config/municipality.js";
import { recommend } from "../recommend/recommend.js";
import { BundleError, SchemaError } from "../errors.js";
import { predictTable } from "../recommend/predict-table.js";
import { disposeBundle, loadBundle, REQUIRED_FILES, writeBundleFile } from "./bundle.js";
import { trainBundle } from "./train.js";
import { ARCHITECTURE, INTERVAL, PERFORMANCE_SPLIT } from "./learner-card-text.js";
import { ModelCardSchema } from "./model-card.js";
import { LEARNER_FILE, LearnerFileSchema } from "../learners/index.js";
import { linearLearner } from "../learners/linear.js";
import { encodeRows } from "../table/encoder.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;

beforeAll(async () => {
  fixture = await makeTinyBundle({ n: 700, seed: 21 });
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

const copyBundle = async (name: string) => {
  const dir = join(fixture.root, name);
  await cp(fixture.dir, dir, { recursive: true });
  return dir;
};

describe("bundle", () => {
  it("has every file, a version and a model card", async () => {
    expect(fixture.version).toMatch(/^reintegration-\d{8}-\d{6}-[0-9a-f]{8}$/);
    const bundle = await loadBundle(fixture.dir);
    expect(bundle.version).toBe(fixture.version);
    expect(bundle.schema.name).toBe("reintegration");
    expect(bundle.manifest.files.map((f) => f.path).sort()).toEqual([...REQUIRED_FILES, "training-data.json", "baseline.json", "catalogue.json", "learner.json", "secondary.json"].sort());
    const recorded = JSON.parse(await readFile(join(fixture.dir, "training-data.json"), "utf8"));
    expect(recorded.sha256).toBe(createHash("sha256").update(await readFile(fixture.table)).digest("hex"));
    expect(bundle.modelCard.featuresNotUsed.map((f) => f.name)).toEqual(expect.arrayContaining(["herkomst", "geslacht", "mu_regulier"]));
    const md = await readFile(join(fixture.dir, "model-card.md"), "utf8");
    expect(md).toContain("## Columns deliberately not used");
    disposeBundle(bundle);
  });

  it("save → load gives identical predictions", async () => {
    const a = await loadBundle(fixture.dir);
    const moved = await copyBundle("moved");
    const b = await loadBundle(moved);
    const rows = fixture.tiny.rows.slice(0, 50);
    expect(predictTable(b, rows).mean).toEqual(predictTable(a, rows).mean);
    disposeBundle(a);
    disposeBundle(b);
  });

  it("keeps only aggregated counts of at least 10, and percentiles", async () => {
    const bundle = await loadBundle(fixture.dir);
    const counts = [
      ...Object.values(bundle.reference.arms),
      ...Object.values(bundle.reference.cells).flatMap((c) => Object.values(c)),
    ];
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) expect(c === null || c >= 10).toBe(true);
    const text = await readFile(join(fixture.dir, "reference.json"), "utf8");
    expect(text).not.toMatch(/"min"|"max"|p\d{6}/);
    disposeBundle(bundle);
  });

  it("refuses a tampered file, naming it", async () => {
    const dir = await copyBundle("tampered");
    const file = join(dir, "calibration.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"a": 1', '"a": 2').replace(/"b": -?\d/, '"b": 9'));
    await expect(loadBundle(dir)).rejects.toThrow(BundleError);
    await expect(loadBundle(dir)).rejects.toThrow(/calibration\.json: checksum mismatch/);
  });

  it("refuses a partial bundle, a missing manifest and another format version", async () => {
    const partial = await copyBundle("partial");
    await rm(join(partial, "weights.bin"));
    await expect(loadBundle(partial)).rejects.toThrow(/weights\.bin: partial bundle, file is missing/);

    const noManifest = await copyBundle("no-manifest");
    await rm(join(noManifest, "manifest.json"));
    await expect(loadBundle(noManifest)).rejects.toThrow(/not a model bundle \(manifest\.json is missing\)/);

    const other = await copyBundle("other-version");
    const manifestFile = join(other, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(loadBundle(other)).rejects.toThrow(/format version 99 is not supported/);

    const unlisted = await copyBundle("unlisted");
    await writeFile(manifestFile.replace("other-version", "unlisted"), JSON.stringify({ ...manifest, files: manifest.files.slice(1) }));
    await expect(loadBundle(unlisted)).rejects.toThrow(BundleError);
  });

  it("writeBundleFile adds a file and keeps the manifest valid", async () => {
    const dir = await copyBundle("with-report");
    await writeBundleFile(dir, "disclosure-check.json", JSON.stringify({ passed: true }));
    const bundle = await loadBundle(dir);
    expect(bundle.manifest.files.some((f) => f.path === "disclosure-check.json")).toBe(true);
    disposeBundle(bundle);
    await expect(writeBundleFile(dir, "../evil.json", "{}")).rejects.toThrow(BundleError);
  });

  it("never uses the truth columns: changing them gives the same weights", async () => {
    const changed = fixture.tiny.csv
      .split("\n")
      .map((line, i) => {
        if (i === 0 || line === "") return line;
        const cells = line.split(",");
        // truth columns are the last arms.length cells
        const k = fixture.tiny.schema.treatment.arms.length;
        return [...cells.slice(0, cells.length - k), ...cells.slice(cells.length - k).map(() => "0.5")].join(",");
      })
      .join("\n");
    const table = join(fixture.root, "truth-changed.csv");
    await writeFile(table, changed);
    const out = await trainBundle({
      table,
      schema: fixture.schema,
      outDir: join(fixture.root, "truth-changed"),
      seed: 21,
      members: 2,
      maxEpochs: 2,
      config: { hidden: [16, 16], headHidden: 8 },
    });
    const hash = async (dir: string) => createHash("sha256").update(await readFile(join(dir, "weights.bin"))).digest("hex");
    expect(await hash(out.dir)).toBe(await hash(fixture.dir));
    expect(out.version.slice(-8)).toBe(fixture.version.slice(-8));
    // The learner's choice and its validation read no truth column either (timings aside).
    const learner = async (dir: string) =>
      JSON.stringify(JSON.parse(await readFile(join(dir, "learner.json"), "utf8")), (key, value: unknown) => (key === "seconds" ? 0 : value));
    expect(await learner(out.dir)).toBe(await learner(fixture.dir));
  }, 240_000);

  it("trains, saves and loads a continuous-outcome bundle", async () => {
    const c = await makeTinyBundle({ n: 700, seed: 22, outcome: "continuous" });
    const bundle = await loadBundle(c.dir);
    expect(bundle.schema.outcome.type).toBe("continuous");
    expect(bundle.model.outcomeScale.sd).toBeGreaterThan(0);
    const p = predictTable(bundle, c.tiny.rows.slice(0, 30));
    const mean = p.mean.flat().reduce((s, v) => s + v, 0) / p.mean.flat().length;
    expect(mean).toBeGreaterThan(1); // on the outcome's own scale (hours), not 0..1
    disposeBundle(bundle);
    await rm(c.root, { recursive: true, force: true });
  });

  it("a validated learner predicts with the validation's shrinkage of the arms' average gains, and the model card shows it", async () => {
    const out = await trainBundle({
      table: fixture.table,
      schema: fixture.schema,
      outDir: join(fixture.root, "shrunk"),
      seed: 21,
      members: 2,
      maxEpochs: 2,
      config: { hidden: [16, 16], headHidden: 8 },
      learner: "t-linear",
      baseline: false,
    });
    const file = LearnerFileSchema.parse(JSON.parse(await readFile(join(out.dir, LEARNER_FILE), "utf8")));
    const shrinkage = file.validation?.shrinkage;
    if (!shrinkage || file.state?.kind !== "t-linear") throw new Error("expected a validated t-linear learner with shrinkage");
    expect(shrinkage.arms.map((a) => a.arm)).toEqual(fixture.tiny.schema.treatment.arms.filter((a) => a !== fixture.tiny.schema.treatment.control));
    expect(shrinkage.arms.some((a) => Math.abs(a.offset) > 1e-6)).toBe(true);
    const bundle = await loadBundle(out.dir);
    try {
      const rows = fixture.tiny.rows.slice(0, 40);
      const x = encodeRows(bundle.encoder, rows);
      const plain = linearLearner(file.state, bundle.encoder).predict(x, rows.length);
      const shipped = bundle.learner.predict(x, rows.length);
      const arms = bundle.schema.treatment.arms;
      for (let i = 0; i < rows.length; i++) {
        arms.forEach((arm, k) => {
          const offset = shrinkage.arms.find((a) => a.arm === arm)?.offset ?? 0;
          const o = i * arms.length + k;
          expect(shipped.gain[o]).toBeCloseTo(Math.min(1, Math.max(-1, (plain.gain[o] ?? 0) + offset)), 5);
          expect(shipped.mean[o]).toBeCloseTo(Math.min(1, Math.max(0, (plain.mean[o] ?? 0) + offset)), 5);
        });
      }
      const markdown = await readFile(join(out.dir, "model-card.md"), "utf8");
      expect(markdown).toContain("| arm | average gain (standard error) | shrunk by | learner's average gain | shift |");
      // The card describes and measures the learner that predicts, not the network beside it: its
      // performance on every training row from the validation's out-of-fold fits.
      const card = ModelCardSchema.parse(JSON.parse(await readFile(join(out.dir, "model-card.json"), "utf8")));
      expect(card.model.architecture).toBe(ARCHITECTURE["t-linear"].en);
      expect(card.performance.split).toBe("cross-fitted");
      expect(card.performance.overall.rows).toBe(fixture.tiny.rows.length);
      expect(Object.values(card.performance.perArm).reduce((s, p) => s + (p.rows ?? 0), 0)).toBe(fixture.tiny.rows.length);
      expect(card.limits).toContain(INTERVAL["t-linear"].en);
      expect(card.limits).toContain(PERFORMANCE_SPLIT["cross-fitted"].en);
      expect(markdown).toContain("## Performance (cross-fitted, every training row)");
    } finally {
      disposeBundle(bundle);
    }
  }, 240_000);

  it("a network bundle's card describes the network and measures it on its early-stopping split", async () => {
    const card = ModelCardSchema.parse(JSON.parse(await readFile(join(fixture.dir, "model-card.json"), "utf8")));
    expect(card.model.architecture).toBe(ARCHITECTURE.network.en);
    expect(card.performance.split).toBe("validation");
    expect(card.performance.overall.rows).toBeLessThan(fixture.tiny.rows.length / 2);
    expect(card.limits).toContain(INTERVAL.network.en);
    expect(card.limits).toContain(PERFORMANCE_SPLIT.validation.en);
  });

  it("refuses to overwrite a directory that is not a bundle", async () => {
    await expect(
      trainBundle({ table: fixture.table, schema: fixture.schema, outDir: fixture.root, members: 1, maxEpochs: 1 }),
    ).rejects.toThrow(/exists and is not a model bundle/);
  });
});

describe("the catalogue in the bundle", () => {
  it("a bundle on the default table carries the default configuration's catalogue, checksummed", async () => {
    const bundle = await loadBundle(fixture.dir);
    try {
      expect(bundle.catalogue.trajectories.map((t) => t.name.nl)).toEqual(defaultCatalogue().trajectories.map((t) => t.name.nl));
      expect(bundle.catalogue.whatIfs.map((w) => w.key)).toEqual(["schulden_opgelost", "taaleis_voldaan", "opleiding_afgerond"]);
      expect(bundle.manifest.files.find((f) => f.path === "catalogue.json")?.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      disposeBundle(bundle);
    }
    const tampered = await copyBundle("catalogue-tampered");
    const file = join(tampered, "catalogue.json");
    await writeFile(file, (await readFile(file, "utf8")).replace("Taaltraject", "Taalcursus"));
    await expect(loadBundle(tampered)).rejects.toThrow(/catalogue\.json: checksum mismatch/);
  });

  it("loads a bundle made before catalogues travelled with it, deriving the same catalogue", async () => {
    const dir = await copyBundle("no-catalogue");
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, files: manifest.files.filter((f: { path: string }) => f.path !== "catalogue.json") }));
    await rm(join(dir, "catalogue.json"));
    const [old, current] = [await loadBundle(dir), await loadBundle(fixture.dir)];
    expect(old.catalogue).toEqual(current.catalogue);
    expect(recommend(old, clientFrom(fixture.tiny, 3), { explain: false })).toEqual(recommend(current, clientFrom(fixture.tiny, 3), { explain: false }));
    disposeBundle(old);
    disposeBundle(current);
  });

  it("refuses a catalogue that does not describe the schema", async () => {
    const dir = await copyBundle("catalogue-mismatch");
    const catalogue = JSON.parse(await readFile(join(dir, "catalogue.json"), "utf8"));
    catalogue.features = catalogue.features.slice(1);
    await writeBundleFile(dir, "catalogue.json", JSON.stringify(catalogue));
    await expect(loadBundle(dir)).rejects.toThrow(/catalogue\.json: does not match schema\.json \(its features/);
  });

  it("another municipality's table: generic defaults, or its own configuration with --config", async () => {
    const generic = await writeGenericTable({ n: 400, seed: 9 });
    const train = (name: string, extra: Partial<Parameters<typeof trainBundle>[0]> = {}) =>
      trainBundle({ ...generic, outDir: join(generic.root, name), seed: 9, members: 1, maxEpochs: 2, config: { hidden: [8], headHidden: 4 }, ...extra });
    try {
      const plainResult = await train("plain");
      expect(plainResult.catalogue).toEqual({ source: "generic", mismatch: expect.stringMatching(/"basis".* not in the configuration/) });
      const plain = await loadBundle(plainResult.dir);
      expect(plain.catalogue.trajectories.map((t) => [t.key, t.name.nl, t.eligibility])).toEqual(
        GENERIC_SCHEMA.treatment.arms.map((a) => [a, a, undefined]),
      );
      expect(plain.catalogue.features.map((f) => f.label.en)).toEqual(GENERIC_SCHEMA.features.map((f) => f.name));
      expect(plain.catalogue.features.find((f) => f.name === "wijk")?.values?.map((v) => v.value).sort()).toEqual(["centrum", "noord", "oost", "zuid"]);
      const advice = recommend(plain, { leeftijd: 30, wijk: "noord", taal_nl: 0, uren_vrijwilligerswerk: 2 }, { explain: false });
      expect(advice.whatIfs).toEqual([]);
      expect(advice.arms.every((a) => a.eligible)).toBe(true);
      disposeBundle(plain);

      const own: MunicipalConfigInput = {
        version: 1,
        control: "basis",
        trajectories: [
          { key: "basis", name: { nl: "Basisdienstverlening", en: "Basic services" } },
          { key: "werkfit", name: { nl: "Werkfit", en: "Work-fit" } },
          {
            key: "jobhunting",
            name: { nl: "Jobhunting", en: "Job hunting" },
            eligibility: { rule: { feature: "taal_nl", equals: 1 }, text: { nl: "Alleen wie Nederlands spreekt.", en: "Only for Dutch speakers." } },
          },
          { key: "participatieplaats", name: { nl: "Participatieplaats", en: "Participation placement" } },
        ],
        outcomes: { primary: { column: "werk", type: "binary", label: { nl: "Werk", en: "Work" } } },
        groups: [{ key: "persoon", label: { nl: "persoon", en: "person" } }],
        features: GENERIC_SCHEMA.features.map((f) => ({ name: f.name, type: f.type, group: "persoon", label: { nl: `${f.name} (nl)`, en: `${f.name} (en)` } })),
        whatIfs: [{ key: "taal_geleerd", label: { nl: "Stel: spreekt Nederlands", en: "Suppose: speaks Dutch" }, set: [{ feature: "taal_nl", value: 1 }] }],
      };
      const configuredResult = await train("configured", { catalogue: CatalogueSchema.parse(own) });
      expect(configuredResult.catalogue).toEqual({ source: "config", mismatch: null });
      const configured = await loadBundle(configuredResult.dir);
      expect(configured.catalogue.trajectories[0]?.name.nl).toBe("Basisdienstverlening");
      const advice2 = recommend(configured, { leeftijd: 30, wijk: "noord", taal_nl: 0, uren_vrijwilligerswerk: 2 }, { explain: false });
      expect(advice2.arms.find((a) => a.arm === "jobhunting")).toMatchObject({ eligible: false, excludedBy: "Alleen wie Nederlands spreekt." });
      expect(advice2.whatIfs.map((w) => w.key)).toEqual(["taal_geleerd"]);
      // Explanations are grouped as the configuration groups the features.
      const explained = recommend(configured, { leeftijd: 30, wijk: "noord", taal_nl: 0, uren_vrijwilligerswerk: 2 }, { steps: 2 });
      const groups = new Set(explained.arms.flatMap((a) => a.reasons.map((r) => r.group)));
      expect([...groups]).toEqual(["persoon"]);
      disposeBundle(configured);

      // A configuration given on purpose must describe the table: refused before any training.
      await expect(train("wrong", { catalogue: defaultCatalogue() })).rejects.toThrow(SchemaError);
    } finally {
      await rm(generic.root, { recursive: true, force: true });
    }
  });
});

