/**
 * The operations CLIs write the same audit log as the app. There is no request and no signed-in
 * person: the actor is empty and the origin "cli" (whoever can run these commands has the server).
 */
export async function auditCli(entry: { action: string; object?: string | null; result: "ok" | "denied" | "failed" }): Promise<void> {
  const { audit } = await import("../../app/utils/audit.server.js");
  await audit({ actorId: null, ...entry, request: new Request("http://cli.invalid/", { headers: { "x-tw-remote-address": "cli" } }) });
}
