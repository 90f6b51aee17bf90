import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTinyTable } from "../test/fixtures/tiny-table.js";

/** The CLIs end bad input with one clear line on stderr and a non-zero exit (DESIGN.md, commands). */
type Run = { code: number | null; stdout: string; stderr: string };

function cli(script: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join("scripts", script), ...args], {
      env: { ...process.env, TRAJECTWIJZER_QUIET_BACKEND: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
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

const train = (table: string, schema = "schema.json") =>
  cli("train.ts", ["--table", join(dir, table), "--schema", join(dir, schema), "--out", join(dir, "out"), "--members", "1", "--epochs", "1"]);

const expectOneLineError = (run: Run, pattern: RegExp) => {
  expect(run.code).not.toBe(0);
  const errorLines = run.stderr.trim().split("\n").filter((l) => !l.startsWith("trajectwijzer:"));
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(pattern);
};

describe("train CLI", () => {
  it("rejects each bad input with one line and a non-zero exit", async () => {
    const [missing, arm, nonBinary, empty, small, schema, usage] = await Promise.all([
      train("missing-column.csv"),
      train("unknown-arm.csv"),
      train("non-binary.csv"),
      train("empty.csv"),
      train("small-arm.csv"),
      train("ok.csv", "bad-schema.json"),
      cli("train.ts", ["--schema", "x.json"]),
    ]);
    expectOneLineError(missing, /^train: error: .*missing-column\.csv: missing column "opleiding"/);
    expectOneLineError(arm, /^train: error: .*unknown-arm\.csv line 4: interventie = "ruimtevaart" is not an arm/);
    expectOneLineError(nonBinary, /^train: error: .*non-binary\.csv line 8: werk_12m = "2" is not 0 or 1/);
    expectOneLineError(empty, /^train: error: .*empty\.csv: the table is empty/);
    expectOneLineError(small, /^train: error: .*arm "taaltraject" has 5 rows; at least 30/);
    expectOneLineError(schema, /^train: error: .*bad-schema\.json: invalid schema at outcome\.type/);
    expectOneLineError(usage, /^train: error: --table/);
  }, 60_000);

  it("prints help and exits 0", async () => {
    const run = await cli("train.ts", ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("usage: npm run train");
  }, 30_000);
});

describe("predict and recommend CLIs", () => {
  it("train → predict → recommend works and bad inputs fail in one line", async () => {
    const ok = await train("ok.csv");
    expect(ok.code).toBe(0);
    const version = JSON.parse(ok.stdout).version as string;
    const client = Object.fromEntries(tiny.schema.features.map((f) => [f.name, tiny.rows[0]?.[f.name]]));
    await writeFile(join(dir, "client.json"), JSON.stringify(client));
    const { opleiding: _, ...partial } = client;
    await writeFile(join(dir, "partial-client.json"), JSON.stringify(partial));
    const [predicted, recommended, badModel, badClient, badTable] = await Promise.all([
      cli("predict.ts", ["--model", join(dir, "out"), "--table", join(dir, "ok.csv"), "--out", join(dir, "pred.csv")]),
      cli("recommend.ts", ["--model", join(dir, "out"), "--client", join(dir, "client.json")]),
      cli("predict.ts", ["--model", dir, "--table", join(dir, "ok.csv"), "--out", join(dir, "x.csv")]),
      cli("recommend.ts", ["--model", join(dir, "out"), "--client", join(dir, "partial-client.json")]),
      cli("predict.ts", ["--model", join(dir, "out"), "--table", join(dir, "missing-column.csv"), "--out", join(dir, "x.csv")]),
    ]);
    expect(predicted.code).toBe(0);
    const { readFile } = await import("node:fs/promises");
    const csv = (await readFile(join(dir, "pred.csv"), "utf8")).trimEnd().split("\n");
    expect(csv[0]).toBe(["id", ...tiny.schema.treatment.arms.map((a) => `pred_${a}`), "rec"].join(","));
    expect(csv).toHaveLength(tiny.rows.length + 1);
    expect(recommended.code).toBe(0);
    expect(JSON.parse(recommended.stdout).modelVersion).toBe(version);
    expectOneLineError(badModel, /^predict: error: .*not a model bundle \(manifest\.json is missing\)/);
    expectOneLineError(badClient, /^recommend: error: client: missing feature "opleiding"/);
    expectOneLineError(badTable, /^predict: error: .*missing-column\.csv: missing column "opleiding"/);
  }, 60_000);
});
