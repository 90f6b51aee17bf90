import { getDb } from "~/utils/db.server";
import { createHealthCheck } from "~/utils/health.server";
import { getLoadedModelVersion } from "~/utils/predictor.server";

const check = createHealthCheck({ db: getDb, loadedVersion: getLoadedModelVersion });

/** GET /health: readiness for a load balancer, without authentication; 503 when the database does not answer. */
export async function loader() {
  const health = await check();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
