import type { PrismaClient } from "~/generated/prisma/client";
import { getDb } from "./db.server";
import { getLoadedModelVersion } from "./registry/predictor.server";

/**
 * Readiness for a load balancer. Ready means: the database answers. An instance without an active
 * model is still ready (200, `model: null`): a fresh production installation has no model until one is
 * imported, and its login and administration pages must stay reachable. 503 only when the database
 * does not answer (within `timeoutMs`, 5 s by default: a load balancer's usual timeout, and room for a
 * first connection on a busy machine), or, in the HTTP server, while the process shuts down.
 * One small query (the active model's row) per `ttlMs` at most, shared by concurrent checks.
 * Nothing personal: versions and statuses only.
 */
export type Health = {
  status: "ok" | "unavailable";
  database: { reachable: boolean };
  model: { version: string; disclosure: string; loaded: boolean } | null;
};

type Probe = { reachable: true; active: { id: string; disclosureStatus: string } | null } | { reachable: false };

export function createHealthCheck(options: {
  db: () => PrismaClient;
  loadedVersion: () => Promise<string | null>;
  ttlMs?: number;
  timeoutMs?: number;
  now?: () => number;
}) {
  const ttlMs = options.ttlMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  let cached: { at: number; probe: Promise<Probe> } | undefined;

  async function probe(): Promise<Probe> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Probe>((resolve) => {
      timer = setTimeout(() => resolve({ reachable: false }), timeoutMs);
    });
    const query = options
      .db()
      .modelVersion.findFirst({ where: { status: "active" }, select: { id: true, disclosureStatus: true }, orderBy: { activatedAt: "desc" } })
      .then((active): Probe => ({ reachable: true, active }))
      .catch((): Probe => ({ reachable: false }));
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return async function check(): Promise<Health> {
    const t = now();
    if (!cached || t - cached.at >= ttlMs) cached = { at: t, probe: probe() };
    const result = await cached.probe;
    if (!result.reachable) return { status: "unavailable", database: { reachable: false }, model: null };
    const loaded = await options.loadedVersion();
    return {
      status: "ok",
      database: { reachable: true },
      model: result.active ? { version: result.active.id, disclosure: result.active.disclosureStatus, loaded: loaded === result.active.id } : null,
    };
  };
}

let serverCheck: (() => Promise<Health>) | undefined;

/** This server's health check: its database and the model version it has loaded (made on first use). */
export async function checkServerHealth(): Promise<Health> {
  serverCheck ??= createHealthCheck({ db: getDb, loadedVersion: getLoadedModelVersion });
  return serverCheck();
}
