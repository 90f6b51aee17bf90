import { checkServerHealth } from "~/utils/health.server";

/** GET /health: readiness for a load balancer, without authentication; 503 when the database does not answer. */
export async function loader() {
  const health = await checkServerHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
