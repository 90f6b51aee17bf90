import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { z } from "zod";
import { DEMO_PASSWORD } from "../../app/utils/auth/demo-credentials.js";
import { ClientProfileSchema, type ClientProfile } from "../../model/reintegration.js";
import { readTableCsv } from "../../model/table/read.js";
import { parseCli } from "../lib/cli.js";

/**
 * Load on a real production server: `npm start` on its own data directory (the demo model, built
 * and trained on first use), then autocannon against the recommendations API with explanations and
 * against a client's page, and finally 1 000 recommendations written concurrently, counted in the
 * database. Prints one JSON document.
 */
const spec = {
  name: "bench serve",
  usage: "npm run bench -- serve [--data-dir DIR] [--port P] [--connections C] [--duration S] [--page-duration S] [--writes N]",
  description:
    "Starts the production server (`npm start` on --data-dir, default data/bench-serve; the first run builds the\n" +
    "demo model), drives POST /api/v1/recommendations with autocannon (default 20 connections, 30 s, 500 different\n" +
    "client profiles), then GET /clients/:id as a logged-in case worker, then writes --writes (default 1000)\n" +
    "recommendations concurrently and counts them. Prints latency, requests/s, errors and peak server RSS as JSON.",
  options: {
    "data-dir": "string",
    port: "string",
    connections: "string",
    duration: "string",
    "page-duration": "string",
    writes: "string",
  } as const,
  schema: z.object({
    "data-dir": z.string().min(1).default("data/bench-serve"),
    port: z.coerce.number().int().min(1024).max(65535).default(3970),
    connections: z.coerce.number().int().min(1).max(1000).default(20),
    duration: z.coerce.number().int().min(1).max(3600).default(30),
    "page-duration": z.coerce.number().int().min(1).max(3600).default(10),
    writes: z.coerce.number().int().min(1).max(100_000).default(1000),
  }),
};

const DEMO_USER = "klantmanager1";
const TARGETS = { errors: 0, p99Ms: 100, requestsPerSecond: 200 } as const;

/** Starts `npm start` in a child process and resolves when it serves. */
function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
      if (output.includes(`serves http://localhost:${port}`)) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`npm start stopped with exit code ${code} before serving`)));
  });
}

/** Resident set size of a process, from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Up to `n` different valid profiles from the held-out rows that `npm start` left in the data directory. */
async function profilesFrom(dataDir: string, n: number): Promise<ClientProfile[]> {
  const table = await readTableCsv(path.join(dataDir, "linked", "holdout.csv"));
  const profiles: ClientProfile[] = [];
  for (const row of table.rows) {
    const candidate = Object.fromEntries(Object.keys(ClientProfileSchema.shape).map((k) => [k, row[k]]));
    const parsed = ClientProfileSchema.safeParse(candidate);
    if (parsed.success) profiles.push(parsed.data);
    if (profiles.length >= n) break;
  }
  if (profiles.length === 0) throw new Error(`no valid client profiles in ${dataDir}/linked/holdout.csv`);
  return profiles;
}

type Load = { requests: number; requestsPerSecond: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; errors: number; timeouts: number; non2xx: number };

async function load(options: autocannon.Options): Promise<Load> {
  const r = await autocannon(options);
  return {
    requests: r.requests.total,
    requestsPerSecond: Math.round(r.requests.average * 10) / 10,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Samples the server's RSS while `work` runs; returns the work's result and the peak. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 200);
  try {
    const result = await work();
    return { result, peakRssMb: Math.round(Math.max(peak, rssMb(pid))) };
  } finally {
    clearInterval(timer);
  }
}

