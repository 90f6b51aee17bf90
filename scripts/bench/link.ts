import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { linkDelivery } from "../../model/link/index.js";
import { parseCli } from "../lib/cli.js";

const spec = {
  name: "bench link",
  usage: "npm run bench -- link [--persons N] [--seed S] [--clean]",
  description:
    "Generates a delivery of N persons (default 100000) in a child process, then times `link` on it in this\n" +
    "process and prints {persons, rows, rowsPerSecond, wallSeconds, peakRssMb} as JSON. Temporary files are removed.",
  options: { persons: "string", seed: "string", clean: "boolean" } as const,
  schema: z.object({
    persons: z.coerce.number().int().min(100).max(5_000_000).default(100_000),
    seed: z.coerce.number().int().min(0).default(1),
    clean: z.boolean().default(false),
  }),
};

function generateInChild(out: string, n: number, seed: number, clean: boolean): Promise<void> {
  const script = fileURLToPath(new URL("../generate.ts", import.meta.url));
  const args = ["--import", import.meta.resolve("tsx"), script, "--out", out, "--n", String(n), "--seed", String(seed), ...(clean ? ["--clean"] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`generate exited with code ${code}`))));
  });
}

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dir = await mkdtemp(join(tmpdir(), "trajectwijzer-bench-link-"));
  try {
    await generateInChild(join(dir, "in"), args.persons, args.seed, args.clean);
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 50);
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const report = await linkDelivery({
      inDir: join(dir, "in"),
      outDir: join(dir, "out"),
      pseudonymKey: "bench-key-not-secret-0123456789abcdef",
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    const rows = Object.values(report.files).reduce((sum, f) => sum + f.rowsRead, 0);
    const result = {
      persons: args.persons,
      rows,
      rowsPerSecond: Math.round(rows / wallSeconds),
      wallSeconds: Math.round(wallSeconds * 100) / 100,
      peakRssMb: Math.round(Math.max(maxRssMb, peakRss / 2 ** 20)),
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
      trajectoriesWritten: report.trajectories.written,
      clean: args.clean,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
