import { describe, expect, it } from "vitest";
import {
  algorithmRegisterEntry,
  algorithmRegisterMarkdown,
  PLACEHOLDER,
  REGISTER_FIELDS,
  SHORT_DESCRIPTION_MAX,
} from "./algorithm-register.js";
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

describe("algorithm register entry", () => {
  const entry = algorithmRegisterEntry(card, { status: "active", disclosureStatus: "unchecked", dataHash: "a".repeat(64) });

  it("has every field of the publication standard, none empty", () => {
    for (const { key } of REGISTER_FIELDS) expect(entry[key].length, key).toBeGreaterThan(0);
  });

  it("keeps the short description under 350 characters, in plain Dutch", () => {
    expect(entry.shortDescription.length).toBeLessThan(SHORT_DESCRIPTION_MAX);
    expect(entry.shortDescription).toMatch(/klantmanager/);
    expect(entry.shortDescription).not.toMatch(/TARNet|AUC|propensity/);
  });

  it("marks fields that need a person's judgement as to be filled, never invented", () => {
    expect(entry.legalBasis).toBe(PLACEHOLDER);
    expect(entry.considerations).toBe(PLACEHOLDER);
    expect(entry.impactAssessments).toBe(PLACEHOLDER);
    expect(entry.organisation).toBe(PLACEHOLDER);
    expect(entry.contact).toBe(PLACEHOLDER);
  });

  it("uses the organisation and contact when configured", () => {
    const configured = algorithmRegisterEntry(card, {
      status: "candidate",
      disclosureStatus: "passed",
      dataHash: null,
      organisation: "Gemeente Voorbeeld",
      contact: "algoritmes@voorbeeld.nl",
    });
    expect(configured.organisation).toBe("Gemeente Voorbeeld");
    expect(configured.contact).toBe("algoritmes@voorbeeld.nl");
    expect(configured.status).toBe("In ontwikkeling");
    expect(configured.legalBasis).toBe(PLACEHOLDER);
  });

  it("maps status, data and technical facts from the card", () => {
    expect(entry.status).toBe("In gebruik");
    expect(entry.dataAndSources).toContain("a".repeat(64));
    expect(entry.dataAndSources).toContain("herkomst");
    expect(entry.technicalOperation).toContain("0.71");
    expect(entry.purposeAndImpact).toContain("Schuldhulpverlening eerst");
    expect(entry.riskManagement).toMatch(/nog niet uitgevoerd/);
  });

  it("renders markdown with every field label and the placeholders", () => {
    const md = algorithmRegisterMarkdown(entry);
    for (const { label } of REGISTER_FIELDS) expect(md).toContain(`## ${label}`);
    expect(md.split(PLACEHOLDER).length - 1).toBeGreaterThanOrEqual(3);
  });
});
