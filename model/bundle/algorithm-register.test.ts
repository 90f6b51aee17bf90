import { describe, expect, it } from "vitest";
import {
  type AlgorithmRegisterEntry,
  algorithmRegisterEntry,
  algorithmRegisterMarkdown,
  fieldsToFill,
  PLACEHOLDER,
  REGISTER_FIELDS,
  REQUIRED_FIELDS,
  SHORT_DESCRIPTION_MAX,
} from "./algorithm-register.js";
import { CatalogueSchema, defaultCatalogue } from "../config/municipality.js";
import { ARCHITECTURE } from "./learner-card-text.js";
import type { ModelCard } from "./model-card.js";

const perf = { rows: 200, auc: 0.71, brier: 0.18, ece: 0.03, rmse: null };
const card: ModelCard = {
  version: "reintegration-20260101-000000-abcdef12",
  createdAt: "2026-01-01T00:00:00.000Z",
  purpose: "p",
  intendedUse: "u",
  notIntendedFor: ["sanctions", "ranking"],
  model: {
    architecture: "tarnet",
    members: 3,
    outcome: { column: "werk_12m", type: "binary" },
    arms: ["regulier", "jobcoaching", "schuldhulp"],
    control: "regulier",
    backend: "cpu",
    seed: 1,
  },
  data: { table: "analysis.csv", rows: 1000, rowsPerArm: { regulier: 500, jobcoaching: 300, schuldhulp: 200 }, validationShare: 0.2 },
  featuresUsed: [
    { name: "regio", type: "categorical", group: "regio" },
    { name: "problematische_schulden", type: "binary", group: "schulden" },
  ],
  featuresNotUsed: [
    { name: "pseudonym", reason: "pseudonym / row id" },
    { name: "herkomst", reason: "audit only: kept to check fairness per group, never a model feature" },
  ],
  performance: { split: "validation", overall: perf, perArm: { regulier: perf }, perGroup: {} },
  limits: [],
};

/** The machine-readable field names of the Algoritmeregister publication standard 1.0.0, in its order. */
const STANDARD_1_0_0_FIELDS = [
  "name",
  "description_short",
  "organization",
  "category",
  "status",
  "begin_date",
  "end_date",
  "contact_email",
  "website",
  "publication_category",
  "url",
  "goal",
  "proportionality",
  "human_intervention",
  "risks",
  "lawful_basis",
  "lawful_basis_grouping",
  "process_index_url",
  "impacttoetsen_grouping",
  "impacttoetsen",
  "source_data",
  "source_data_grouping",
  "methods_and_models",
  "provider",
  "publiccode",
  "lang",
  "standard_version",
  "source_id",
  "tags",
];

