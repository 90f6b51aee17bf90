import { fail } from "./lib/cli.js";

/**
 * `npm run bench -- <what> [options]`: each benchmark lives in scripts/bench/<what>.ts,
 * exports `run(argv)` and prints one JSON document on stdout.
 */
const BENCHES = ["link", "train", "predict", "recommend", "quality"] as const;
const what = process.argv[2];
if (!what || what === "--help") {
  process.stdout.write(`usage: npm run bench -- <${BENCHES.join("|")}> [options]\n`);
  process.exit(what ? 0 : 1);
}
if (!(BENCHES as readonly string[]).includes(what)) fail("bench", `unknown benchmark "${what}"; choose one of ${BENCHES.join(", ")}`);
const mod = (await import(`./bench/${what}.js`)) as { run: (argv: string[]) => Promise<void> };
await mod.run(process.argv.slice(3));
