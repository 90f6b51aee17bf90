-- Retention (issue 18.7): an audit entry may be removed once it is older than the legal minimum of
-- 60 months (app/utils/retention.ts AUDIT_MINIMUM_MONTHS), never before, and no entry is ever changed
-- and the table is never truncated. "at" holds UTC without a zone. (\073 is the semicolon: see 0005.)
CREATE FUNCTION "audit_event_kept_minimum"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN IF OLD."at" >= (now() AT TIME ZONE ''UTC'') - interval ''60 months'' THEN RAISE EXCEPTION ''the audit log is append-only: an entry is kept at least 60 months''\073 END IF\073 RETURN OLD\073 END';

DROP TRIGGER "AuditEvent_no_update_or_delete" ON "AuditEvent";

CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "AuditEvent_no_early_delete" BEFORE DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_kept_minimum"();
