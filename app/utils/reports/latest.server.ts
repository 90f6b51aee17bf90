import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { checkReportFiles } from "../../../model/privacy/disclosure-check";
import { type Report, readReport, renderReportHtml } from "../../../model/report/index";
import { getActiveModelVersion } from "~/models/model-version.server";
import { dataDir } from "~/utils/registry/model-registry.server";

/**
 * The "what works for whom" reports the app shows: directories under DATA_DIR/reports/ written by
 * `npm run report -- … --out $DATA_DIR/reports/NAME` on the secure side. The latest is the newest
 * report made for the active model that passes the same static disclosure rules as a bundle; a report
 * that fails them is never shown. The HTML is rendered again from the validated report.json, so
 * nothing but our own markup reaches the browser.
 */
/** Who may read the report: aggregates only, every figure ≥ 10 people. */
export const REPORT_ROLES = ["manager", "datascientist", "admin"] as const;

export function reportsDir(): string {
  return path.join(dataDir(), "reports");
}

export type LatestReport =
  | { status: "none"; model: string | null }
  | { status: "refused"; model: string; name: string }
  | { status: "ok"; model: string; name: string; report: Report };

async function candidates(): Promise<string[]> {
  try {
    const entries = await readdir(reportsDir(), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && /^[\w.-]+$/.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
}

export async function getLatestReport(): Promise<LatestReport> {
  const active = await getActiveModelVersion();
  if (!active) return { status: "none", model: null };
  const mine: { name: string; report: Report; time: number }[] = [];
  for (const name of await candidates()) {
    const dir = path.join(reportsDir(), name);
    try {
      await stat(path.join(dir, "report.json"));
      const report = await readReport(dir);
      if (report.model.version === active.id) mine.push({ name, report, time: Date.parse(report.generatedAt) || 0 });
    } catch {
      // Not a report (or not readable): not a candidate.
    }
  }
  const latest = mine.sort((a, b) => b.time - a.time)[0];
  if (!latest) return { status: "none", model: active.id };
  const checks = await checkReportFiles(path.join(reportsDir(), latest.name));
  if (!checks.every((c) => c.passed)) return { status: "refused", model: active.id, name: latest.name };
  return { status: "ok", model: active.id, name: latest.name, report: latest.report };
}

/** The latest report as one self-contained HTML page, or null when there is none to show. */
export async function getLatestReportHtml(): Promise<string | null> {
  const latest = await getLatestReport();
  return latest.status === "ok" ? renderReportHtml(latest.report) : null;
}
