-- Why a client's file was opened, per audit entry (NEN 7513). Adding a column changes no existing
-- row, so the append-only triggers of 0005 and 0007 stay as they are. Old entries keep a null reason.
-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "reason" TEXT;
