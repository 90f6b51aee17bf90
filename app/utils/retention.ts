import { z } from "zod";
import { invalidConfiguration } from "./invalid-configuration";

/**
 * How long the app keeps what it records (issue 18.7), in months, per deployment:
 * - RETENTION_RECOMMENDATIONS_MONTHS: advice that was shown and on which no decision rests (advice a
 *   decision was based on stays with that decision, in the client's file);
 * - RETENTION_CLOSED_CLIENTS_MONTHS: a closed client's file (profile, advice, decisions, outcomes),
 *   counted from the last change, which closed it;
 * - RETENTION_AUDIT_MONTHS: audit entries; never less than the legal minimum below, which the
 *   database enforces itself (migration 0007_audit_retention).
 * `npm run purge` removes what is past these; nothing is removed without it.
 */
export const AUDIT_MINIMUM_MONTHS = 60;

const months = (fallback: number, minimum: number, why: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "must be a whole number of months" })
      .int("must be a whole number of months")
      .min(minimum, `must be at least ${minimum} months${why}`)
      .max(1200, "must be at most 1200 months")
      .default(fallback),
  );

export const RetentionEnvShape = {
  RETENTION_RECOMMENDATIONS_MONTHS: months(24, 1, ""),
  RETENTION_CLOSED_CLIENTS_MONTHS: months(24, 1, ""),
  RETENTION_AUDIT_MONTHS: months(AUDIT_MINIMUM_MONTHS, AUDIT_MINIMUM_MONTHS, " (the audit log's legal minimum)"),
};
const RetentionEnvSchema = z.object(RetentionEnvShape);

export type Retention = { recommendationsMonths: number; closedClientsMonths: number; auditMonths: number };

/** The retention periods from the environment; a bad value is an error naming the variable. */
export function retentionFromEnv(env: Record<string, string | undefined>): Retention {
  const parsed = RetentionEnvSchema.safeParse(env);
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  return {
    recommendationsMonths: parsed.data.RETENTION_RECOMMENDATIONS_MONTHS,
    closedClientsMonths: parsed.data.RETENTION_CLOSED_CLIENTS_MONTHS,
    auditMonths: parsed.data.RETENTION_AUDIT_MONTHS,
  };
}

/** The moment `months` calendar months before `now` (UTC): what is older goes. */
export function monthsBefore(now: Date, months: number): Date {
  const cutoff = new Date(now.getTime());
  const day = cutoff.getUTCDate();
  cutoff.setUTCDate(1);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  // 31 March minus one month is the last day of February, not 3 March.
  const lastDay = new Date(Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth() + 1, 0)).getUTCDate();
  cutoff.setUTCDate(Math.min(day, lastDay));
  return cutoff;
}

export type RetentionCutoffs = { recommendations: Date; closedClients: Date; audit: Date };

export function retentionCutoffs(retention: Retention, now: Date): RetentionCutoffs {
  return {
    recommendations: monthsBefore(now, retention.recommendationsMonths),
    closedClients: monthsBefore(now, retention.closedClientsMonths),
    audit: monthsBefore(now, Math.max(retention.auditMonths, AUDIT_MINIMUM_MONTHS)),
  };
}
