import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROFILE } from "../../test/fixtures/client-profile.js";
import { SchemaError } from "../errors.js";
import type { TableSchema } from "../table-schema.js";
import {
  applyWhatIf,
  catalogueForSchema,
  eligibilityFor,
  profileSchemaFor,
  restrictCatalogue,
  ruleHolds,
  whatIfsFor,
} from "./catalogue.js";
import { loadMunicipalConfig, MUNICIPALITY_CONFIG_ENV } from "./load.js";
import { CatalogueSchema, defaultCatalogue, type MunicipalConfigInput } from "./municipality.js";

const tiny = (): MunicipalConfigInput => ({
  version: 1,
  control: "basis",
  trajectories: [
    { key: "basis", name: { nl: "Basis", en: "Basic" } },
    {
      key: "werkfit",
      name: { nl: "Werkfit", en: "Work-fit" },
      eligibility: { rule: { all: [{ feature: "uren", atMost: 20 }] }, text: { nl: "Alleen tot 20 uur.", en: "Only up to 20 hours." } },
    },
  ],
  outcomes: { primary: { column: "werk", type: "binary", label: { nl: "Werk", en: "Work" } } },
  groups: [{ key: "werk", label: { nl: "werk", en: "work" } }],
  features: [{ name: "uren", type: "numeric", group: "werk", label: { nl: "Uren", en: "Hours" }, range: [0, 40] }],
});

describe("municipal configuration", () => {
  it("the default file is today's catalogue: 8 trajectories, regulier the control, 20 features, 3 what-ifs", () => {
    const c = defaultCatalogue();
    expect(c.trajectories.map((t) => t.key)).toEqual([
      "regulier",
      "jobcoaching",
      "scholing",
      "werkervaringsplaats",
      "loonkostensubsidie",
      "schuldhulp",
      "participatieplek",
      "taaltraject",
    ]);
    expect(c.control).toBe("regulier");
    expect(c.features).toHaveLength(20);
    expect(c.outcomes.primary.column).toBe("werk_12m");
    expect(c.whatIfs.map((w) => w.key)).toEqual(["schulden_opgelost", "taaleis_voldaan", "opleiding_afgerond"]);
  });

  it("eligibility texts never name a raw variable", () => {
    const names = defaultCatalogue().features.map((f) => f.name);
    for (const t of defaultCatalogue().trajectories) {
      for (const text of Object.values(t.eligibility?.text ?? {})) for (const n of names) expect(text).not.toContain(n);
    }
  });

  it("refuses cross-reference mistakes with the path", () => {
    const bad = tiny();
    bad.control = "onbekend";
    expect(CatalogueSchema.safeParse(bad).error?.issues[0]?.path).toEqual(["control"]);
    const badRule = tiny();
    badRule.trajectories[1] = { ...badRule.trajectories[1]!, eligibility: { rule: { feature: "leeftijd", equals: 1 }, text: { nl: "x", en: "x" } } };
    expect(CatalogueSchema.safeParse(badRule).error?.issues[0]?.message).toContain('"leeftijd" is not declared');
    // A generic table's arm may be any text; its generic catalogue must accept it.
    expect(CatalogueSchema.safeParse({ ...tiny(), control: "Basis traject", trajectories: [{ key: "Basis traject", name: { nl: "B", en: "B" } }, tiny().trajectories[1]] }).success).toBe(true);
    const extraKey = { ...tiny(), rows: [{ uren: 3 }] };
    expect(CatalogueSchema.safeParse(extraKey).success).toBe(false);
  });

  it("loads a deployment's file and names the file and key of a mistake", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tw-config-"));
    const good = join(dir, "good.json");
    await writeFile(good, JSON.stringify(tiny()));
    expect((await loadMunicipalConfig(good)).trajectories[1]?.key).toBe("werkfit");
    // A deployment names its file in MUNICIPALITY_CONFIG; without it the repository's default applies.
    const before = process.env[MUNICIPALITY_CONFIG_ENV];
    try {
      process.env[MUNICIPALITY_CONFIG_ENV] = good;
      expect((await loadMunicipalConfig()).control).toBe("basis");
      delete process.env[MUNICIPALITY_CONFIG_ENV];
      expect(await loadMunicipalConfig()).toBe(defaultCatalogue());
    } finally {
      if (before === undefined) delete process.env[MUNICIPALITY_CONFIG_ENV];
      else process.env[MUNICIPALITY_CONFIG_ENV] = before;
    }
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ ...tiny(), features: [{ ...tiny().features[0], range: [40, 0] }] }));
    await expect(loadMunicipalConfig(bad)).rejects.toThrow(/bad\.json: features\.0\.range: .*lowest/);
  });
});

