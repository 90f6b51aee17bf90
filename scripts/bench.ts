import { spawnSync } from "node:child_process";
import { fail } from "./lib/cli.js";

/**
 * `npm run bench -- <what> [options]`: each benchmark lives in scripts/bench/<what>.ts,
 * exports `run(argv)` and prints one JSON document on stdout.
 */
const BENCHES = ["link", "train", "predict", "recommend", "quality", "serve"] as const;
const what = process.argv[2];
if (!what || what === "--help") {
  process.stdout.write(`usage: npm run bench -- <${BENCHES.join("|")}> [options]\n`);
  process.exit(what ? 0 : 1);
}
if (!(BENCHES as readonly string[]).includes(what)) fail("bench", `unknown benchmark "${what}"; choose one of ${BENCHES.join(", ")}`);
// V8 grows its heap lazily on an idle machine (1.8 GB RSS for 1M persons without a cap, 0.74 GB with
// one): the link benchmark runs under the same heap cap as `npm run link` in package.json.
const LINK_HEAP_MB = 640;
if (what === "link" && !process.execArgv.some((a) => a.startsWith("--max-old-space-size"))) {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${LINK_HEAP_MB}`, ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}
const mod = (await import(`./bench/${what}.js`)) as { run: (argv: string[]) => Promise<void> };
await mod.run(process.argv.slice(3));
