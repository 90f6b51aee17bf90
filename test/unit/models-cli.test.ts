import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type CliRun, runCli, runInProcess } from "../setup/run-cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBundleFile } from "../../model/index";
import { main as modelsMain } from "../../scripts/models";
import { clientFrom, makeTinyBundle, writeDisclosureVerdict } from "../fixtures/tiny-bundle";

/**
 * `npm run models` as a real process, on a fresh DATA_DIR with nothing else set: the CLI finds (and
 * migrates) the database file:$DATA_DIR/trajectwijzer.db and the model folder $DATA_DIR/models as
 * `npm start` would, and this process, standing in for a running server on that DATA_DIR, sees the result.
 * The first run, --help and the activating import are real processes; the other commands run the CLI's
 * main in this process on the same DATA_DIR (the same code, without a process start each: faster CI).
 */
type Run = CliRun;
let dataDir: string;
let unchecked: string;
let passed: string;
let tampered: string;
let version: string;
let client: Record<string, unknown>;

async function models(args: string[], asProcess = false): Promise<Run> {
  if (asProcess) return runCli("models.ts", args, { env: { DATA_DIR: dataDir, DATABASE_URL: "", MODEL_DIR: "", TRAJECTWIJZER_QUIET_BACKEND: "1" } });
  const run = await runInProcess(modelsMain, args);
  return { code: run.exit ?? 0, stdout: run.stdout, stderr: run.stderr };
}

