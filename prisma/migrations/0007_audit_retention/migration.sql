-- Retention (issue 18.7): an audit entry may be removed once it is older than the legal minimum of
-- 60 months (app/utils/retention.ts AUDIT_MINIMUM_MONTHS), never before, and no entry is ever changed.
-- Prisma writes "at" as ISO 8601 text in UTC, which compares in time order.
DROP TRIGGER "AuditEvent_no_delete";

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
WHEN OLD."at" >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 months')
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: an entry is kept at least 60 months');
END;