describe("rules, what-ifs and profiles from a catalogue", () => {
  it("eligibility: the default rules exclude taaltraject when the requirement is met, schuldhulp without debts", () => {
    const c = defaultCatalogue();
    const met = eligibilityFor(c, PROFILE);
    expect(met.taaltraject?.nl).toMatch(/taaleis/);
    expect(met.schuldhulp).toBeNull();
    const noDebts = eligibilityFor(c, { ...PROFILE, problematische_schulden: 0, taaleis_voldaan: 0 });
    expect(noDebts.schuldhulp?.en).toMatch(/debt/);
    expect(noDebts.taaltraject).toBeNull();
    // Nobody is excluded for lack of data.
    expect(eligibilityFor(c, { ...PROFILE, taaleis_voldaan: null }).taaltraject).toBeNull();
  });

  it("rule language: all, any, in, ranges", () => {
    const rule = { all: [{ feature: "a", in: ["x", "y"] }, { any: [{ feature: "b", atLeast: 3 }, { feature: "c", equals: 1 }] }] };
    expect(ruleHolds(rule, { a: "x", b: 4, c: 0 })).toBe(true);
    expect(ruleHolds(rule, { a: "z", b: 4, c: 0 })).toBe(false);
    expect(ruleHolds(rule, { a: "y", b: 2, c: 0 })).toBe(false);
    expect(ruleHolds(rule, { a: "y", b: "2", c: "1" })).toBe(true);
  });

  it("what-ifs apply only when they change a known fact; next level stops at the top", () => {
    const [debts, language, education] = whatIfsFor(defaultCatalogue());
    expect(applyWhatIf(debts!, PROFILE)).toMatchObject({ problematische_schulden: 0 });
    expect(applyWhatIf(language!, PROFILE)).toBeNull();
    expect(applyWhatIf(education!, PROFILE)).toMatchObject({ opleiding: "havo_vwo" });
    expect(applyWhatIf(education!, { ...PROFILE, opleiding: "hbo_wo" })).toBeNull();
    expect(applyWhatIf(debts!, { ...PROFILE, problematische_schulden: null })).toBeNull();
  });

  it("profile schema: values, ranges and unknowns only where the catalogue allows", () => {
    const schema = profileSchemaFor(defaultCatalogue());
    expect(schema.safeParse(PROFILE).success).toBe(true);
    expect(schema.safeParse({ ...PROFILE, regio: "mars" }).success).toBe(false);
    expect(schema.safeParse({ ...PROFILE, maanden_gewerkt_5j: 61 }).success).toBe(false);
    expect(schema.safeParse({ ...PROFILE, maanden_gewerkt_5j: "" }).success).toBe(false);
    const open = profileSchemaFor(CatalogueSchema.parse({ ...tiny(), features: [{ ...tiny().features[0], unknownAllowed: true }] }));
    expect(open.parse({ uren: "" })).toEqual({ uren: null });
    expect(open.parse({ uren: "12" })).toEqual({ uren: 12 });
    expect(open.safeParse({ uren: 41 }).success).toBe(false);
  });
});

describe("the catalogue of a table", () => {
  const other: TableSchema = {
    name: "werkfit",
    id: "id",
    treatment: { column: "instrument", arms: ["basis", "werkfit", "jobhunting"], control: "basis" },
    outcome: { column: "werk", type: "binary" },
    features: [
      { name: "leeftijd", type: "numeric" },
      { name: "wijk", type: "categorical" },
    ],
  };

  it("a table the configuration does not describe gets generic defaults: labels are column names, no rules, no what-ifs", () => {
    const { catalogue, source, mismatch } = catalogueForSchema(other, { config: defaultCatalogue(), levels: { wijk: ["centrum", "unknown"] } });
    expect(source).toBe("generic");
    expect(mismatch).toMatch(/basis/);
    expect(catalogue.trajectories.map((t) => [t.key, t.name.nl, t.eligibility])).toEqual([
      ["basis", "basis", undefined],
      ["werkfit", "werkfit", undefined],
      ["jobhunting", "jobhunting", undefined],
    ]);
    expect(catalogue.features.find((f) => f.name === "wijk")?.values?.map((v) => v.value)).toEqual(["centrum"]);
    expect(catalogue.whatIfs).toEqual([]);
    expect(profileSchemaFor(catalogue).parse({ leeftijd: "", wijk: "centrum" })).toEqual({ leeftijd: null, wijk: "centrum" });
  });

  it("a table with part of the default arms and features gets the default's part, rules on absent facts dropped", () => {
    const c = defaultCatalogue();
    const schema: TableSchema = {
      name: "deel",
      treatment: { column: "interventie", arms: ["regulier", "schuldhulp", "taaltraject"], control: "regulier" },
      outcome: { column: "uitstroom_12m", type: "binary" },
      features: [
        { name: "problematische_schulden", type: "binary" },
        { name: "opleiding", type: "categorical" },
      ],
    };
    const { catalogue, source } = catalogueForSchema(schema, { config: c });
    expect(source).toBe("config");
    expect(catalogue.trajectories.map((t) => t.key)).toEqual(["regulier", "schuldhulp", "taaltraject"]);
    // schuldhulp's rule also reads schuldhulp_eerder, which this table lacks.
    expect(catalogue.trajectories.map((t) => Boolean(t.eligibility))).toEqual([false, false, false]);
    expect(catalogue.whatIfs.map((w) => w.key)).toEqual(["schulden_opgelost", "opleiding_afgerond"]);
    expect(catalogue.outcomes.primary.label.nl).toMatch(/Uitkering/);
    expect(catalogue.groups.map((g) => g.key).sort()).toEqual(["opleiding", "schulden"]);
    expect(() => restrictCatalogue(c, other)).toThrow(SchemaError);
  });
});
