import { spawn } from "node:child_process";
import { join } from "node:path";

/** What a CLI did: its exit code and everything it wrote. */
export type CliRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs one of our CLIs (scripts/<script>) as a real process, the way a person does, with extra
 * environment variables; resolves with its exit code and output (never rejects on a non-zero exit).
 */
export function runCli(script: string, args: readonly string[], options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", join("scripts", script), ...args], {
      env: { ...process.env, ...options.env },
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

/** The secure side's CLIs (generate, link) as `npm run` runs them: the linker within its memory budget. */
export function secureSideCli(script: string, args: readonly string[], pseudonymKey: string): Promise<CliRun> {
  return runCli(script, args, { env: { PSEUDONYM_KEY: pseudonymKey }, nodeArgs: ["--max-old-space-size=640"] });
}

/** stderr without the progress bars' redraws. */
export function errorLines(run: CliRun): string[] {
  return run.stderr
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("generate [") && !l.startsWith("link ["));
}
