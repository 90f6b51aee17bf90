import { getDb } from "~/utils/db.server";
import { createHealthCheck, type Health } from "~/utils/health.server";
import { getLoadedModelVersion } from "~/utils/predictor.server";

let check: (() => Promise<Health>) | undefined;

/** GET /health: readiness for a load balancer, without authentication; 503 when the database does not answer. */
export async function loader() {
  check ??= createHealthCheck({ db: getDb, loadedVersion: getLoadedModelVersion });
  const health = await check();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
