import { createAuditEvent } from "~/models/audit.server";
import { requestOrigin } from "./request.server";

/**
 * The append-only audit log. Entries name actors and objects by id, never by personal data.
 * There is deliberately no update or delete function here.
 */
export type AuditEntry = {
  actorId: string | null;
  action: string;
  object?: string | null;
  result: "ok" | "denied" | "failed";
  request: Request;
};

export async function audit(entry: AuditEntry): Promise<void> {
  await createAuditEvent({
    actorId: entry.actorId,
    action: entry.action,
    object: entry.object ?? null,
    result: entry.result,
    origin: requestOrigin(entry.request),
  });
}
