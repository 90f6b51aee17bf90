import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, } from "vitest";
import { type CliRun, runCli, runInProcess } from "../test/setup/run-cli.js";
import { makeTinyTable } from "../test/fixtures/tiny-table.js";
import { main as predictMain } from "./predict.js";
import { main as recommendMain } from "./recommend.js";
import { main as trainMain } from "./train.js";

/** The CLIs end bad input with one clear line on stderr and a non-zero exit (DESIGN.md, commands). */
type Run = CliRun;

function cli(script: string, args: string[]): Promise<Run> {
  return runCli(script, args, { env: { TRAJECTWIJZER_QUIET_BACKEND: "1" } });
}

let dir: string;
const tiny = makeTinyTable({ n: 800, seed: 5 });
const lines = tiny.csv.trimEnd().split("\n");
const header = (lines[0] ?? "").split(",");
const col = (name: string) => header.indexOf(name);
const editCell = (lineIndex: number, column: string, value: string) =>
  lines.map((line, i) => (i === lineIndex ? line.split(",").map((c, j) => (j === col(column) ? value : c)).join(",") : line)).join("\n");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-cli-"));
  await writeFile(join(dir, "schema.json"), JSON.stringify(tiny.schema));
  await writeFile(join(dir, "bad-schema.json"), JSON.stringify({ ...tiny.schema, outcome: { column: "werk_12m", type: "count" } }));
  await writeFile(join(dir, "ok.csv"), tiny.csv);
  await writeFile(join(dir, "missing-column.csv"), lines.map((l) => l.split(",").filter((_, j) => j !== col("opleiding")).join(",")).join("\n"));
  await writeFile(join(dir, "unknown-arm.csv"), editCell(3, "interventie", "ruimtevaart"));
  await writeFile(join(dir, "non-binary.csv"), editCell(7, "werk_12m", "2"));
  await writeFile(join(dir, "empty.csv"), `${lines[0]}\n`);
  let kept = 0;
  await writeFile(
    join(dir, "small-arm.csv"),
    lines.filter((l, i) => i === 0 || l.split(",")[col("interventie")] !== "taaltraject" || kept++ < 5).join("\n"),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a CLI's main in this process (tfjs loads once), capturing its output and exit code. */
async function inProcess(main: (argv: string[]) => Promise<void>, argv: string[]): Promise<Run> {
  const { exit, stdout, stderr } = await runInProcess(main, argv);
  return { code: exit ?? 0, stdout, stderr };
}

const trainArgs = (table: string, schema = "schema.json") => [
  "--table",
  join(dir, table),
  "--schema",
  join(dir, schema),
  "--out",
  join(dir, "out"),
  "--members",
  "1",
  "--epochs",
  "1",
];

const expectOneLineError = (run: Run, pattern: RegExp) => {
  expect(run.code).not.toBe(0);
  const errorLines = run.stderr.trim().split("\n").filter((l) => !l.startsWith("trajectwijzer:"));
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(pattern);
};

describe("train CLI", () => {
  it("rejects each bad input with one line and a non-zero exit", async () => {
    const run = (table: string, schema?: string) => inProcess(trainMain, trainArgs(table, schema));
    expectOneLineError(await run("missing-column.csv"), /^train: error: .*missing-column\.csv: missing column "opleiding"/);
    expectOneLineError(await run("unknown-arm.csv"), /^train: error: .*unknown-arm\.csv line 4: interventie = "ruimtevaart" is not an arm/);
    expectOneLineError(await run("non-binary.csv"), /^train: error: .*non-binary\.csv line 8: werk_12m = "2" is not 0 or 1/);
    expectOneLineError(await run("empty.csv"), /^train: error: .*empty\.csv: the table is empty/);
    expectOneLineError(await run("small-arm.csv"), /^train: error: .*arm "taaltraject" has 5 rows; at least 30/);
    expectOneLineError(await run("ok.csv", "bad-schema.json"), /^train: error: .*bad-schema\.json: invalid schema at outcome\.type/);
    expectOneLineError(await inProcess(trainMain, ["--schema", "x.json"]), /^train: error: --table/);
    expectOneLineError(await inProcess(trainMain, ["--tabel", "x.csv"]), /^train: error: Unknown option '--tabel'/);
    expectOneLineError(
      await inProcess(trainMain, [...trainArgs("ok.csv"), "--calibration-rows", "training"]),
      /^train: error: --calibration-rows: .*"all".*"validation"/,
    );
    await writeFile(join(dir, "gemeente.json"), JSON.stringify({ version: 1, control: "basis" }));
    expectOneLineError(await inProcess(trainMain, [...trainArgs("ok.csv"), "--config", join(dir, "gemeente.json")]), /^train: error: .*gemeente\.json: trajectories: /);
    expectOneLineError(
      await inProcess(trainMain, [...trainArgs("ok.csv"), "--config", join(dir, "absent.json")]),
      /^train: error: .*absent\.json: cannot read the municipal configuration$/,
    );
  }, 60_000);

  it("fits calibration on the rows asked for and says so in the model card", async () => {
    // Calibration does not depend on which learner predicts: the network alone, without the learner
    // selection, which cross-fits every learner (most of a run's time). The test below trains with it.
    for (const rows of ["validation", "all"] as const) {
      const run = await inProcess(trainMain, [...trainArgs("ok.csv"), "--calibration-rows", rows, "--learner", "network"]);
      expect(run.code).toBe(0);
      const card = JSON.parse(await readFile(join(dir, "out", "model-card.json"), "utf8"));
      expect(card.data.calibrationRows).toBe(rows);
      const calibration = JSON.parse(await readFile(join(dir, "out", "calibration.json"), "utf8"));
      const fitted = Object.values(calibration.arms as Record<string, { rows: number }>).reduce((sum, arm) => sum + arm.rows, 0);
      // All rows of the table, or its 20 % validation split.
      if (rows === "all") expect(fitted).toBe(tiny.rows.length);
      else expect(fitted).toBeLessThan(tiny.rows.length * 0.3);
    }
  }, 60_000);

  it("prints help and exits 0", async () => {
    const run = await inProcess(trainMain, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("usage: npm run train");
  }, 30_000);
});

describe("predict and recommend CLIs", () => {
  it("train → predict → recommend works as real processes; bad inputs fail in one line", async () => {
    const ok = await cli("train.ts", trainArgs("ok.csv"));
    expect(ok.code).toBe(0);
    const version = JSON.parse(ok.stdout).version as string;
    const client = Object.fromEntries(tiny.schema.features.map((f) => [f.name, tiny.rows[0]?.[f.name]]));
    await writeFile(join(dir, "client.json"), JSON.stringify(client));
    const { opleiding: _, ...partial } = client;
    await writeFile(join(dir, "partial-client.json"), JSON.stringify(partial));
    const [predicted, recommended] = await Promise.all([
      cli("predict.ts", ["--model", join(dir, "out"), "--table", join(dir, "ok.csv"), "--out", join(dir, "pred.csv")]),
      cli("recommend.ts", ["--model", join(dir, "out"), "--client", join(dir, "client.json")]),
    ]);
    expect(predicted.code).toBe(0);
    const csv = (await readFile(join(dir, "pred.csv"), "utf8")).trimEnd().split("\n");
    expect(csv[0]).toBe(["id", ...tiny.schema.treatment.arms.map((a) => `pred_${a}`), "rec"].join(","));
    expect(csv).toHaveLength(tiny.rows.length + 1);
    expect(recommended.code).toBe(0);
    expect(JSON.parse(recommended.stdout).modelVersion).toBe(version);

    expectOneLineError(
      await inProcess(predictMain, ["--model", dir, "--table", join(dir, "ok.csv"), "--out", join(dir, "x.csv")]),
      /^predict: error: .*not a model bundle \(manifest\.json is missing\)/,
    );
    expectOneLineError(
      await inProcess(recommendMain, ["--model", join(dir, "out"), "--client", join(dir, "partial-client.json")]),
      /^recommend: error: client: missing feature "opleiding"/,
    );
    expectOneLineError(
      await inProcess(predictMain, ["--model", join(dir, "out"), "--table", join(dir, "missing-column.csv"), "--out", join(dir, "x.csv")]),
      /^predict: error: .*missing-column\.csv: missing column "opleiding"/,
    );
  }, 150_000); // trains with the learner selection (about 45 s under load in CI)
});
