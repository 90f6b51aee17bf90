import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERVENTIONS } from "../catalogue.js";
import { FEATURE_INDEX } from "../link/derive.js";
import { isValidBsn } from "../link/format.js";
import { createPseudonymiser, linkDelivery } from "../link/index.js";
import { REINTEGRATION_FEATURES, SECONDARY_TRUTH_OUTCOMES } from "../reintegration.js";
import { TableSchemaSchema } from "../table-schema.js";
import { fakeBsn, generateDelivery, Rng, type SimPerson, simulatePerson } from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-synth-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function digest(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder)).sort();
  const out: Record<string, string> = {};
  for (const f of files) out[f] = createHash("sha256").update(await readFile(join(folder, f))).digest("hex");
  return out;
}

describe("generateDelivery", () => {
  it("is deterministic by seed, and another seed gives another delivery", async () => {
    for (const name of ["a", "b", "c"]) {
      await generateDelivery({ outDir: join(dir, name), n: 400, seed: name === "c" ? 8 : 7, clean: false });
    }
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => digest(join(dir, n))));
    expect(Object.keys(a ?? {})).toContain("truth.csv");
    expect(a).toEqual(b);
    expect(a?.["personen.csv"]).not.toBe(c?.["personen.csv"]);
  });

  it("adds the secondary outcomes' truth without changing anything else (the same draws as before it existed)", async () => {
    // Digest of every file, truth.csv cut to the primary outcome's columns, as generated before the
    // secondary truth columns were added (n 300, seed 7; our layout and municipality B's).
    const before = {
      ours: "0129ec4ae92f584c1f8ce6d3d2b4b7018f661fb7a8dadd3d92ff052757e2a982",
      b: "840ccb713983477a1a48e385084b87bcfdfea9e302e4a4cbb21ce0b65924221f",
    };
    for (const municipality of ["ours", "b"] as const) {
      const out = join(dir, `before-${municipality}`);
      await generateDelivery({ outDir: out, n: 300, seed: 7, clean: false, ...(municipality === "b" ? { municipality } : {}) });
      const hash = createHash("sha256");
      for (const f of (await readdir(out)).sort()) {
        let text = await readFile(join(out, f), "utf8");
        if (f === "truth.csv") text = text.split("\n").map((l) => l.split(",").slice(0, 1 + INTERVENTIONS.length).join(",")).join("\n");
        hash.update(`${f}\n${text}`);
      }
      expect(hash.digest("hex"), municipality).toBe(before[municipality]);
      const header = (await readFile(join(out, "truth.csv"), "utf8")).split("\n")[0]?.split(",") ?? [];
      expect(header).toHaveLength(1 + INTERVENTIONS.length * (1 + SECONDARY_TRUTH_OUTCOMES.length));
    }
  });

  it("issues unique fake BSNs that pass the elfproef, and the same persons whether clean or messy", async () => {
    await generateDelivery({ outDir: join(dir, "clean"), n: 400, seed: 7, clean: true });
    const truthClean = await readFile(join(dir, "clean", "truth.csv"), "utf8");
    const truthMessy = await readFile(join(dir, "a", "truth.csv"), "utf8");
    expect(truthClean).toBe(truthMessy);
    const bsns = truthClean
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[0] as string);
    expect(bsns).toHaveLength(400);
    expect(new Set(bsns).size).toBe(400);
    expect(bsns.every(isValidBsn)).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, "clean", "delivery.json"), "utf8"));
    expect(manifest.injected).toEqual({});
  });
});

