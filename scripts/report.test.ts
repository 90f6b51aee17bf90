import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, } from "vitest";
import { makeTinyBundle } from "../test/fixtures/tiny-bundle.js";
import { runInProcess } from "../test/setup/run-cli.js";
import { main } from "./report.js";

let fixture: Awaited<ReturnType<typeof makeTinyBundle>>;

beforeAll(async () => {
  process.env.TRAJECTWIJZER_QUIET_BACKEND = "1";
  fixture = await makeTinyBundle({ n: 700, seed: 9 });
});
afterAll(async () => {
  await rm(fixture.root, { recursive: true, force: true });
});

const run = (argv: string[]) => runInProcess(main, argv);

describe("report command", () => {
  it("writes report.json, report.html and the CSV files in English on request", async () => {
    const out = join(fixture.root, "report-en");
    const result = await run(["--model", fixture.dir, "--table", fixture.table, "--out", out, "--lang", "en"]);
    expect(result.exit).toBeNull();
    expect(result.stdout).toContain("Wrote report.json, report.html, effects.csv, factors.csv");
    expect((await readdir(out)).sort()).toEqual(["effects.csv", "factors.csv", "report.html", "report.json"]);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    expect(report.lang).toBe("en");
    expect(report.effects.length).toBeGreaterThan(0);
    expect(await readFile(join(out, "report.html"), "utf8")).toContain("What works for whom");
  });

  it("prints help, and refuses bad input with one line and exit code 1", async () => {
    const help = await run(["--help"]);
    expect(help.exit).toBe(0);
    expect(help.stdout).toContain("npm run report -- --model DIR --table CSV --out DIR");
    const missingFlag = await run(["--model", fixture.dir, "--table", fixture.table]);
    expect(missingFlag.exit).toBe(1);
    expect(missingFlag.stderr).toMatch(/^report: error: --out/);
    const badLang = await run(["--model", fixture.dir, "--table", fixture.table, "--out", "x", "--lang", "de"]);
    expect(badLang.exit).toBe(1);

    const noModel = await run(["--model", join(fixture.root, "nothing"), "--table", fixture.table, "--out", join(fixture.root, "x")]);
    expect(noModel.exit).toBe(1);
    expect(noModel.stderr.trim().split("\n")).toHaveLength(1);
    expect(noModel.stderr).toContain("report: error:");

    const corrupt = join(fixture.root, "corrupt-bundle");
    await mkdir(corrupt, { recursive: true });
    await writeFile(join(corrupt, "manifest.json"), "{ not json");
    const corruptModel = await run(["--model", corrupt, "--table", fixture.table, "--out", join(fixture.root, "x")]);
    expect(corruptModel.exit).toBe(1);
    expect(corruptModel.stderr.trim().split("\n")).toHaveLength(1);

    const noTable = await run(["--model", fixture.dir, "--table", join(fixture.root, "missing.csv"), "--out", join(fixture.root, "x")]);
    expect(noTable.exit).toBe(1);
    expect(noTable.stderr).toContain("missing.csv");

    const badTable = join(fixture.root, "bad.csv");
    await writeFile(badTable, "a,b\n1,2\n");
    const wrongTable = await run(["--model", fixture.dir, "--table", badTable, "--out", join(fixture.root, "x")]);
    expect(wrongTable.exit).toBe(1);
    expect(wrongTable.stderr.trim().split("\n")).toHaveLength(1);
  });
});
