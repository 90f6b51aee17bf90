import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bundle, disposeBundle, loadBundle } from "../bundle/bundle.js";
import { trainBundle } from "../bundle/train.js";
import { linkDelivery } from "../link/link.js";
import { generateDelivery } from "../synth/generate.js";
import { type Row, readTableCsv } from "../table/read.js";
import { type Driver, faithfulness, SYNTHETIC_DRIVERS } from "./faithfulness.js";

/**
 * The explanation faithfulness test of the issue on the real generator, linker and a fully
 * trained (early-stopped) ensemble: where the generator says a factor drives an arm's effect,
 * that factor's group should be among the top 3 of the arm's gain explanation; and a group the
 * generator does not tie to that arm's effect should be there much less often.
 */
let root: string;
let bundle: Bundle;
let testRows: Row[];

async function linkedTable(dir: string, n: number, seed: number): Promise<string> {
  await generateDelivery({ outDir: join(dir, "source"), n, seed, clean: false });
  await linkDelivery({ inDir: join(dir, "source"), outDir: join(dir, "linked"), pseudonymKey: "faithfulness-test-key-0123456789abcdef" });
  return join(dir, "linked");
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "tw-faithful-"));
  const train = await linkedTable(join(root, "train"), 12_000, 31);
  const test = await linkedTable(join(root, "test"), 3_000, 32);
  await trainBundle({
    table: join(train, "analysis.csv"),
    schema: join(train, "schema.json"),
    outDir: join(root, "model"),
    seed: 7,
    members: 3,
    baseline: false,
  });
  bundle = await loadBundle(join(root, "model"));
  testRows = (await readTableCsv(join(test, "analysis.csv"))).rows;
}, 300_000);

afterAll(async () => {
  if (bundle) disposeBundle(bundle);
  await rm(root, { recursive: true, force: true });
});

const share = (label: string, result: ReturnType<typeof faithfulness>) => {
  const found = result.find((r) => r.label === label);
  if (!found) throw new Error(`no result for ${label}`);
  expect(found.clients).toBeGreaterThanOrEqual(50);
  return found.shareTopK;
};

describe("explanation faithfulness on the synthetic generator", () => {
  it("puts the generator's drivers among the top 3 groups of the arm's gain for most clients they apply to", () => {
    const result = faithfulness(bundle, testRows, { maxClients: 120 });
    expect(share("problem debts → schuldhulp", result)).toBeGreaterThanOrEqual(0.9);
    expect(share("language requirement not met → taaltraject", result)).toBeGreaterThanOrEqual(0.9);
    expect(share("young with low education → scholing (age)", result)).toBeGreaterThanOrEqual(0.8);
    expect(share("long since last job → werkervaringsplaats", result)).toBeGreaterThan(0.5);
    // The interaction's education half is measured (on enough clients) but not held to "most": it
    // is the weak spot (README, Measurements), far weaker on this small training set than on 20 000.
    share("young with low education → scholing (education)", result);
  });

  it("ranks health, which none of these arms' effects depends on in the generator, far less often among the top 3", () => {
    const controls: Driver[] = SYNTHETIC_DRIVERS.filter((d) => ["schuldhulp", "taaltraject", "scholing"].includes(d.arm) && d.group !== "leeftijd").map((d) => ({
      ...d,
      group: "gezondheid",
      label: `${d.label} — health instead`,
    }));
    const result = faithfulness(bundle, testRows, { drivers: controls, maxClients: 120 });
    expect(result).toHaveLength(3);
    for (const r of result) expect(r.shareTopK, r.label).toBeLessThan(0.4);
  });
});
