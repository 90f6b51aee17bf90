import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";

/**
 * The publication files: publiccode.yml against the publiccode.yml standard 0.4's required keys and
 * rules (https://yml.publiccode.tools), and LICENSE as the complete EUPL-1.2.
 */
const Description = z.object({
  shortDescription: z.string().max(150),
  longDescription: z.string().min(150).max(10_000),
  features: z.array(z.string().min(1).max(100)).min(1),
});

// The standard's category list, the part that could describe this software.
const CATEGORIES = ["predictive-analysis", "data-analytics", "data-visualization", "business-intelligence", "knowledge-management", "workflow-management"];

const PubliccodeSchema = z.object({
  publiccodeYmlVersion: z.literal("0.4"),
  name: z.string().min(1),
  url: z.url(),
  softwareVersion: z.string().optional(),
  releaseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  platforms: z.array(z.string()).min(1),
  categories: z.array(z.enum(CATEGORIES)).min(1),
  developmentStatus: z.enum(["concept", "development", "beta", "stable", "obsolete"]),
  softwareType: z.enum(["standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend", "standalone/other", "addon", "library", "configurationFiles"]),
  description: z.record(z.string().regex(/^[a-z]{2}$/), Description).refine((d) => "nl" in d && "en" in d, "nl and en"),
  legal: z.object({ license: z.string().min(1) }),
  maintenance: z
    .object({ type: z.enum(["internal", "contract", "community", "none"]), contacts: z.array(z.object({ name: z.string() })).optional() })
    .refine((m) => !["internal", "contract"].includes(m.type) || (m.contacts ?? []).length > 0, "contacts are required for internal or contract maintenance"),
  localisation: z.object({ localisationReady: z.boolean(), availableLanguages: z.array(z.string()).min(1) }),
  dependsOn: z.object({ open: z.array(z.object({ name: z.string(), versionMin: z.string().optional(), optional: z.boolean().optional() })) }).optional(),
});

describe("publiccode.yml", () => {
  const document = parse(readFileSync("publiccode.yml", "utf8")) as unknown;

  it("has the standard's required keys, valid values and both languages", () => {
    const parsed = PubliccodeSchema.safeParse(document);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it("states the licence of the LICENSE file and the app's languages", () => {
    const parsed = PubliccodeSchema.parse(document);
    expect(parsed.legal.license).toBe("EUPL-1.2");
    expect(parsed.localisation.availableLanguages).toEqual(["nl", "en"]);
    const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    expect(parsed.softwareVersion).toBe(version);
  });
});

describe("LICENSE", () => {
  const text = readFileSync("LICENSE", "utf8");
  it("is the complete EUPL v. 1.2: every article and the appendix", () => {
    expect(text.startsWith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")).toBe(true);
    const articles = [
      "Definitions",
      "Scope of the rights granted by the Licence",
      "Communication of the Source Code",
      "Limitations on copyright",
      "Obligations of the Licensee",
      "Chain of Authorship",
      "Disclaimer of Warranty",
      "Disclaimer of Liability",
      "Additional agreements",
      "Acceptance of the Licence",
      "Information to the public",
      "Termination of the Licence",
      "Miscellaneous",
      "Jurisdiction",
      "Applicable Law",
    ];
    for (const [i, title] of articles.entries()) expect(text).toContain(`\n${i + 1}. ${title}\n`);
    expect(text).toContain("\nAppendix\n");
    expect(text).toContain("Québec Free and Open-Source Licence");
    expect(text.length).toBeGreaterThan(12_000);
  });
});
