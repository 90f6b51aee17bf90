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

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Runs a CLI's `main` in this process (TensorFlow.js loads once per test file), capturing stdout and
 * stderr and turning process.exit into `exit` (null when main returned without exiting).
 */
export async function runInProcess(main: (argv: string[]) => Promise<void>, argv: string[]): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  const { vi } = await import("vitest");
  let stderr = "";
  let stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process, "exit").mockImplementation((code?: string | number | null) => {
    throw new Exit(Number(code ?? 0));
  });
  let exit: number | null = null;
  try {
    await main(argv);
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    exit = error.code;
  } finally {
    vi.restoreAllMocks();
    vi.spyOn(console, "error"); // keep the setup's console.error guard in place
  }
  return { exit, stdout, stderr };
}

/** The secure-side CLIs by script name, loaded when first run. */
const SECURE_SIDE_MAINS = {
  "generate.ts": async () => (await import("../../scripts/generate.js")).main,
  "link.ts": async () => (await import("../../scripts/link.js")).main,
};
export type SecureSideScript = keyof typeof SECURE_SIDE_MAINS;

/** `generate` or `link` through its main in this process, with the pseudonym key secureSideCli gives the real ones. */
export async function secureSideMain(script: SecureSideScript, argv: string[], pseudonymKey: string): Promise<CliRun> {
  const main = await SECURE_SIDE_MAINS[script]();
  const previousKey = process.env.PSEUDONYM_KEY;
  process.env.PSEUDONYM_KEY = pseudonymKey;
  try {
    const { exit, stdout, stderr } = await runInProcess(main, argv);
    return { code: exit ?? 0, stdout, stderr };
  } finally {
    if (previousKey === undefined) delete process.env.PSEUDONYM_KEY;
    else process.env.PSEUDONYM_KEY = previousKey;
  }
}
