import { writeSync } from "node:fs";
import { z } from "zod";
import { compareBundleDirs, ModelError } from "../model/index.js";

/**
 * Comparison worker, started by app/utils/registry/comparison.server.ts (one process per comparison), so
 * the bootstrap does not block the web server. Like the training worker it never touches the database;
 * everything goes to stdout as JSON lines:
 *   {"phase":"bootstrap","step":2,"steps":5}   progress
 *   {"result":{…ModelComparison…}}             success
 *   {"error":"…"}                              failure (plain, no paths)
 */
export const CompareJobSchema = z.object({
  candidateDir: z.string().min(1),
  activeDir: z.string().min(1),
  table: z.string().min(1),
  schema: z.string().min(1),
  replicates: z.number().int().min(20).max(2000).optional(),
});
export type CompareJob = z.infer<typeof CompareJobSchema>;

function emit(line: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify(line)}\n`);
}

function plainReason(error: unknown): string {
  if (!(error instanceof ModelError)) return "comparison failed";
  return error.message.replace(/(?:\/[^\s/:]+)+\/([^\s/:]+)/g, "$1").slice(0, 300);
}

async function main(): Promise<void> {
  const job = CompareJobSchema.parse(JSON.parse(process.argv[2] ?? "null"));
  emit({ phase: "starting" });
  const result = await compareBundleDirs({ ...job, onProgress: (p) => emit(p) });
  emit({ result });
}

main().catch((error: unknown) => {
  try {
    emit({ error: plainReason(error) });
  } catch {
    // stdout gone: the server that started this worker has stopped
  }
  process.exitCode = 1;
});
