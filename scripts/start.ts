import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { z } from "zod";
import { LEARNER_CHOICES } from "../model/learners/kinds.js";
import { log } from "../app/utils/log.server.js";
import { migrateDatabase, resolveAppLocations } from "./lib/app-env.js";
import { sourceFingerprint } from "./lib/source-fingerprint.js";

/**
 * `npm start`: from a fresh clone to a serving app, one visible step at a time.
 * Every step reuses what an earlier run left, so a second start only checks and serves.
 * DATA_DIR (default data/) lets the end-to-end tests run the same path on a throw-away directory.
 */
const StartEnvSchema = z.object({
  DATA_DIR: z.string().min(1).default("data"),
  DEMO_POPULATION: z.coerce.number().int().min(500).max(1_000_000).default(20_000),
  DEMO_SEED: z.coerce.number().int().min(0).default(2026),
  TRAIN_MEMBERS: z.coerce.number().int().min(1).max(20).optional(),
  TRAIN_EPOCHS: z.coerce.number().int().min(1).max(500).optional(),
  /**
   * The demo model's learner (npm run train --learner). The network by default: a first start stays
   * quick and always gives advice; `auto` runs the learner selection as `npm run train` does.
   */
  TRAIN_LEARNER: z.enum(LEARNER_CHOICES).default("network"),
  CASELOAD_SIZE: z.coerce.number().int().min(1).max(500).default(40),
  /** Past clients with shown advice, decisions and outcomes for the quality dashboard (0: none). */
  DEMO_HISTORY: z.coerce.number().int().min(0).max(100_000).default(3000),
});

const started = Date.now();
const TOTAL_STEPS = 5;
const seconds = () => Number(((Date.now() - started) / 1000).toFixed(1));
function step(n: number, text: string) {
  log.info({ step: n, of: TOTAL_STEPS, seconds: seconds() }, `[${n}/${TOTAL_STEPS}] ${text}`);
}

/** A line of a program's output without terminal colour codes or trailing space. */
const plain = (line: string) => stripVTControlCharacters(line).trimEnd();

/**
 * A step's own program (generate, link, train, build): each line of its output becomes a log line of its own.
 * An aborted signal ends the program (a start that fails does not leave the build running behind it).
 */