describe("the structural causal model", () => {
  const rng = new Rng(11);
  const people: SimPerson[] = [];
  for (let i = 0; i < 20_000; i += 1) people.push(simulatePerson(rng, "123456782", `T${i}`));
  const f = (p: SimPerson, name: keyof typeof FEATURE_INDEX) => Number(p.features[FEATURE_INDEX[name]]);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const arm = (name: (typeof INTERVENTIONS)[number]) => INTERVENTIONS.indexOf(name);
  const gain = (group: SimPerson[], name: (typeof INTERVENTIONS)[number]) =>
    mean(group.map((p) => (p.mu[arm(name)] as number) - (p.mu[0] as number)));

  it("matches the calibration targets: ~20 % work, regulier the largest arm, overlap everywhere", () => {
    const werk = mean(people.map((p) => p.werk));
    expect(werk).toBeGreaterThan(0.16);
    expect(werk).toBeLessThan(0.25);
    const regulier = mean(people.map((p) => (p.arm === 0 ? 1 : 0)));
    expect(regulier).toBeGreaterThan(0.35);
    expect(regulier).toBeLessThan(0.45);
    const smallest = people.reduce((m, p) => Math.min(m, ...p.propensity), 1);
    expect(smallest).toBeGreaterThanOrEqual(0.03 - 1e-12);
    const shortBenefit = people.filter((p) => f(p, "uitkeringsduur_maanden") < 12 && f(p, "maanden_sinds_werk") < 12);
    const longBenefit = people.filter((p) => f(p, "uitkeringsduur_maanden") >= 60);
    expect(mean(shortBenefit.map((p) => p.mu[0] as number))).toBeGreaterThan(2 * mean(longBenefit.map((p) => p.mu[0] as number)));
  });

  it("has the stated heterogeneous effects", () => {
    const debt = people.filter((p) => f(p, "problematische_schulden") === 1);
    const noDebt = people.filter((p) => f(p, "problematische_schulden") === 0);
    expect(gain(debt, "schuldhulp")).toBeGreaterThan(0.07);
    expect(gain(noDebt, "schuldhulp")).toBeLessThanOrEqual(0);
    const belowLanguage = people.filter((p) => f(p, "taaleis_voldaan") === 0);
    const language = people.filter((p) => f(p, "taaleis_voldaan") === 1);
    expect(gain(belowLanguage, "taaltraject")).toBeGreaterThan(0.07);
    expect(gain(language, "taaltraject")).toBeLessThan(0);
    const jobReady = people.filter((p) => f(p, "nooit_gewerkt") === 0 && f(p, "maanden_sinds_werk") <= 6);
    const farFromWork = people.filter((p) => f(p, "nooit_gewerkt") === 1 || f(p, "maanden_sinds_werk") >= 48);
    expect(gain(jobReady, "werkervaringsplaats")).toBeLessThan(-0.03);
    expect(gain(farFromWork, "werkervaringsplaats")).toBeGreaterThan(0.05);
    const reduced = people.filter(
      (p) =>
        (f(p, "med_antidepressiva") === 1 || p.features[FEATURE_INDEX.wmo_ondersteuning] !== "geen") &&
        f(p, "uitkeringsduur_maanden") >= 36,
    );
    expect(gain(reduced, "loonkostensubsidie")).toBeGreaterThan(gain(people, "loonkostensubsidie") + 0.03);
  });

  it("gives each secondary outcome's truth as its expectation: the mean truth under the arm received matches the mean outcome", () => {
    // Outcome columns of the uitkomsten row: werk_12m, uren_per_week, uitstroom_12m, wmo_12m, schulden_12m.
    SECONDARY_TRUTH_OUTCOMES.forEach((outcome, o) => {
      const observed = people.map((p) => Number(p.files.uitkomsten[3 + o]));
      const truth = people.map((p) => (p.secondary[o] as number[])[p.arm] as number);
      const average = mean(observed);
      const sd = Math.sqrt(mean(observed.map((v) => (v - average) ** 2)));
      expect(Math.abs(average - mean(truth)), outcome).toBeLessThan((4 * sd) / Math.sqrt(people.length));
    });
    // Debt counselling lowers problem debts among those with debts; the truth says so.
    const debt = people.filter((p) => f(p, "problematische_schulden") === 1);
    const debts = (name: (typeof INTERVENTIONS)[number]) => mean(debt.map((p) => (p.secondary[3] as number[])[arm(name)] as number));
    expect(debts("schuldhulp")).toBeLessThan(debts("regulier") - 0.3);
  });

  it("confounds assignment with the same factors", () => {
    const debt = people.filter((p) => f(p, "problematische_schulden") === 1);
    const noDebt = people.filter((p) => f(p, "problematische_schulden") === 0);
    const share = (group: SimPerson[], name: (typeof INTERVENTIONS)[number]) => mean(group.map((p) => (p.arm === arm(name) ? 1 : 0)));
    expect(share(debt, "schuldhulp")).toBeGreaterThan(3 * share(noDebt, "schuldhulp"));
  });
});

describe("the SCM and the linker agree", () => {
  it("links a clean delivery to exactly the features the SCM used, and writes the truth beside them", async () => {
    const seed = 21;
    const n = 300;
    await generateDelivery({ outDir: join(dir, "agree"), n, seed, clean: true });
    const key = "test-key-0123456789-0123456789-abcdef";
    await linkDelivery({ inDir: join(dir, "agree"), outDir: join(dir, "agree-out"), pseudonymKey: key, minGroupSize: 1 });
    // Replay the generator's random streams to get each person's SCM features.
    const rng = new Rng(seed, 0);
    const ids = new Rng(seed, 2);
    const issued = new Set<string>();
    const pseudonym = createPseudonymiser(key);
    const expected = new Map<string, SimPerson>();
    for (let i = 0; i < n; i += 1) {
      let bsn = fakeBsn(ids);
      while (issued.has(bsn)) bsn = fakeBsn(ids);
      issued.add(bsn);
      expected.set(pseudonym(bsn), simulatePerson(rng, bsn, `TR${String(i + 1).padStart(8, "0")}`));
    }
    const [head, ...lines] = (await readFile(join(dir, "agree-out", "analysis.csv"), "utf8")).trim().split("\n");
    const columns = (head ?? "").split(",");
    expect(lines).toHaveLength(n);
    for (const line of lines) {
      const cells = line.split(",");
      const person = expected.get(cells[0] as string);
      expect(person).toBeDefined();
      const features = REINTEGRATION_FEATURES.map((f) => cells[columns.indexOf(f.name)]);
      expect(features).toEqual(person?.features.map(String));
      expect(cells[columns.indexOf("interventie")]).toBe(INTERVENTIONS[person?.arm ?? -1]);
      expect(Number(cells[columns.indexOf("werk_12m")])).toBe(person?.werk);
      expect(Number(cells[columns.indexOf("mu_taaltraject")])).toBeCloseTo(person?.mu[7] ?? -1, 4);
      expect(Number(cells[columns.indexOf("mu_schulden_12m_schuldhulp")])).toBeCloseTo(person?.secondary[3]?.[5] ?? -1, 4);
      expect(Number(cells[columns.indexOf("mu_uren_per_week_scholing")])).toBeCloseTo(person?.secondary[0]?.[2] ?? -1, 4);
    }
    // The schema names them as truth, so training never reads them as features.
    const schema = TableSchemaSchema.parse(JSON.parse(await readFile(join(dir, "agree-out", "schema.json"), "utf8")));
    expect(schema.secondaryTruth?.wmo_12m?.participatieplek).toBe("mu_wmo_12m_participatieplek");
    expect(schema.features.some((f) => f.name.startsWith("mu_"))).toBe(false);
  });
});
