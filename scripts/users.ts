import { pathToFileURL } from "node:url";
import { z } from "zod";
import { ROLES, RoleSchema, TOTP_REQUIRED_ROLES } from "../app/utils/auth/roles.js";
import { ApiScopeSchema } from "../app/utils/api/token-scope.js";
import { openAppDatabase } from "./lib/app-env.js";
import { auditCli } from "./lib/audit.js";
import { parseCli, parseCommand, Refused, runCli, textTable } from "./lib/cli.js";

const LOCATIONS = [
  "Uses the app's database exactly as `npm start` does: DATA_DIR (default data/), DATABASE_URL",
  "(default file:$DATA_DIR/trajectwijzer.db), secrets in $DATA_DIR/.env; a fresh data directory is",
  "set up (migrated) first, so the first administrator needs nothing else. Every change is audited",
  "(origin \"cli\").",
  "",
  "Exit code: 0 done, 2 refused (the username exists, the account is inactive, the last active",
  "administrator), 1 bad input (usage, no such account) or another error.",
].join("\n");

const overview = {
  name: "users",
  usage: [
    "usage: npm run users -- create --username U --role R [--team T] [--display-name N]",
    "       npm run users -- token --username U --name N [--expires-days D]",
    "       npm run users -- list",
    "       npm run users -- deactivate --username U",
    "       npm run users -- reset-password --username U",
  ].join("\n"),
  description: [
    "Accounts and API tokens, from the command line (run `npm run users -- COMMAND --help` for one).",
    "",
    "  create           a new account with a one-time password, printed once; it must be replaced at the",
    "                   first login, and administrators and data scientists then enrol a second factor",
    "  token            a new API token for /api/v1, printed once (only its hash is stored)",
    "  list             the accounts: username, role, team, active, password change pending, created",
    "  deactivate       the account can no longer log in; its sessions and tokens stop working",
    "  reset-password   a new one-time password, printed once; the account's sessions end",
    "",
    LOCATIONS,
  ].join("\n"),
  commands: ["create", "token", "list", "deactivate", "reset-password"],
} as const;

/** The same rule as the administrators' form in the app. */
const Username = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}$/, "2 to 64 lower-case letters, digits, dot, hyphen or underscore");

const specs = {
  create: {
    name: "users create",
    usage: "usage: npm run users -- create --username U --role R [--team T] [--display-name N]",
    description: [
      "Creates a local account and prints its one-time password once. The first login must replace it;",
      "administrators and data scientists then enrol a second factor (TOTP) with an authenticator app.",
      "",
      "  --username U       2 to 64 lower-case letters, digits, dot, hyphen or underscore",
      `  --role R           one of ${ROLES.join(", ")}`,
      "  --team T           a case worker's team (e.g. \"Team Noord\"), for the quality dashboard",
      "  --display-name N   the name shown in the app (default: the username)",
      "",
      LOCATIONS,
    ].join("\n"),
    options: { username: "string", role: "string", team: "string", "display-name": "string" },
    schema: z.object({
      username: Username,
      role: RoleSchema,
      team: z.string().trim().min(1).max(100).optional(),
      "display-name": z.string().trim().min(1).max(100).optional(),
    }),
  },
  token: {
    name: "users token",
    usage: "usage: npm run users -- token --username U --name N [--expires-days D] [--scope read|recommend|decide]",
    description: [
      "Creates an API token for the account and prints it once on stdout (only its hash is stored).",
      "Send it as `Authorization: Bearer <token>` to /api/v1; it can do what the account's role may.",
      "",
      "  --username U       an active account",
      "  --name N           what the token is for (e.g. \"zaaksysteem\"), shown in the app's token list",
      "  --expires-days D   valid for D days (1 to 3650); without it, until revoked",
      "  --scope S          read (list clients), recommend (also register clients and ask for advice) or",
      "                     decide (also record decisions; the default, as before scopes existed)",
      "",
      LOCATIONS,
    ].join("\n"),
    options: { username: "string", name: "string", "expires-days": "string", scope: "string" },
    schema: z.object({
      username: Username,
      name: z.string({ error: "is required" }).trim().min(1).max(100),
      "expires-days": z.coerce.number().int().min(1).max(3650).optional(),
      scope: ApiScopeSchema.default("decide"),
    }),
  },
  list: {
    name: "users list",
    usage: "usage: npm run users -- list",
    description: ["The accounts, by username.", "", LOCATIONS].join("\n"),
    options: {},
    schema: z.object({}),
  },
  deactivate: {
    name: "users deactivate",
    usage: "usage: npm run users -- deactivate --username U",
    description: [
      "Deactivates the account: it can no longer log in, its sessions end and its API tokens stop working.",
      "The last active administrator cannot be deactivated.",
      "",
      LOCATIONS,
    ].join("\n"),
    options: { username: "string" },
    schema: z.object({ username: Username }),
  },
  "reset-password": {
    name: "users reset-password",
    usage: "usage: npm run users -- reset-password --username U",
    description: [
      "Gives the account a new one-time password, printed once, that the next login must replace.",
      "Its sessions end. A second factor that is set up stays as it is.",
      "",
      LOCATIONS,
    ].join("\n"),
    options: { username: "string" },
    schema: z.object({ username: Username }),
  },
} as const;