function run(args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "pipe"], env, signal });
    const source = path.basename(args[0] ?? "step", ".ts").replace(/\.js$/, "");
    for (const [stream, level] of [
      [child.stdout, "info"],
      [child.stderr, "warn"],
    ] as const) {
      let rest = "";
      stream.on("data", (chunk) => {
        const lines = (rest + String(chunk)).split(/\r?\n|\r/);
        rest = lines.pop() ?? "";
        for (const line of lines) if (plain(line) !== "") log[level]({ source }, plain(line));
      });
      stream.on("end", () => {
        if (plain(rest) !== "") log[level]({ source }, plain(rest));
      });
    }
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args[0]} stopped with exit code ${code}`))));
  });
}

async function main() {
  const options = StartEnvSchema.parse(process.env);
  // The server's log is JSON lines: the backend is a field of "active model loaded", not model/'s plain line.
  process.env.TRAJECTWIJZER_QUIET_BACKEND ??= "1";
  step(1, "Configuratie: geheimen in data/.env");
  // The same resolution as the operations CLIs (npm run models / users): scripts/lib/app-env.ts.
  const locations = resolveAppLocations({ ...process.env, DATA_DIR: options.DATA_DIR });
  const dataDir = locations.dataDir;
  const env: NodeJS.ProcessEnv = { ...process.env, ...locations.env, NODE_ENV: "production" };
  Object.assign(process.env, env);
  // Validate the whole configuration before doing any work: a bad value stops here with its name.
  const { getEnv } = await import("../app/utils/env.server.js");
  const config = getEnv();
  // Production mode (TRAJECTWIJZER_DEMO=0): no demo accounts, no synthetic data, no demo model.
  const demo = config.TRAJECTWIJZER_DEMO;
  // The municipal configuration (MUNICIPALITY_CONFIG or config/municipality.json) is checked before any work.
  const { loadMunicipalConfig } = await import("../model/index.js");
  await loadMunicipalConfig();

  step(2, demo ? "Database: migraties en demo-accounts" : "Database: migraties (productiemodus)");
  // PostgreSQL (README "PostgreSQL (multi-instance)"): its own migrations, derived from prisma/schema.prisma.
  await migrateDatabase({ databaseUrl: config.DATABASE_URL, env });
  const { createDbClient, isPostgresUrl } = await import("../app/utils/db.server.js");
  const db = createDbClient(config.DATABASE_URL);
  // SQLite in write-ahead-log mode (kept in the file): readers never wait for the writer, and a commit
  // costs one sync instead of a rollback journal's several (bench serve: 411 → 606 recommendations/s).
  if (!isPostgresUrl(config.DATABASE_URL)) await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  const seed = await import("../prisma/seed.js");
  if (demo) await seed.seedUsers(db);
  else {
    // The published demo password or TOTP key must never guard a production deployment.
    const { accountsWithDemoCredentials, demoCredentialsRefusal } = await import("../app/models/demo-credentials.server.js");
    const refusal = demoCredentialsRefusal(await accountsWithDemoCredentials(db));
    if (refusal) throw new Error(refusal);
  }
  // Training runs a stopped server left "running" are marked failed ("server restarted"), never left hanging.
  const { recoverStaleRuns } = await import("../app/models/training-run.server.js");
  const staleRuns = await recoverStaleRuns();
  if (staleRuns.length > 0) log.warn({ runs: staleRuns.length }, `${staleRuns.length} onderbroken training(en) als mislukt gemarkeerd`);

  const sourceDir = path.join(dataDir, "source");
  const linkedDir = path.join(dataDir, "linked");
  const analysisCsv = path.join(linkedDir, "analysis.csv");
  const active = await db.modelVersion.findFirst({ where: { status: "active" }, select: { id: true, dir: true } });
  // Disclosure check (issue 7): the app refuses a model without a passing report. An unchecked demo model
  // (from before the check existed) is retrained below; any other unchecked active model stops the start.
  if (active && !existsSync(active.dir) && !path.basename(active.dir).startsWith("demo-")) {
    throw new Error(`the active model ${active.id} is missing (its directory is gone); restore it or activate another model`);
  }
  // The registry's own rule: the bundle loads and carries a passing disclosure report covering its files.
  const { promotionBlocker } = await import("../app/utils/registry/model-registry.server.js");
  const activeChecked = active && existsSync(active.dir) ? (await promotionBlocker(active.dir)) === null : null;
  if (active && activeChecked === false && !path.basename(active.dir).startsWith("demo-")) {
    throw new Error(`the active model ${active.id} has no passing disclosure report; run npm run check-bundle on it or promote a checked model`);
  }
  // The production build needs nothing of steps 3 and 4, so it runs beside them (a core each on a
  // two-core machine: the end-to-end server's cold start went from the sum of the two to the longer one).
  // It starts only after the checks above, so a start that refuses a broken installation builds nothing.
  const buildDir = process.env.BUILD_DIR ?? "build";
  const build = startBuild(buildDir, env);
  if (active && activeChecked) {
    step(3, `Model: actief model ${active.id}`);
  } else if (!demo) {
    step(3, "Model: nog geen actief model; importeer er een met npm run models -- import DIR --activate --reason TEKST");
  } else {
    step(3, `Model: synthetische levering van ${options.DEMO_POPULATION} cliënten, koppelen, trainen`);
    if (!existsSync(path.join(sourceDir, "truth.csv"))) {
      await run(["scripts/generate.ts", "--out", sourceDir, "--n", String(options.DEMO_POPULATION), "--seed", String(options.DEMO_SEED)], env);
    }
    const linked = !existsSync(analysisCsv);
    if (linked) await run(["scripts/link.ts", "--in", sourceDir, "--out", linkedDir], env);
    // Train on one part of the analysis table; the rest is the held-out set of the disclosure check.
    const trainCsv = path.join(linkedDir, "train.csv");
    const holdoutCsv = path.join(linkedDir, "holdout.csv");
    if (linked || !existsSync(trainCsv) || !existsSync(holdoutCsv)) {
      const { splitTableFile } = await import("../model/index.js");
      await splitTableFile({ table: analysisCsv, trainOut: trainCsv, holdoutOut: holdoutCsv, seed: options.DEMO_SEED });
    }
    const modelDir = path.join(config.MODEL_DIR, `demo-${Date.now()}`);
    const trainArgs = ["scripts/train.ts", "--table", trainCsv, "--schema", path.join(linkedDir, "schema.json"), "--out", modelDir, "--learner", options.TRAIN_LEARNER];
    if (options.TRAIN_MEMBERS) trainArgs.push("--members", String(options.TRAIN_MEMBERS));
    if (options.TRAIN_EPOCHS) trainArgs.push("--epochs", String(options.TRAIN_EPOCHS));
    await run(trainArgs, env);
    await run(["scripts/check-bundle.ts", "--model", modelDir, "--train", trainCsv, "--holdout", holdoutCsv], env).catch(() => {
      throw new Error(`the demo model in ${modelDir} did not pass the disclosure check (see the summary above and its disclosure-report.json); it was not registered`);
    });
    const { sha256File } = await import("../model/index.js");
    const version = await seed.registerDemoModel({ dir: modelDir, dataHash: await sha256File(trainCsv), trainingTable: "linked" });
    step(3, `Model: ${version} getraind en actief`);
  }
  // A held-out table for comparing models head to head: a later delivery of other people (another seed)
  // that no model trains on (the registry refuses a model's training table for a comparison).
  const heldOutDir = path.join(dataDir, "linked-heldout");
  if (demo && !existsSync(path.join(heldOutDir, "analysis.csv"))) {
    const heldOutSource = path.join(dataDir, "source-heldout");
    const n = Math.max(400, Math.round(options.DEMO_POPULATION / 4));
    await run(["scripts/generate.ts", "--out", heldOutSource, "--n", String(n), "--seed", String(options.DEMO_SEED + 1000)], env);
    await run(["scripts/link.ts", "--in", heldOutSource, "--out", heldOutDir], env);
  }

  step(4, demo ? "Demo-caseload" : "Demo-caseload: niet in productiemodus");
  const created = demo && existsSync(analysisCsv)
    ? await seed.seedCaseload(db, { analysisCsv, perCaseworker: options.CASELOAD_SIZE, pseudonymKey: config.PSEUDONYM_KEY })
    : 0;
  if (created > 0) log.info({ clients: created }, `${created} demo-cliënten aangemaakt`);
  const activeModel = await db.modelVersion.findFirst({ where: { status: "active" }, select: { dir: true } });
  if (demo && options.DEMO_HISTORY > 0 && activeModel && existsSync(analysisCsv)) {
    const { seedHistory } = await import("../prisma/seed-history.js");
    const { disposeBundle, loadBundle } = await import("../model/index.js");
    const bundle = await loadBundle(activeModel.dir);
    const history = await seedHistory(db, {
      analysisCsv,
      bundle,
      count: options.DEMO_HISTORY,
      pseudonymKey: config.PSEUDONYM_KEY,
      seed: options.DEMO_SEED,
      skip: seed.DEMO_USERS.filter((u) => u.role === "caseworker").length * options.CASELOAD_SIZE,
    });
    disposeBundle(bundle);
    if (history > 0) log.info({ clients: history }, `demo-historie: ${history} eerdere cliënten met advies, besluit en uitkomst`);
  }
  await db.$disconnect();

  if (build === null) {
    step(5, "App: productiebuild is actueel");
  } else {
    step(5, "App: productiebuild maken");
    await build;
  }
  const { serve } = await import("./lib/server.js");
  await serve({ port: config.PORT, buildDir });
  log.info({ seconds: seconds() }, `Klaar na ${seconds()} s`);
}

/** Ends the production build of a start that failed before the build was done. */
const buildAbort = new AbortController();

/** Starts the production build into buildDir, stamped with the source fingerprint; null when the stamp says it is current. */
function startBuild(buildDir: string, env: NodeJS.ProcessEnv): Promise<void> | null {
  const fingerprint = sourceFingerprint();
  const stamp = path.join(buildDir, ".source-fingerprint");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) return null;
  log.info({ seconds: seconds() }, "App: productiebuild gestart, naast stap 3 en 4");
  const build = run(["node_modules/@remix-run/dev/dist/cli.js", "vite:build"], { ...env, NODE_ENV: "production" }, buildAbort.signal).then(() =>
    writeFileSync(stamp, fingerprint),
  );
  // Awaited in step 5; a build that fails before then is reported there, not as an unhandled rejection.
  build.catch(() => undefined);
  return build;
}

main().catch((error: unknown) => {
  buildAbort.abort();
  log.fatal(`start: error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
