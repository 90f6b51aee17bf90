import { getDb } from "~/utils/db.server";
import type { RetentionCutoffs } from "~/utils/retention";

export type PurgeCounts = { recommendations: number; closedClients: number; auditEntries: number };

/**
 * Removes what is past its retention (app/utils/retention.ts), or with `dryRun` only counts it.
 * - Shown advice older than its cutoff, unless a decision rests on it (that advice is part of the
 *   file and goes with the client).
 * - Closed clients whose last change (the closing) is older than its cutoff, with their advice,
 *   decisions and outcomes (cascade).
 * - Audit entries older than their cutoff; the database refuses any younger than the legal minimum.
 * Each kind is removed in its own statement, so one refusal leaves the others done.
 */
export async function purgeExpired(cutoffs: RetentionCutoffs, options: { dryRun: boolean }): Promise<PurgeCounts> {
  const db = getDb();
  const recommendations = { createdAt: { lt: cutoffs.recommendations }, decisions: { none: {} } };
  const closedClients = { status: "closed", lastContactAt: { lt: cutoffs.closedClients } };
  const auditEntries = { at: { lt: cutoffs.audit } };
  if (options.dryRun) {
    const [r, c, a] = await Promise.all([
      db.recommendation.count({ where: recommendations }),
      db.client.count({ where: closedClients }),
      db.auditEvent.count({ where: auditEntries }),
    ]);
    return { recommendations: r, closedClients: c, auditEntries: a };
  }
  // Clients first: their own advice then goes with them and is not counted twice.
  const clients = await db.client.deleteMany({ where: closedClients });
  const shown = await db.recommendation.deleteMany({ where: recommendations });
  const audit = await db.auditEvent.deleteMany({ where: auditEntries });
  return { recommendations: shown.count, closedClients: clients.count, auditEntries: audit.count };
}
