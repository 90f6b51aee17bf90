import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type Bundle, type Manifest, sha256, verifyBundle, writeBundleFile } from "../bundle/bundle.js";
import { MIN_CELL } from "../bundle/reference.js";
import { BundleError } from "../errors.js";
import type { Row } from "../table/read.js";
import { checkBundleFiles, DISCLOSURE_REPORT_FILE, type StaticCheck } from "./disclosure-check.js";
import { MIA_THRESHOLDS, type MembershipInferenceOptions, type MembershipInferenceResult, runMembershipInference } from "./membership-inference.js";

/**
 * The disclosure report `check-bundle` writes into the bundle (disclosure-report.json, listed in the
 * manifest). It records the checksum of every other bundle file at check time (`covers`), so a report
 * stays valid only for exactly the files it checked: replacing any file (e.g. metrics.json by a later
 * `evaluate`) or adding one voids it until `check-bundle` runs again.
 */
export const DISCLOSURE_REPORT_FORMAT = "trajectwijzer-disclosure-report";

/** A bundle without a passing, current disclosure report (the app answers 503). */
export class DisclosureError extends BundleError {
  override name = "DisclosureError";
}

const FindingSchema = z.object({ file: z.string(), path: z.string(), reason: z.string() });
const StaticCheckSchema = z.object({
  name: z.enum(["record-level-data", "small-counts", "raw-extremes", "identifiers"]),
  passed: z.boolean(),
  findings: z.array(FindingSchema),
});
const IntervalSchema = z.object({ value: z.number(), lower95: z.number(), upper95: z.number() });
const SummarySchema = z.object({
  perSide: z.number().int().min(MIN_CELL),
  auc: IntervalSchema,
  advantage: IntervalSchema,
  tprAt1Fpr: IntervalSchema,
  chanceAdvantage: z.number(),
});
const AttackSchema = z.object({
  name: z.enum(["loss", "confidence"]),
  passed: z.boolean(),
  reasons: z.array(z.string()),
  overall: SummarySchema,
  groups: z.array(SummarySchema.extend({ column: z.string(), group: z.string() })),
  groupWarnings: z.array(z.string()),
});
export const DisclosureReportSchema = z.object({
  format: z.literal(DISCLOSURE_REPORT_FORMAT),
  formatVersion: z.literal(1),
  /** The bundle version checked. */
  version: z.string().min(1),
  checkedAt: z.string(),
  passed: z.boolean(),
  /** Why it failed (empty when passed). */
  reasons: z.array(z.string()),
  thresholds: z.object({ minCell: z.number(), aucUpper: z.number(), maxAdvantage: z.number() }),
  /** Every other file of the bundle at check time. */
  covers: z.array(z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  staticChecks: z.array(StaticCheckSchema),
  membershipInference: z.object({
    members: z.number().int().min(MIN_CELL),
    nonMembers: z.number().int().min(MIN_CELL),
    unusable: z.number().int().nullable(),
    repeats: z.number().int().min(1),
    replicates: z.number().int().min(1),
    seed: z.number().int(),
    groupColumns: z.array(z.string()),
    trainSha256: z.string().regex(/^[0-9a-f]{64}$/),
    holdoutSha256: z.string().regex(/^[0-9a-f]{64}$/),
    attacks: z.array(AttackSchema),
  }),
});
export type DisclosureReport = z.infer<typeof DisclosureReportSchema>;

/** Builds the report: passed only when every static check and every attack passes. */
export function buildDisclosureReport(options: {
  manifest: Manifest;
  staticChecks: StaticCheck[];
  membershipInference: MembershipInferenceResult;
  trainSha256: string;
  holdoutSha256: string;
  checkedAt?: Date;
}): DisclosureReport {
  const { manifest, staticChecks, membershipInference: mia } = options;
  const reasons: string[] = [];
  for (const c of staticChecks) {
    if (!c.passed) reasons.push(`${c.name}: ${c.findings.length} finding${c.findings.length === 1 ? "" : "s"}`);
  }
  for (const a of mia.attacks) reasons.push(...a.reasons);
  return {
    format: DISCLOSURE_REPORT_FORMAT,
    formatVersion: 1,
    version: manifest.version,
    checkedAt: (options.checkedAt ?? new Date()).toISOString(),
    passed: reasons.length === 0,
    reasons,
    thresholds: { minCell: MIN_CELL, aucUpper: MIA_THRESHOLDS.aucUpper, maxAdvantage: MIA_THRESHOLDS.maxAdvantage },
    covers: manifest.files.filter((f) => f.path !== DISCLOSURE_REPORT_FILE).map((f) => ({ path: f.path, sha256: f.sha256 })),
    staticChecks,
    membershipInference: { ...mia, trainSha256: options.trainSha256, holdoutSha256: options.holdoutSha256 },
  };
}

/** Writes the report into the bundle through writeBundleFile, so the manifest covers it. */
export async function writeDisclosureReport(dir: string, report: DisclosureReport): Promise<void> {
  await writeBundleFile(dir, DISCLOSURE_REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * The bundle's disclosure report if it is present, listed in the manifest with a matching checksum,
 * valid, made for this bundle version, covering exactly the bundle's current files, and passed.
 * Otherwise throws DisclosureError (a BundleError) with a plain message.
 */
export async function requireDisclosurePass(bundle: { dir: string; manifest: Manifest }): Promise<DisclosureReport> {
  const { manifest } = bundle;
  const entry = manifest.files.find((f) => f.path === DISCLOSURE_REPORT_FILE);
  if (!entry) throw new DisclosureError(`model ${manifest.version} has no disclosure report; run npm run check-bundle on it`);
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(join(bundle.dir, DISCLOSURE_REPORT_FILE)));
  } catch (error) {
    throw new DisclosureError(`model ${manifest.version}: the disclosure report is missing`, { cause: error });
  }
  if (sha256(data) !== entry.sha256) throw new DisclosureError(`model ${manifest.version}: the disclosure report was changed after the check (checksum mismatch)`);
  let parsed: ReturnType<typeof DisclosureReportSchema.safeParse>;
  try {
    parsed = DisclosureReportSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
  } catch (error) {
    throw new DisclosureError(`model ${manifest.version}: the disclosure report is not valid JSON`, { cause: error });
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DisclosureError(`model ${manifest.version}: the disclosure report is invalid at ${issue?.path.join(".") || "(root)"}`);
  }
  const report = parsed.data;
  if (report.version !== manifest.version) throw new DisclosureError(`model ${manifest.version}: the disclosure report is for another model version`);
  const current = manifest.files.filter((f) => f.path !== DISCLOSURE_REPORT_FILE);
  const covered = new Map(report.covers.map((c) => [c.path, c.sha256]));
  const stale = current.length !== covered.size || current.some((f) => covered.get(f.path) !== f.sha256);
  if (stale) throw new DisclosureError(`model ${manifest.version}: files changed after the disclosure check; run npm run check-bundle again`);
  if (!report.passed) {
    throw new DisclosureError(`model ${manifest.version}: the disclosure check did not pass (${report.reasons.join("; ").slice(0, 300)})`);
  }
  return report;
}

/**
 * The whole check on a loaded bundle: static checks on its directory, the membership-inference test,
 * and the report written into the bundle (manifest updated). Returns the report; `passed` says the verdict.
 */
export async function runDisclosureCheck(options: {
  bundle: Bundle;
  members: readonly Row[];
  nonMembers: readonly Row[];
  trainSha256: string;
  holdoutSha256: string;
  repeats?: number;
  seed?: number;
  replicates?: number;
  onProgress?: MembershipInferenceOptions["onProgress"];
}): Promise<DisclosureReport> {
  const { bundle } = options;
  const staticChecks = await checkBundleFiles(bundle.dir);
  const membershipInference = runMembershipInference({
    bundle,
    members: options.members,
    nonMembers: options.nonMembers,
    ...(options.repeats !== undefined ? { repeats: options.repeats } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const { manifest } = await verifyBundle(bundle.dir);
  const files = (m: Manifest) =>
    m.files
      .filter((f) => f.path !== DISCLOSURE_REPORT_FILE)
      .map((f) => `${f.path}:${f.sha256}`)
      .sort()
      .join("\n");
  if (manifest.version !== bundle.manifest.version || files(manifest) !== files(bundle.manifest)) {
    throw new BundleError(`${bundle.dir}: the bundle changed during the disclosure check; run it again`);
  }
  const report = buildDisclosureReport({
    manifest,
    staticChecks,
    membershipInference,
    trainSha256: options.trainSha256,
    holdoutSha256: options.holdoutSha256,
  });
  await writeDisclosureReport(bundle.dir, report);
  return report;
}
