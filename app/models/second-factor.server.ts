import { getDb } from "~/utils/db.server";

export async function getTotpState(userId: string) {
  return getDb().user.findFirst({
    where: { id: userId, active: true },
    select: { id: true, username: true, role: true, totpSecret: true, totpEnabled: true, totpLastStep: true },
  });
}

export async function storeTotpSecret({ userId, encryptedSecret }: { userId: string; encryptedSecret: string }) {
  await getDb().user.updateMany({ where: { id: userId, totpEnabled: false }, data: { totpSecret: encryptedSecret } });
}

/** Records the used time step (and enables the factor); refuses a step at or before the last one: no replay. */
export async function claimTotpStep({ userId, step, enable }: { userId: string; step: number; enable: boolean }) {
  const { count } = await getDb().user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step, ...(enable ? { totpEnabled: true } : {}) },
  });
  return count === 1;
}

export async function disableTotp(userId: string) {
  await getDb().user.updateMany({ where: { id: userId }, data: { totpEnabled: false, totpSecret: null, totpLastStep: null } });
}