describe("algorithm register entry", () => {
  const entry = algorithmRegisterEntry(card, {
    status: "active",
    disclosureStatus: "unchecked",
    dataHash: "a".repeat(64),
    activatedAt: new Date("2026-03-15T10:00:00Z"),
  });

  it("uses exactly the publication standard's field names, in its order", () => {
    expect(Object.keys(entry)).toEqual(STANDARD_1_0_0_FIELDS);
    expect(REGISTER_FIELDS.map((f) => f.key)).toEqual(STANDARD_1_0_0_FIELDS);
    expect(entry.standard_version).toBe("1.0.0");
    expect(entry.lang).toBe("nld");
  });

  it("fills every field the standard requires (with a value or the placeholder)", () => {
    for (const key of REQUIRED_FIELDS) expect(String(entry[key]).length, key).toBeGreaterThan(0);
  });

  it("keeps the short description under 350 characters, in plain Dutch", () => {
    expect(entry.description_short.length).toBeLessThan(SHORT_DESCRIPTION_MAX);
    expect(entry.description_short).toMatch(/klantmanager/);
    expect(entry.description_short).not.toMatch(/TARNet|AUC|propensity/);
  });

  it("marks fields that need a person's judgement as to be filled, never invented", () => {
    const open = fieldsToFill(entry);
    for (const key of ["proportionality", "lawful_basis", "publication_category", "organization", "contact_email", "process_index_url"]) {
      expect(open, key).toContain(key);
    }
    // IAMA and DPIA: named, their links and status to be filled; the objection procedure too.
    expect(entry.impacttoetsen_grouping.map((t) => t.title)).toEqual([
      "Data Protection Impact Assessment (DPIA)",
      "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
    ]);
    expect(open).toContain("impacttoetsen_grouping.0.link");
    expect(open).toContain("impacttoetsen_grouping.1.link");
    expect(open).toContain("impacttoetsen");
    expect(entry.human_intervention).toMatch(new RegExp(`Bezwaar.*${PLACEHOLDER}`));
    // What the card knows is filled in.
    for (const key of ["name", "description_short", "goal", "risks", "source_data", "methods_and_models", "status", "begin_date"]) {
      expect(open, key).not.toContain(key);
    }
  });

  it("uses the organisation and contact when configured, and the registry's dates", () => {
    const configured = algorithmRegisterEntry(card, {
      status: "retired",
      disclosureStatus: "passed",
      dataHash: null,
      activatedAt: new Date("2026-01-02T00:00:00Z"),
      retiredAt: new Date("2026-06-30T00:00:00Z"),
      organisation: "Gemeente Voorbeeld",
      contact: "algoritmes@voorbeeld.nl",
    });
    expect(configured.organization).toBe("Gemeente Voorbeeld");
    expect(configured.contact_email).toBe("algoritmes@voorbeeld.nl");
    expect(configured.status).toBe("Buiten gebruik");
    expect([configured.begin_date, configured.end_date]).toEqual(["2026-01", "2026-06"]);
    expect(configured.lawful_basis).toBe(PLACEHOLDER);
    expect(fieldsToFill(configured)).not.toContain("organization");
  });

  it("maps status, data and technical facts from the card", () => {
    expect(entry.status).toBe("In gebruik");
    expect(entry.begin_date).toBe("2026-03");
    expect(entry.end_date).toBe("");
    expect(entry.source_id).toBe(card.version);
    expect(entry.source_data).toContain("a".repeat(64));
    expect(entry.source_data).toContain("herkomst");
    expect(entry.methods_and_models).toContain("0.71");
    expect(entry.methods_and_models).toMatch(/^Zelflerend/);
    expect(entry.goal).toContain("Schuldhulpverlening eerst");
    expect(entry.risks).toMatch(/nog niet uitgevoerd/);
  });

  it("describes the learner that predicts, and its performance as the card measured it", () => {
    expect(entry.methods_and_models).toContain("Neuraal netwerk");
    expect(entry.methods_and_models).toContain("op de validatieset");
    const rmse = { rows: 600, auc: null, brier: null, ece: null, rmse: 2.34 };
    const stacked: ModelCard = {
      ...card,
      model: { ...card.model, outcome: { column: "uren", type: "continuous" } },
      performance: { split: "cross-fitted", overall: rmse, perArm: { regulier: rmse }, perGroup: {} },
      learner: { kind: "dr-trees", validation: null },
    };
    const methods = algorithmRegisterEntry(stacked, { status: "active", disclosureStatus: "passed", dataHash: null }).methods_and_models;
    expect(methods).toContain(ARCHITECTURE["dr-trees"].nl);
    expect(methods).not.toContain("Neuraal netwerk");
    expect(methods).toContain("kruisgeschat op alle trainingsrijen: wortel van de gemiddelde kwadratische fout 2.34");
  });

  it("renders markdown with every field, its machine name, and the fields to fill marked", () => {
    const md = algorithmRegisterMarkdown(entry);
    for (const { key, label } of REGISTER_FIELDS) expect(md).toContain(`## ${label} (\`${key}\`)`);
    expect(md).toContain("## Wettelijke basis (`lawful_basis`) **(in te vullen)**");
    expect(md).toContain("## Doel en impact (`goal`)\n");
    expect(md).toContain("- Impact Assessment Mensenrechten en Algoritmes (IAMA): IN TE VULLEN");
  });

  it("is JSON-ready: strings and lists of strings or links only", () => {
    const roundTrip = JSON.parse(JSON.stringify(entry)) as AlgorithmRegisterEntry;
    expect(roundTrip).toEqual(entry);
  });

  it("names the trajectories as the bundle's catalogue does", () => {
    const catalogue = CatalogueSchema.parse({
      ...defaultCatalogue(),
      trajectories: defaultCatalogue().trajectories.map((t) => (t.key === "jobcoaching" ? { ...t, name: { nl: "Jobhunting", en: "Job hunting" } } : t)),
    });
    const own = algorithmRegisterEntry(card, { status: "active", disclosureStatus: "passed", dataHash: null, catalogue });
    const standard = algorithmRegisterEntry(card, { status: "active", disclosureStatus: "passed", dataHash: null });
    expect(JSON.stringify(own)).toContain("Jobhunting");
    expect(JSON.stringify(standard)).not.toContain("Jobhunting");
    expect(JSON.stringify(standard)).toContain("Jobcoaching / intensieve bemiddeling");
  });
});
