import { getDb } from "~/utils/db.server";

export async function getActiveModelVersion() {
  return getDb().modelVersion.findFirst({
    where: { status: "active" },
    select: { id: true, dir: true, activatedAt: true },
    orderBy: { activatedAt: "desc" },
  });
}