type App = {
  users: typeof import("../app/models/user.server.js");
  newOneTimePassword: () => string;
};

/** Opens the app's database (after the arguments were checked), runs `work`, and closes it again. */
async function withApp(name: string, work: (app: App) => Promise<void>): Promise<void> {
  await runCli(name, async () => {
    await openAppDatabase();
    const users = await import("../app/models/user.server.js");
    const { newOneTimePassword } = await import("../app/utils/auth/password-change.server.js");
    const { getDb } = await import("../app/utils/db.server.js");
    try {
      await work({ users, newOneTimePassword });
    } finally {
      await getDb().$disconnect();
    }
  });
}

/** The account by username; a missing one is bad input (exit 1), never named in the message. */
async function requireAccount(users: App["users"], username: string) {
  const account = await users.getUserByUsername({ username });
  if (!account) throw new Error("--username: there is no account with this username (see npm run users -- list)");
  return account;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

async function create(argv: string[]): Promise<void> {
  const args = parseCli(specs.create, argv);
  await withApp(specs.create.name, async ({ users, newOneTimePassword }) => {
    const password = newOneTimePassword();
    const created = await users.createUser({
      username: args.username,
      displayName: args["display-name"] ?? args.username,
      role: args.role,
      team: args.team ?? null,
      password,
      mustChangePassword: true,
    });
    await auditCli({ action: "user.create", object: created.ok ? `user:${created.id}` : null, result: created.ok ? "ok" : "failed" });
    if (!created.ok) throw new Refused("--username: an account with this username already exists");
    const next = TOTP_REQUIRED_ROLES.includes(args.role) ? "then enrols a second factor (TOTP) with an authenticator app" : "then continues to the app";
    process.stdout.write(
      [`created account ${args.username} (${args.role})`, `one-time password (shown once): ${password}`, `the first login at /login must replace this password, and ${next}`, ""].join("\n"),
    );
  });
}

async function token(argv: string[]): Promise<void> {
  const args = parseCli(specs.token, argv);
  await withApp(specs.token.name, async ({ users }) => {
    const account = await requireAccount(users, args.username);
    if (!account.active) throw new Refused("--username: this account is deactivated");
    const { newApiToken } = await import("../app/utils/api/api.server.js");
    const { token, tokenHash } = newApiToken();
    const days = args["expires-days"];
    const expiresAt = days === undefined ? null : new Date(Date.now() + days * 24 * 3600 * 1000);
    const created = await users.createApiToken({ userId: account.id, name: args.name, tokenHash, expiresAt, scope: args.scope });
    if (!created) throw new Refused("--username: this account is deactivated");
    await auditCli({ action: "api_token.create", object: `api_token:${created.id}`, result: "ok" });
    const validity = expiresAt ? `valid until ${day(expiresAt)}` : "valid until revoked";
    process.stderr.write(`users token: API token "${args.name}" for ${account.username} (${account.role}), scope ${args.scope}, ${validity}; shown once, only its hash is stored\n`);
    process.stdout.write(`${token}\n`);
  });
}

async function list(argv: string[]): Promise<void> {
  parseCli(specs.list, argv);
  await withApp(specs.list.name, async ({ users }) => {
    const all = await users.listUsers();
    if (all.length === 0) {
      process.stdout.write("no accounts\n");
      return;
    }
    const rows = all.map((u) => [u.username, u.role, u.team ?? "", u.active ? "yes" : "no", u.mustChangePassword ? "yes" : "no", day(u.createdAt)]);
    process.stdout.write(textTable(["USERNAME", "ROLE", "TEAM", "ACTIVE", "MUST CHANGE PASSWORD", "CREATED"], rows));
  });
}

async function deactivate(argv: string[]): Promise<void> {
  const args = parseCli(specs.deactivate, argv);
  await withApp(specs.deactivate.name, async ({ users }) => {
    const account = await requireAccount(users, args.username);
    if (account.role === "admin" && account.active && (await users.countActiveUsers({ role: "admin" })) <= 1) {
      throw new Refused("--username: this is the last active administrator; create another one first");
    }
    const done = await users.setActive({ userId: account.id, active: false });
    await auditCli({ action: "user.deactivate", object: `user:${account.id}`, result: done ? "ok" : "failed" });
    process.stdout.write(`deactivated ${account.username}; its sessions ended and its API tokens no longer work\n`);
  });
}

async function resetPassword(argv: string[]): Promise<void> {
  const args = parseCli(specs["reset-password"], argv);
  await withApp(specs["reset-password"].name, async ({ users, newOneTimePassword }) => {
    const account = await requireAccount(users, args.username);
    if (!account.active) throw new Refused("--username: this account is deactivated");
    const password = newOneTimePassword();
    const done = await users.resetPassword({ userId: account.id, password, mustChangePassword: true });
    await auditCli({ action: "user.password_reset", object: `user:${account.id}`, result: done ? "ok" : "failed" });
    process.stdout.write([`new one-time password for ${account.username} (shown once): ${password}`, "its sessions ended; the next login must replace this password", ""].join("\n"));
  });
}

const COMMANDS = { create, token, list, deactivate, "reset-password": resetPassword } as const;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { command, rest } = parseCommand(overview, argv);
  await COMMANDS[command](rest);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
