import { getDb } from "~/utils/db.server";

/** Session rows: the cookie holds only the id; the row says whose session it is and until when. */
export async function createSessionRow(data: { id: string; userId: string; at: Date; expiresAt: Date }): Promise<void> {
  await getDb().session.create({
    data: { id: data.id, userId: data.userId, createdAt: data.at, lastSeenAt: data.at, expiresAt: data.expiresAt },
    select: { id: true },
  });
}

export async function deleteSessionRow(id: string): Promise<void> {
  await getDb().session.deleteMany({ where: { id } });
}

export async function getSessionWithUser(id: string) {
  return getDb().session.findUnique({
    where: { id },
    select: {
      id: true,
      lastSeenAt: true,
      expiresAt: true,
      user: { select: { id: true, username: true, displayName: true, role: true, active: true } },
    },
  });
}

export async function touchSessionRow(id: string, at: Date): Promise<void> {
  await getDb().session.updateMany({ where: { id }, data: { lastSeenAt: at } });
}
