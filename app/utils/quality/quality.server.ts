import { z } from "zod";
import { listQualityRows } from "~/models/quality.server";
import { computeQualityReport, type QualityReport } from "../../../model/quality/report";
import { getActiveReference, getServingCatalogue } from "../registry/predictor.server";

// The computation is model/quality/report.ts (pure, testable without a database); this module feeds it.
export * from "../../../model/quality/report";

export const QualityFilterSchema = z.object({
  team: z.string().min(1).max(64).optional().catch(undefined),
});
export type QualityFilter = z.infer<typeof QualityFilterSchema>;

export function parseQualityFilter(url: URL): QualityFilter {
  return QualityFilterSchema.parse(Object.fromEntries(url.searchParams));
}

/** Fetches the filtered records, the active model's reference, and computes the suppressed report. */
export async function getQualityReport(filter: QualityFilter): Promise<QualityReport> {
  const [rows, reference, catalogue] = await Promise.all([listQualityRows({ team: filter.team }), getActiveReference(), getServingCatalogue()]);
  return computeQualityReport(rows, reference, catalogue);
}
