import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, } from "vitest";
import { makeTinyBundle } from "../test/fixtures/tiny-bundle.js";
import { runInProcess } from "../test/setup/run-cli.js";
import { main } from "./evaluate.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;

beforeAll(async () => {
  process.env.TRAJECTWIJZER_QUIET_BACKEND = "1";
  fixture = await makeTinyBundle({ n: 700, seed: 5 });
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

const run = (argv: string[]) => runInProcess(main, argv);

describe("evaluate command", () => {
  it("reports the network and the T-learner side by side, and writes the JSON report", async () => {
    const json = join(fixture.root, "report.json");
    const out = await run(["--model", fixture.dir, "--table", fixture.table, "--train", fixture.table, "--json", json]);
    expect(out.exit).toBeNull();
    expect(out.stdout).toContain("network AUC");
    expect(out.stdout).toContain("t-learner AUC");
    expect(out.stdout).toContain("captured oracle gain");
    expect(out.stdout).toContain("Targets");
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.models.map((m: { name: string }) => m.name)).toEqual(["network", "network-argmax", "t-learner"]);
    expect(report.table.hasTruth).toBe(true);
    expect(report.models[0].truth.sqrtPehe).toBeGreaterThan(0);
    expect(report.models[0].factual).toHaveLength(fixture.tiny.schema.treatment.arms.length);
  });

  it("uses the baseline trained into the bundle, and --save-baseline adds one to a bundle without", async () => {
    const bundled = await run(["--model", fixture.dir, "--table", fixture.table]);
    expect(bundled.exit).toBeNull();
    expect(bundled.stdout).toContain("baseline baseline.json in the bundle");
    const older = await makeTinyBundle({ n: 600, seed: 8, members: 1, epochs: 1, baseline: false });
    try {
      const saved = await run(["--model", older.dir, "--table", older.table, "--train", older.table, "--save-baseline"]);
      expect(saved.stdout).toContain("saved to the bundle as baseline.json");
      const reused = await run(["--model", older.dir, "--table", older.table]);
      expect(reused.exit).toBeNull();
      expect(reused.stdout).toContain("baseline baseline.json in the bundle");
    } finally {
      await rm(older.root, { recursive: true, force: true });
    }
  });

  it("fails with one line when there is no baseline and no training table, or the table lacks the outcome", async () => {
    const fresh = await makeTinyBundle({ n: 600, seed: 6, members: 1, epochs: 1, baseline: false });
    try {
      const out = await run(["--model", fresh.dir, "--table", fresh.table]);
      expect(out.exit).toBe(1);
      expect(out.stderr.trim().split("\n").at(-1)).toMatch(/^evaluate: error: the bundle has no baseline\.json; pass --train CSV/);
      const missing = await run(["--model", fixture.dir]);
      expect(missing.exit).toBe(1);
      expect(missing.stderr).toMatch(/evaluate: error: --table/);
      const lines = fixture.tiny.csv.trim().split("\n").map((line) => line.split(","));
      const outcome = lines[0]?.indexOf("werk_12m") ?? -1;
      const noOutcome = join(fresh.root, "no-outcome.csv");
      await writeFile(noOutcome, `${lines.map((cells) => cells.filter((_, c) => c !== outcome).join(",")).join("\n")}\n`);
      const bad = await run(["--model", fixture.dir, "--table", noOutcome]);
      expect(bad.exit).toBe(1);
      expect(bad.stderr).toMatch(/evaluate: error: .*no-outcome\.csv: missing column "werk_12m"/);
    } finally {
      await rm(fresh.root, { recursive: true, force: true });
    }
  });
});
