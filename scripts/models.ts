import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { auditCli } from "./lib/audit.js";
import { openAppDatabase } from "./lib/app-env.js";
import { parseCli, parseCommand, Refused, runCli, textTable } from "./lib/cli.js";

const LOCATIONS = [
  "Uses the app's database and model folder exactly as `npm start` does: DATA_DIR (default data/),",
  "DATABASE_URL (default file:$DATA_DIR/trajectwijzer.db), MODEL_DIR (default $DATA_DIR/models), secrets",
  "in $DATA_DIR/.env. A running server serves a newly activated model within a few seconds.",
  "",
  "Exit code: 0 done, 2 the registry refused the bundle or its activation, 1 bad input or another error.",
].join("\n");

const overview = {
  name: "models",
  usage: "usage: npm run models -- import DIR [--activate --reason TEXT]\n       npm run models -- list",
  description: [
    "The app's model registry, from the command line.",
    "",
    "  import DIR [--activate --reason TEXT]   register a checked bundle (see npm run models -- import --help)",
    "  list                      the registered versions: version, status, created, disclosure status, dir",
    "",
    LOCATIONS,
  ].join("\n"),
  commands: ["import", "list"],
} as const;

const importSpec = {
  name: "models import",
  usage: "usage: npm run models -- import DIR [--activate --reason TEXT]",
  description: [
    "Registers the model bundle in DIR with the checks of the app's import: its manifest verifies, every",
    "file loads, and it carries a passing disclosure report (npm run check-bundle) made for exactly these",
    "files. The bundle is copied into MODEL_DIR/<version> (verified again there) and registered as a",
    "candidate; a version that is already registered is refused.",
    "",
    "  DIR          the bundle directory",
    "  --activate   then make it the active model, by the app's promotion rule (the active model is retired)",
    "  --reason     why (at least 5 characters; required with --activate): stored with the version and audited",
    "",
    "In the app a candidate is promoted only after a passed head-to-head comparison with the active model on",
    "a held-out table. This command is the operator's way in (the first model of a production install, or a",
    "replacement when the app cannot be used) and runs on the server itself, by someone who could change the",
    "database anyway: it does not ask for that comparison, but it does ask for a reason, and the audit log",
    "records the activation with origin cli and that reason.",
    "",
    LOCATIONS,
  ].join("\n"),
  options: { activate: "boolean", reason: "string" },
  positionals: ["dir"],
  schema: z
    .object({
      dir: z.string({ error: "the bundle directory is missing" }).min(1),
      activate: z.boolean().default(false),
      reason: z.string().trim().min(5, { error: "--reason needs at least 5 characters" }).max(500).optional(),
    })
    .refine((a) => !a.activate || a.reason !== undefined, { error: "--activate needs --reason TEXT (why this model becomes active)", path: ["reason"] }),
} as const;

const listSpec = {
  name: "models list",
  usage: "usage: npm run models -- list",
  description: ["The registered model versions, newest first.", "", LOCATIONS].join("\n"),
  options: {},
  schema: z.object({}),
} as const;

async function closeDb(): Promise<void> {
  const { getDb } = await import("../app/utils/db.server.js");
  await getDb().$disconnect();
}

async function importCommand(argv: string[]): Promise<void> {
  const args = parseCli(importSpec, argv);
  await runCli(importSpec.name, async () => {
    const dir = path.resolve(args.dir);
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir) throw new Error(`${args.dir}: no such directory`);
    const locations = await openAppDatabase();
    const { promoteRegisteredModel, registerBundle } = await import("../app/utils/registry/model-registry.server.js");
    try {
      const registered = await registerBundle({ dir, place: "copy", createdById: null, requirePassed: true, hide: [{ from: dir, to: args.dir }] });
      await auditCli({ action: "model.import", object: registered.ok ? `model:${registered.version}` : null, result: registered.ok ? "ok" : "failed" });
      if (!registered.ok) throw new Refused(`${args.dir}: refused (${REFUSALS[registered.code]}${registered.detail ? `: ${registered.detail}` : ""})`);
      const target = path.join(locations.modelDir, registered.version);
      process.stdout.write(`registered ${registered.version} as a candidate (disclosure check: ${registered.disclosureStatus}) in ${target}\n`);
      if (!args.activate) return;
      const promoted = await promoteRegisteredModel({ id: registered.version, reason: args.reason ?? "", userId: null, comparison: "waived" });
      await auditCli({ action: "model.promote", object: `model:${registered.version}`, result: promoted.ok ? "ok" : "failed" });
      if (!promoted.ok) throw new Refused(`${registered.version} was registered but not activated (${promoted.reason})`);
      process.stdout.write(`activated ${promoted.activated}${promoted.retired ? ` (retired ${promoted.retired})` : ""}; a running server serves it within a few seconds\n`);
      // Loaded here: model/ brings TensorFlow.js, which --help and refusals need not wait for.
      const { adviceWarning } = await import("../model/bundle/bundle.js");
      const warning = await adviceWarning(target);
      if (warning) process.stderr.write(`models: warning: ${warning}\n`);
    } finally {
      await closeDb();
    }
  });
}

const REFUSALS = {
  outside: "outside the import folder",
  not_found: "not found",
  invalid: "not a valid bundle",
  disclosure: "no passing disclosure report",
  duplicate: "this version is already registered",
} as const;

const stamp = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "");

async function listCommand(argv: string[]): Promise<void> {
  parseCli(listSpec, argv);
  await runCli(listSpec.name, async () => {
    await openAppDatabase();
    const { listModelVersions } = await import("../app/models/model-version.server.js");
    try {
      const versions = await listModelVersions();
      if (versions.length === 0) {
        process.stdout.write("no model versions registered\n");
        return;
      }
      const rows = versions.map((v) => [v.id, v.status, stamp(v.createdAt), v.disclosureStatus, v.dir]);
      process.stdout.write(textTable(["VERSION", "STATUS", "CREATED", "DISCLOSURE", "DIR"], rows));
    } finally {
      await closeDb();
    }
  });
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { command, rest } = parseCommand(overview, argv);
  if (command === "import") await importCommand(rest);
  else await listCommand(rest);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