const oneLine = (run: Run) => run.stderr.trim().split("\n").filter((l) => !l.startsWith("trajectwijzer:"));

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "tw-models-cli-"));
  const empty = await models(["list"], true);
  expect(empty).toMatchObject({ code: 0, stdout: "no model versions registered\n" });
  // What a server on this DATA_DIR uses; this process reads the registry like one.
  process.env.DATA_DIR = dataDir;
  process.env.TRAJECTWIJZER_QUIET_BACKEND = "1";
  process.env.DATABASE_URL = `file:${path.join(dataDir, "trajectwijzer.db")}`;
  process.env.MODEL_DIR = path.join(dataDir, "models");
  process.env.MODEL_THREADS = "0";
  process.env.SESSION_SECRET ??= "test-session-secret-0123456789abcdef";
  process.env.PSEUDONYM_KEY ??= "test-pseudonym-key-0123456789abcdef";
  const tiny = await makeTinyBundle({ n: 600, members: 1, epochs: 1 });
  version = tiny.version;
  client = clientFrom(tiny.tiny);
  unchecked = path.join(dataDir, "in", "unchecked");
  passed = path.join(dataDir, "in", "passed");
  tampered = path.join(dataDir, "in", "tampered");
  await cp(tiny.dir, unchecked, { recursive: true });
  await cp(tiny.dir, passed, { recursive: true });
  await writeDisclosureVerdict(passed, tiny.tiny.rows, { passed: true });
  await cp(passed, tampered, { recursive: true });
  const card = path.join(tampered, "model-card.json");
  await writeFile(card, (await readFile(card, "utf8")).replace("Estimates", "Guarantees"));
}, 180_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm run models", { timeout: 300_000 }, () => {
  it("--help, a missing or unknown command and a missing directory: usage or one line, exit 0 / 1", async () => {
    const help = await models(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/import DIR \[--activate --reason TEXT\]/);
    expect((await models(["import", "--help"])).stdout).toMatch(/passing disclosure report/);
    for (const [args, pattern] of [
      [[], /^models: error: missing command: one of import, list/],
      [["remove"], /^models: error: unknown command 'remove'/],
      [["import"], /^models import: error: DIR: the bundle directory is missing/],
      [["import", path.join(dataDir, "nowhere")], /^models import: error: .*nowhere: no such directory/],
      [["import", passed, "--activte"], /^models import: error: Unknown option '--activte'/],
      // Activation asks for a reason, stored with the version and audited.
      [["import", passed, "--activate"], /^models import: error: .*--activate needs --reason/],
      [["import", passed, "--activate", "--reason", "ok"], /^models import: error: .*at least 5 characters/],
    ] as const) {
      const run = await models([...args]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(oneLine(run)).toHaveLength(1);
      expect(oneLine(run)[0]).toMatch(pattern);
    }
  });

  it("refuses a bundle without a disclosure report and a tampered one (exit 2), registering nothing", async () => {
    const noReport = await models(["import", unchecked, "--activate", "--reason", "first model"]);
    expect(noReport.code).toBe(2);
    expect(oneLine(noReport)).toEqual([expect.stringMatching(/refused \(no passing disclosure report: .*check-bundle/)]);
    const changed = await models(["import", tampered]);
    expect(changed.code).toBe(2);
    expect(oneLine(changed)[0]).toMatch(/refused \(not a valid bundle: .*model-card\.json.*checksum/);
    // The path typed is shown; no path of the registry itself.
    expect(changed.stderr).not.toContain(path.join(dataDir, "models"));
    const { listModelVersions } = await import("~/models/model-version.server");
    expect(await listModelVersions()).toEqual([]);
  });

  it("import --activate registers a checked bundle under MODEL_DIR/<version> and makes it active; list shows it", async () => {
    const { getActiveModelVersion, getModelVersion } = await import("~/models/model-version.server");
    expect(await getActiveModelVersion()).toBeNull();
    const { recommendForClient } = await import("~/utils/registry/predictor.server");
    expect(await recommendForClient(client)).toBeNull();
    const run = await models(["import", passed, "--activate", "--reason", "first model of this install"], true);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`registered ${version} as a candidate (disclosure check: passed)`);
    expect(run.stdout).toContain(`activated ${version}`);
    const stored = await getModelVersion({ id: version });
    expect(stored).toMatchObject({
      status: "active",
      disclosureStatus: "passed",
      dir: path.join(dataDir, "models", version),
      activationReason: "first model of this install",
    });
    // This process stands in for a running server: it remembers the active model for at most a few seconds.
    await new Promise((r) => setTimeout(r, 3100));
    expect((await getActiveModelVersion())?.id).toBe(version);
    // ... and serves advice with the bundle the CLI placed under MODEL_DIR/<version>.
    expect((await recommendForClient(client))?.modelVersion).toBe(version);
    const { auditEvent } = (await import("~/utils/db.server")).getDb();
    const audited = await auditEvent.findMany({ where: { origin: "cli" }, select: { action: true, result: true, object: true } });
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: "model.import", result: "ok", object: `model:${version}` },
        { action: "model.promote", result: "ok", object: `model:${version}` },
      ]),
    );

    const again = await models(["import", passed]);
    expect(again.code).toBe(2);
    expect(oneLine(again)[0]).toMatch(/already registered/);

    const list = await models(["list"]);
    expect(list.code).toBe(0);
    const [header, ...rows] = list.stdout.trim().split("\n");
    expect(header).toMatch(/^VERSION\s+STATUS\s+CREATED\s+DISCLOSURE\s+DIR$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.split(/\s{2,}/)).toEqual([version, "active", expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/), "passed", path.join(dataDir, "models", version)]);
  });

  it("refuses a bundle changed after its disclosure check; the active model stays", async () => {
    const second = path.join(dataDir, "in", "second");
    await cp(passed, second, { recursive: true });
    // Another version name and one more file: the report was made for other files.
    const manifest = JSON.parse(await readFile(path.join(second, "manifest.json"), "utf8"));
    await writeFile(path.join(second, "manifest.json"), JSON.stringify({ ...manifest, version: `${version}-b` }));
    await writeBundleFile(second, "notes.txt", "second\n");
    const stale = await models(["import", second, "--activate", "--reason", "replace the model"]);
    expect(stale.code).toBe(2);
    const { getModelVersion } = await import("~/models/model-version.server");
    expect((await getModelVersion({ id: version }))?.status).toBe("active");
  });
});
