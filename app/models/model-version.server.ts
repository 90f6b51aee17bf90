import { getDb } from "~/utils/db.server";

export async function getActiveModelVersion() {
  return getDb().modelVersion.findFirst({
    where: { status: "active" },
    select: { id: true, dir: true, activatedAt: true },
    orderBy: { activatedAt: "desc" },
  });
}

export async function listModelVersions() {
  return getDb().modelVersion.findMany({
    select: { id: true, status: true, createdAt: true, activatedAt: true },
    orderBy: { createdAt: "desc" },
  });
}
