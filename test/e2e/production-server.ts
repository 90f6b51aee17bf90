import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { constants, setPriority, tmpdir } from "node:os";
import path from "node:path";

/**
 * `TRAJECTWIJZER_DEMO=0 npm start` on its own empty data directory and port, next to the demo server of
 * the other specs (its build is reused: same sources, same fingerprint). Resolves once /login answers.
 */
export type ProductionServer = {
  base: string;
  dataDir: string;
  /** Everything the server printed so far. */
  output: () => string;
  /** Stops the server and removes its data directory. */
  stop: () => Promise<void>;
};

export async function startProductionServer(options: { portOffset: number; name: string; timeoutMs?: number }): Promise<ProductionServer> {
  // These specs run beside the demo server's (playwright.config.ts, project own-server): this worker,
  // and the server, CLIs and browser it starts from now on, take the cycles the demo specs leave.
  setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  const port = Number(process.env.E2E_PORT ?? 3100) + options.portOffset;
  const base = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), `tw-${options.name}-`));
  let output = "";
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, TRAJECTWIJZER_DEMO: "0", DATA_DIR: dataDir, PORT: String(port), BUILD_DIR: process.env.E2E_BUILD_DIR ?? "build", OIDC_ISSUER: "" },
  });
  server.stdout?.on("data", (d) => {
    output += d;
  });
  server.stderr?.on("data", (d) => {
    output += d;
  });
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 400_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`production start stopped: ${output.slice(-500)}`);
    if (await fetch(`${base}/login`).then((r) => r.ok, () => false)) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`production start did not serve /login within ${timeoutMs / 1000} s: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { base, dataDir, output: () => output, stop };
}
