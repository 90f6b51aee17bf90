import { parseArgs } from "node:util";
import { z } from "zod";

/**
 * Shared shape of every CLI: parse `--flag value` pairs, validate them with zod,
 * print `--help`, and turn any thrown error into one clear line and a non-zero exit.
 */
export type CliSpec<T extends z.ZodType> = {
  name: string;
  usage: string;
  description: string;
  /** Option names and whether each takes a value (string) or is a switch (boolean). */
  options: Record<string, "string" | "boolean">;
  /** Names of the positional arguments, in order (e.g. ["dir"]); none allowed when absent. */
  positionals?: readonly string[];
  schema: T;
};

export function parseCli<T extends z.ZodType>(spec: CliSpec<T>, argv: string[] = process.argv.slice(2)): z.infer<T> {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, help: "boolean" as const }).map(([k, type]) => [k, { type }]),
  );
  let values: Record<string, unknown>;
  const names = spec.positionals ?? [];
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: names.length > 0 });
    if (parsed.positionals.length > names.length) throw new Error(`unexpected argument '${parsed.positionals[names.length]}'`);
    values = { ...parsed.values, ...Object.fromEntries(parsed.positionals.map((value, i) => [names[i], value])) };
  } catch (error) {
    fail(spec.name, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${spec.usage}\n\n${spec.description}\n`);
    process.exit(0);
  }
  const parsed = spec.schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") ?? "";
    const where = !key ? "arguments" : names.includes(key) ? key.toUpperCase() : `--${key}`;
    fail(spec.name, `${where}: ${issue?.message ?? "invalid"} (see --help)`);
  }
  return parsed.data;
}

/**
 * Exit codes of every CLI: 0 done, 1 bad input or an error (usage, a file that is not there, an
 * unreachable database), 2 a check refused it (check-bundle's failed check, a bundle the registry refuses).
 */
export const EXIT = { ok: 0, error: 1, refused: 2 } as const;

/** Thrown inside runCli when a check refuses the input: one line and exit code 2. */
export class Refused extends Error {}

export function fail(name: string, message: string, code: number = EXIT.error): never {
  process.stderr.write(`${name}: error: ${message}\n`);
  process.exit(code);
}

/** Runs a CLI's main function; an error becomes one line on stderr and exit code 1, never a stack trace. */
export async function runCli(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.TRAJECTWIJZER_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    fail(name, message, error instanceof Refused ? EXIT.refused : EXIT.error);
  }
}

/**
 * CLIs with commands (`npm run models -- import DIR`): the first argument names the command; without
 * one, or with an unknown one, one line and exit 1; `--help` before any command prints the overview.
 */
export function parseCommand<const C extends readonly [string, ...string[]]>(
  spec: { name: string; usage: string; description: string; commands: C },
  argv: string[] = process.argv.slice(2),
): { command: C[number]; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h") {
    process.stdout.write(`${spec.usage}\n\n${spec.description}\n`);
    process.exit(0);
  }
  const parsed = z.enum(spec.commands).safeParse(first);
  if (!parsed.success) {
    fail(spec.name, `${first === undefined ? "missing command" : `unknown command '${first}'`}: one of ${spec.commands.join(", ")} (see --help)`);
  }
  return { command: parsed.data, rest };
}

/** Pads each column to its widest cell: a plain-text table for a terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ");
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}
