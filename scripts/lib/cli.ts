import { parseArgs } from "node:util";
import type { z } from "zod";

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
  schema: T;
};

export function parseCli<T extends z.ZodType>(spec: CliSpec<T>, argv: string[] = process.argv.slice(2)): z.infer<T> {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, help: "boolean" as const }).map(([k, type]) => [k, { type }]),
  );
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
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
    const where = issue?.path.length ? `--${issue.path.join(".")}` : "arguments";
    fail(spec.name, `${where}: ${issue?.message ?? "invalid"} (see --help)`);
  }
  return parsed.data;
}

export function fail(name: string, message: string): never {
  process.stderr.write(`${name}: error: ${message}\n`);
  process.exit(1);
}

/** Runs a CLI's main function; an error becomes one line on stderr and exit code 1, never a stack trace. */
export async function runCli(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.TRAJECTWIJZER_DEBUG === "1" && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    fail(name, message);
  }
}
