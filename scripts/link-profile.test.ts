import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, type SecureSideScript, secureSideCli, secureSideMain } from "../test/setup/run-cli.js";

/**
 * `generate --format dutch-export --rename` and `link --profile` (DESIGN.md, commands): the export and
 * its linking as real processes, --help and the refusals through each CLI's main in this process.
 */
const KEY = "cli-test-key-0123456789-0123456789-abcdef";

const cli = (script: string, args: string[]) => secureSideCli(script, args, KEY);
const inProcess = (script: SecureSideScript, args: string[]) => secureSideMain(script, args, KEY);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-cli-profile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generate --format dutch-export --rename → link --profile", () => {
  it("documents the options in --help", async () => {
    const generate = await inProcess("generate.ts", ["--help"]);
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain("--format dutch-export");
    expect(generate.stdout).toContain("--rename");
    const link = await inProcess("link.ts", ["--help"]);
    expect(link.code).toBe(0);
    expect(link.stdout).toContain("--profile FILE");
  });

  it("writes a renamed Dutch export with its profile, and links it with the profile", async () => {
    const gen = await cli("generate.ts", ["--out", join(dir, "nl"), "--n", "600", "--seed", "4", "--format", "dutch-export", "--rename"]);
    expect(errorLines(gen)).toEqual([]);
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ format: "dutch-export", profile: "profile.json" });
    const profile = JSON.parse(await readFile(join(dir, "nl", "profile.json"), "utf8"));
    expect(profile.files.personen).toMatchObject({ path: "Clienten.csv", delimiter: ";", encoding: "windows-1252", dateFormat: "dd-mm-yyyy" });
    expect(profile.codes.interventie.JC01).toBe("jobcoaching");

    const linked = await cli("link.ts", ["--in", join(dir, "nl"), "--out", join(dir, "out"), "--profile", join(dir, "nl", "profile.json"), "--min-group-size", "1"]);
    expect(errorLines(linked)).toEqual([]);
    expect(linked.code).toBe(0);
    expect(JSON.parse(linked.stdout).trajectories.written).toBeGreaterThan(500);
    const report = JSON.parse(await readFile(join(dir, "out", "linkage-report.json"), "utf8"));
    expect(report.files.personen.format).toMatchObject({ path: "Clienten.csv", fromProfile: ["encoding", "delimiter", "dateFormat"] });
    expect(report.files.personen.unknownColumns).toEqual(["Naam", "Adres", "Woonplaats"]);
  });

  it("a bad profile or a missing column ends in one line and exit 1", async () => {
    await writeFile(join(dir, "bad.json"), JSON.stringify({ files: { personen: { path: "Clienten.csv", encoding: "latin-9" } } }));
    const bad = await inProcess("link.ts", ["--in", join(dir, "nl"), "--out", join(dir, "out-bad"), "--profile", join(dir, "bad.json")]);
    expect(bad.code).toBe(1);
    expect(errorLines(bad)).toEqual([`link: error: ${join(dir, "bad.json")}: files.personen.encoding: expected utf-8 or windows-1252`]);

    const profile = JSON.parse(await readFile(join(dir, "nl", "profile.json"), "utf8"));
    profile.files.trajecten.columns.startdatum = "Begindatum";
    await writeFile(join(dir, "wrong-column.json"), JSON.stringify(profile));
    const wrong = await inProcess("link.ts", ["--in", join(dir, "nl"), "--out", join(dir, "out-wrong"), "--profile", join(dir, "wrong-column.json")]);
    expect(wrong.code).toBe(1);
    expect(errorLines(wrong)).toEqual([
      'link: error: Re-integratietrajecten.csv: missing column "Begindatum" (our startdatum) (closest present: "Startdatum")',
    ]);
  });
});
