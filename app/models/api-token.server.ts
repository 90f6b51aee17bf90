import { getDb } from "~/utils/db.server";

/** An API token by its hash, with what authorisation needs of its account. */
export async function getApiTokenByHash({ tokenHash }: { tokenHash: string }) {
  return getDb().apiToken.findUnique({
    where: { tokenHash },
    select: { revokedAt: true, expiresAt: true, scope: true, user: { select: { id: true, role: true, active: true } } },
  });
}

