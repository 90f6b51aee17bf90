import { z } from "zod";
import { getDb } from "~/utils/db.server";

/**
 * Managers' settings, one row per key with a JSON value (table Setting). An absent or unreadable
 * value reads as the default.
 */
const KEEP_EFFECTS_MEASURABLE = "keepEffectsMeasurable";

/**
 * Keep effects measurable (README): when the first trajectories are not clearly better than each
 * other for a client, vary at random which of them is shown first and record the probabilities.
 * Off by default.
 */
export async function getKeepEffectsMeasurable(): Promise<{ on: boolean; updatedAt: Date | null }> {
  const row = await getDb().setting.findUnique({ where: { key: KEEP_EFFECTS_MEASURABLE }, select: { value: true, updatedAt: true } });
  if (!row) return { on: false, updatedAt: null };
  let on = false;
  try {
    on = z.boolean().catch(false).parse(JSON.parse(row.value));
  } catch {
    on = false;
  }
  return { on, updatedAt: row.updatedAt };
}

/** Stores the setting; the caller audits the change. */
export async function updateKeepEffectsMeasurable({ on, userId }: { on: boolean; userId: string }): Promise<void> {
  const value = JSON.stringify(on);
  await getDb().setting.upsert({
    where: { key: KEEP_EFFECTS_MEASURABLE },
    create: { key: KEEP_EFFECTS_MEASURABLE, value, updatedBy: userId },
    update: { value, updatedBy: userId },
    select: { key: true },
  });
}
