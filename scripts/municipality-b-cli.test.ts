import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorLines, type SecureSideScript, secureSideCli, secureSideMain } from "../test/setup/run-cli.js";

/**
 * `generate --municipality b` and `link --profile --config`: the delivery and its linking as real
 * processes, --help and the refusals through each CLI's main in this process.
 */
const KEY = "cli-test-key-0123456789-0123456789-abcdef";
const CONFIG = "config/examples/gemeente-b.json";

const cli = (script: string, args: string[]) => secureSideCli(script, args, KEY);
const inProcess = (script: SecureSideScript, args: string[]) => secureSideMain(script, args, KEY);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-cli-b-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("generate --municipality b → link --profile --config", () => {
  it("documents the options in --help", async () => {
    const generate = await inProcess("generate.ts", ["--help"]);
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain("--municipality b");
    const link = await inProcess("link.ts", ["--help"]);
    expect(link.code).toBe(0);
    expect(link.stdout).toContain("--config FILE");
    expect(link.stdout).toContain('"features"');
  });

  it("writes B's export with its profile and links it to B's catalogue; without B's configuration it stops in one line", async () => {
    const gen = await cli("generate.ts", ["--out", join(dir, "b"), "--n", "600", "--seed", "4", "--municipality", "b"]);
    expect(errorLines(gen)).toEqual([]);
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ format: "dutch-export", municipality: "b", profile: "profile.json" });

    const profile = join(dir, "b", "profile.json");
    const linked = await cli("link.ts", ["--in", join(dir, "b"), "--out", join(dir, "out"), "--profile", profile, "--config", CONFIG, "--min-group-size", "1"]);
    expect(errorLines(linked)).toEqual([]);
    expect(linked.code).toBe(0);
    const schema = JSON.parse(await readFile(join(dir, "out", "schema.json"), "utf8"));
    expect(schema.treatment.control).toBe("basis");
    expect(schema.treatment.arms).toContain("werkfit");
    expect(schema.features.map((f: { name: string }) => f.name)).toContain("rijbewijs");

    // The default catalogue knows none of B's trajectory keys: the profile is refused before any work.
    const ours = await inProcess("link.ts", ["--in", join(dir, "b"), "--out", join(dir, "out-default"), "--profile", profile]);
    expect(ours.code).toBe(1);
    expect(errorLines(ours)).toHaveLength(1);
    expect(errorLines(ours)[0]).toMatch(/^link: error: .*profile\.json: codes\.interventie\.BD01: "basis" is not one of our codes \(REG, regulier,/);
  });

  it("a missing configuration file or --rename with --municipality ends in one line and exit 1", async () => {
    const missing = await inProcess("link.ts", ["--in", join(dir, "b"), "--out", join(dir, "out-x"), "--config", join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([`link: error: ${join(dir, "nope.json")}: cannot read the municipal configuration`]);
    const both = await inProcess("generate.ts", ["--out", join(dir, "x"), "--n", "10", "--municipality", "b", "--rename"]);
    expect(both.code).toBe(1);
    expect(errorLines(both)).toHaveLength(1);
    expect(errorLines(both)[0]).toContain("--rename and --municipality exclude each other");
  });
});
