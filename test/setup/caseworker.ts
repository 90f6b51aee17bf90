/**
 * A case worker in the test database with both ways in: a session cookie (the app's forms) and an
 * API token (/api/v1), made through the app's own modules. Call after useTestDatabase().
 */
export async function createCaseworkerWithCredentials(username: string): Promise<{ caseworkerId: string; cookie: string; token: string }> {
  const db = (await import("~/utils/db.server")).getDb();
  const { createSession } = await import("~/utils/auth/session.server");
  const { newApiToken } = await import("~/utils/api/api.server");
  const caseworkerId = (await db.user.create({ data: { username, displayName: "CW", role: "caseworker", passwordHash: "x" } })).id;
  const cookie = (await createSession(caseworkerId)).split(";")[0] ?? "";
  const generated = newApiToken();
  await db.apiToken.create({ data: { name: "t", tokenHash: generated.tokenHash, userId: caseworkerId } });
  return { caseworkerId, cookie, token: generated.token };
}
