import { z } from "zod";
import { getDb } from "~/utils/db.server";
import { LEARNER_CHOICES } from "~/utils/registry/learner-choices";

/** A retraining run (app/utils/registry/training.server.ts starts the worker, scripts/train-worker.ts trains). */
export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "running"];

export const TrainSettingsSchema = z.object({
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1),
  members: z.coerce.number().int().min(1).max(10),
  maxEpochs: z.coerce.number().int().min(1).max(500),
  /**
   * Which learner the bundle predicts with: "auto" chooses by cross-fitted causal validation on the
   * training rows (the form's default), or a fixed one. Absent in runs from before the choice (the network).
   */
  learner: z.enum(LEARNER_CHOICES).optional(),
});
export type TrainSettings = z.infer<typeof TrainSettingsSchema>;

export const RunProgressSchema = z.object({
  phase: z.enum(["starting", "reading", "training", "saving", "checking", "done"]).optional(),
  member: z.number().int().optional(),
  members: z.number().int().optional(),
  epoch: z.number().int().optional(),
  maxEpochs: z.number().int().optional(),
  loss: z.number().optional(),
  /** The loss curve so far: per ensemble member, the training loss of each epoch (the web server collects it). */
  losses: z.array(z.array(z.number()).max(500)).max(10).optional(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** A run whose worker has not reported for this long is considered gone. */
export const HEARTBEAT_TIMEOUT_MS = 30_000;
export const SERVER_RESTARTED = "server restarted";

const runSelect = {
  id: true,
  status: true,
  tableName: true,
  settingsJson: true,
  progressJson: true,
  error: true,
  pid: true,
  heartbeatAt: true,
  modelVersionId: true,
  createdById: true,
  createdAt: true,
  finishedAt: true,
} as const;

export function parseProgress(json: string): RunProgress {
  try {
    const parsed = RunProgressSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function createTrainingRun(data: { tableName: string; settings: TrainSettings; createdById: string }) {
  return getDb().trainingRun.create({
    data: { status: "queued", tableName: data.tableName, settingsJson: JSON.stringify(data.settings), createdById: data.createdById, heartbeatAt: new Date() },
    select: { id: true },
  });
}

export async function getTrainingRun({ id }: { id: string }) {
  return getDb().trainingRun.findUnique({ where: { id }, select: runSelect });
}

export async function listTrainingRuns({ take = 20 }: { take?: number } = {}) {
  return getDb().trainingRun.findMany({ select: runSelect, orderBy: { createdAt: "desc" }, take });
}

export async function markRunStarted({ id, pid }: { id: string; pid: number }) {
  await getDb().trainingRun.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "running", pid, heartbeatAt: new Date(), progressJson: JSON.stringify({ phase: "starting" }) },
  });
}

/** Progress and heartbeat; only while the run is still running (a cancelled run stays cancelled). */
export async function updateRunProgress({ id, progress }: { id: string; progress: RunProgress }) {
  await getDb().trainingRun.updateMany({
    where: { id, status: "running" },
    data: { progressJson: JSON.stringify(progress), heartbeatAt: new Date() },
  });
}

export async function finishRun({ id, modelVersionId }: { id: string; modelVersionId: string }): Promise<boolean> {
  const db = getDb();
  // The loss curve stays on the finished run's page.
  const before = await db.trainingRun.findUnique({ where: { id }, select: { progressJson: true } });
  const losses = before ? parseProgress(before.progressJson).losses : undefined;
  const { count } = await db.trainingRun.updateMany({
    where: { id, status: "running" },
    data: { status: "succeeded", modelVersionId, finishedAt: new Date(), progressJson: JSON.stringify({ phase: "done", losses }), pid: null },
  });
  return count === 1;
}

/** Marks a queued or running run failed with a plain-language reason (never a path or stack). */
export async function failRun({ id, error }: { id: string; error: string }): Promise<boolean> {
  const { count } = await getDb().trainingRun.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "failed", error: error.slice(0, 500), finishedAt: new Date(), pid: null },
  });
  return count === 1;
}

/** Marks a queued or running run cancelled; returns the pid to stop (null when there is none or it had ended). */
export async function cancelRun({ id }: { id: string }): Promise<{ ok: boolean; pid: number | null }> {
  const db = getDb();
  const run = await db.trainingRun.findUnique({ where: { id }, select: { status: true, pid: true } });
  if (!run || !ACTIVE_RUN_STATUSES.includes(run.status as RunStatus)) return { ok: false, pid: null };
  const { count } = await db.trainingRun.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date(), pid: null },
  });
  return { ok: count === 1, pid: run.pid };
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * At server start-up: any queued or running run whose worker is gone (pid not alive, or no heartbeat for
 * HEARTBEAT_TIMEOUT_MS) is marked failed with reason "server restarted". Returns the ids marked.
 */
export async function recoverStaleRuns(options: { now?: Date; isAlive?: (pid: number) => boolean } = {}): Promise<string[]> {
  const now = options.now ?? new Date();
  const isAlive = options.isAlive ?? processAlive;
  const db = getDb();
  const runs = await db.trainingRun.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true, pid: true, heartbeatAt: true, createdAt: true },
  });
  const stale = runs.filter((run) => {
    const last = (run.heartbeatAt ?? run.createdAt).getTime();
    const silent = now.getTime() - last > HEARTBEAT_TIMEOUT_MS;
    return run.pid === null ? silent : !isAlive(run.pid) || silent;
  });
  const marked: string[] = [];
  for (const run of stale) if (await failRun({ id: run.id, error: SERVER_RESTARTED })) marked.push(run.id);
  return marked;
}

export async function countActiveRuns(): Promise<number> {
  return getDb().trainingRun.count({ where: { status: { in: ["queued", "running"] } } });
}

/** What the run page and its event stream show (no pid, no paths). */
export type RunView = {
  id: string;
  status: string;
  tableName: string;
  settings: Partial<TrainSettings>;
  progress: RunProgress;
  error: string | null;
  modelVersionId: string | null;
  updatedAt: string | null;
  /** When the run was started (ISO), for the time estimate. */
  startedAt: string;
  finished: boolean;
};

export function toRunView(run: NonNullable<Awaited<ReturnType<typeof getTrainingRun>>>): RunView {
  let settings: Partial<TrainSettings> = {};
  try {
    const parsed = TrainSettingsSchema.partial().safeParse(JSON.parse(run.settingsJson));
    if (parsed.success) settings = parsed.data;
  } catch {
    // leave empty
  }
  return {
    id: run.id,
    status: run.status,
    tableName: run.tableName,
    settings,
    progress: parseProgress(run.progressJson),
    error: run.error,
    modelVersionId: run.modelVersionId,
    updatedAt: (run.finishedAt ?? run.heartbeatAt)?.toISOString().slice(0, 19).replace("T", " ") ?? null,
    startedAt: run.createdAt.toISOString(),
    finished: !ACTIVE_RUN_STATUSES.includes(run.status as RunStatus),
  };
}