export async function run(argv: string[]): Promise<void> {
  const args = parseCli(spec, argv);
  const dataDir = path.resolve(args["data-dir"]);
  const base = `http://localhost:${args.port}`;
  const server = await startServer(dataDir, args.port);
  const pid = server.pid ?? 0;
  const { createDbClient } = await import("../../app/utils/db.server.js");
  const { newApiToken } = await import("../../app/utils/api/api.server.js");
  const db = createDbClient(`file:${path.join(dataDir, "trajectwijzer.db")}`);
  let tokenId: string | null = null;
  try {
    const user = await db.user.findUnique({ where: { username: DEMO_USER }, select: { id: true } });
    if (!user) throw new Error(`demo account ${DEMO_USER} is missing in ${dataDir}`);
    const { token, tokenHash } = newApiToken();
    tokenId = (await db.apiToken.create({ data: { userId: user.id, name: "bench serve", tokenHash }, select: { id: true } })).id;
    const api = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

    const profiles = await profilesFrom(dataDir, 500);
    const recommendations = profiles.map((profile) => ({ method: "POST" as const, path: "/api/v1/recommendations", headers: api, body: JSON.stringify({ profile }) }));
    // Warm-up (not measured): the model loads on the first request, the threads and V8 warm up.
    for (const r of recommendations.slice(0, 5)) {
      const response = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
      if (!response.ok) throw new Error(`warm-up request answered ${response.status}: ${await response.text()}`);
    }
    await load({ url: base, connections: args.connections, duration: 5, requests: recommendations });
    const apiLoad = await sampled(pid, () => load({ url: base, connections: args.connections, duration: args.duration, requests: recommendations }));

    // The client page as a logged-in case worker (each view also stores what was shown).
    const login = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
      body: new URLSearchParams({ username: DEMO_USER, password: DEMO_PASSWORD }),
      redirect: "manual",
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    if (login.status !== 302 || !cookie) throw new Error(`login as ${DEMO_USER} answered ${login.status}`);
    const list = (await (await fetch(`${base}/api/v1/clients`, { headers: api })).json()) as { clients: { id: string }[] };
    const clientId = list.clients[0]?.id;
    if (!clientId) throw new Error(`${DEMO_USER} has no clients`);
    const pageLoad = await sampled(pid, () =>
      load({ url: `${base}/clients/${clientId}`, connections: args.connections, duration: args["page-duration"], headers: { Cookie: cookie } }),
    );

    // Concurrent writes: register N clients, then ask for all their recommendations at once.
    const run = randomBytes(4).toString("hex");
    const ids: string[] = [];
    for (let start = 0; start < args.writes; start += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, args.writes - start) }, async (_, j) => {
          const response = await fetch(`${base}/api/v1/clients`, {
            method: "POST",
            headers: api,
            body: JSON.stringify({ reference: `BENCH-${run}-${start + j}`, profile: profiles[(start + j) % profiles.length] }),
          });
          if (response.status !== 201) throw new Error(`registering a client answered ${response.status}`);
          return ((await response.json()) as { id: string }).id;
        }),
      );
      ids.push(...batch);
    }
    const writes = await sampled(pid, async () => {
      const started = performance.now();
      const statuses = await Promise.all(
        ids.map(async (id) => {
          try {
            return (await fetch(`${base}/api/v1/clients/${id}/recommendation`, { headers: api })).status;
          } catch {
            return 0;
          }
        }),
      );
      return { seconds: (performance.now() - started) / 1000, answered: statuses.filter((s) => s === 200).length };
    });
    let stored = 0;
    // SQLite limits the number of bound parameters: count in slices.
    for (let i = 0; i < ids.length; i += 200) stored += await db.recommendation.count({ where: { clientId: { in: ids.slice(i, i + 200) } } });

    const peakRssMb = Math.max(apiLoad.peakRssMb, pageLoad.peakRssMb, writes.peakRssMb);
    const a = apiLoad.result;
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: "serve",
          connections: args.connections,
          api: { endpoint: "POST /api/v1/recommendations (with explanations)", durationS: args.duration, profiles: profiles.length, ...a },
          page: { endpoint: "GET /clients/:id (HTML)", durationS: args["page-duration"], ...pageLoad.result },
          concurrentWrites: {
            requests: ids.length,
            answered: writes.result.answered,
            stored,
            lost: ids.length - stored,
            seconds: Math.round(writes.result.seconds * 10) / 10,
          },
          peakRssMb,
          targets: {
            errors: a.errors + a.timeouts + a.non2xx === TARGETS.errors,
            p99: a.p99Ms <= TARGETS.p99Ms,
            requestsPerSecond: a.requestsPerSecond >= TARGETS.requestsPerSecond,
            nothingLost: stored === ids.length && writes.result.answered === ids.length,
          },
          cores: (await import("node:os")).availableParallelism(),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (tokenId) await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } }).catch(() => undefined);
    await db.$disconnect();
    server.kill("SIGTERM");
  }
}
