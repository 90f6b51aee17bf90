import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Catalogue, defaultCatalogue } from "../config/municipality.js";
import { QUASI_IDENTIFIER_COLUMNS, qiKey, quasiIdentifierPlan } from "./anonymise.js";
import { formatIsoDate } from "./derive.js";
import { armCode, DELIVERY_FILES, TRUTH_FILE } from "./format.js";
import { SECONDARY_TRUTH_OUTCOMES } from "../reintegration.js";
import { fileHandlers } from "./handlers.js";
import { JoinState } from "./join-state.js";
import { type DeliveryProfile, parseDeliveryProfile, profileFiles, secondaryTruthColumns } from "./profile.js";
import { createPseudonymiser } from "./pseudonym.js";
import { Quarantine } from "./quarantine.js";
import { readSource } from "./read-source.js";
import type { FileReport, LinkageReport } from "./report.js";
import { INVALID_REASONS, type QuarantineReason, type RowFile, rowsFor } from "./rows.js";
import { locateSources } from "./source.js";
import { type ExtraFeature, type LinkTable, linkedSchema, linkTableFor } from "./table-spec.js";
import { writeAnalysisTable } from "./table-writer.js";

export type LinkOptions = {
  inDir: string;
  outDir: string;
  pseudonymKey: string;
  onProgress?: (done: number, total: number) => void;
  /** k of the quasi-identifier check: every (age band × sex × household × region × origin) group holds ≥ k rows. Default 10. */
  minGroupSize?: number;
  /** Another municipality's file names, column names, formats, codes and extra features (see loadDeliveryProfile). */
  profile?: DeliveryProfile;
  /**
   * The municipal configuration linked to: its trajectory keys and control arm, the features it
   * declares (derived here, or extra ones whose column the profile names) and its outcomes.
   * Default: the repository's configuration (config/municipality.json).
   */
  catalogue?: Catalogue;
};

/**
 * What one run links to: the configuration's arms (the profile is checked against them), the link
 * table, the row checks for those arms, our columns per file and which file carries which extra feature.
 */
function planRun(options: LinkOptions) {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const arms = catalogue.trajectories.map((t) => t.key);
  // A profile's trajectory codes and truth columns are checked against the arms linked to.
  const profile = options.profile === undefined ? undefined : parseDeliveryProfile(options.profile, "delivery profile", { arms });
  const spec = linkTableFor(catalogue, profile);
  const extraSlots: Partial<Record<RowFile, number[]>> = {};
  spec.extras.forEach((e, slot) => {
    extraSlots[e.file] = [...(extraSlots[e.file] ?? []), slot];
  });
  const rows = rowsFor({ armIndex: spec.armIndex, arms: arms.length, secondaryTruth: SECONDARY_TRUTH_OUTCOMES.length * arms.length });
  return { arms, profile, spec, rows, extraSlots, columnsOf: fileColumns(spec) };
}

/** Our columns per file for this run: extra features after a file's own columns, truth columns per arm (primary, then the optional secondary ones). */
function fileColumns(table: LinkTable): Record<RowFile, readonly string[]> {
  const columns: Record<RowFile, readonly string[]> = { ...DELIVERY_FILES, truth: profileFiles(table.arms)[TRUTH_FILE] as readonly string[] };
  for (const extra of table.extras) columns[extra.file] = [...columns[extra.file], extra.name];
  return columns;
}
/** Processing order: trajectories first (they define the join), then everything keyed on them. */
const ORDER: RowFile[] = [
  "trajecten",
  "personen",
  "huishoudens",
  "opleiding",
  "dienstverbanden",
  "uitkeringen",
  "medicatie",
  "schulden",
  "wmo",
  "uitkomsten",
  "truth",
];
const REQUIRED: RowFile[] = ["trajecten", "personen", "uitkomsten"];
const OUTPUTS = ["analysis.csv", "schema.json", "linkage-report.json"];

/**
 * Pseudonymises, links and generalises a delivery into the analysis table (one row per trajectory).
 * Streams every file; memory holds only the join state (one small record per trajectory).
 * Steps: find and plan the files → read them into the join state → settle which trajectories are
 * usable → anonymise the quasi-identifiers → write the table, its schema and the linkage report.
 */
export async function linkDelivery(options: LinkOptions): Promise<LinkageReport> {
  const { outDir } = options;
  const k = options.minGroupSize ?? 10;
  const pseudonym = createPseudonymiser(options.pseudonymKey);
  const { arms, profile, spec, rows, extraSlots, columnsOf } = planRun(options);
  const sources = await locateSources({
    inDir: options.inDir,
    files: ORDER,
    required: REQUIRED,
    columns: columnsOf,
    // Columns that may hold decimals (written with a comma in Dutch exports).
    decimalColumns: new Set(columnsOf.truth.slice(1)),
    // The generator's secondary-outcome truth is optional (an older truth file lacks it).
    optionalColumns: new Set(secondaryTruthColumns(arms)),
    profile,
    arms,
  });
  const totalBytes = ORDER.reduce((sum, f) => sum + (sources[f]?.size ?? 0), 0);

  // Never leave a stale complete-looking output behind.
  await mkdir(outDir, { recursive: true });
  for (const name of OUTPUTS) await rm(join(outDir, name), { force: true });
  await rm(join(outDir, "quarantine"), { recursive: true, force: true });

  const state = new JoinState({ arms: arms.length, extras: spec.extras.length, secondaryOutcomes: SECONDARY_TRUTH_OUTCOMES.length });
  const reports = {} as Record<RowFile, FileReport>;
  const quarantine = new Quarantine({ dir: join(outDir, "quarantine"), columns: columnsOf, pseudonym, reports });
  try {
    // 1. Read every file into the join state.
    const handlers = fileHandlers(state, { extraSlots });
    let doneBytes = 0;
    for (const file of ORDER) {
      const source = sources[file];
      const report: FileReport = { present: source !== null, rowsRead: 0, valid: 0, linked: 0, unlinked: 0, quarantined: {} };
      reports[file] = report;
      if (source === null) continue;
      report.format = source.plan.format;
      report.unknownColumns = source.plan.unknownColumns;
      if (Object.keys(source.plan.renamed).length > 0) report.renamedColumns = source.plan.renamed;
      if (source.plan.mappedCodes.length > 0) report.mappedCodes = source.plan.mappedCodes;
      state.startFile();
      const fileStart = doneBytes;
      await readSource({
        file,
        path: source.path,
        plan: source.plan,
        columns: columnsOf[file],
        handler: handlers[file],
        schema: rows.schemas[file],
        convert: rows.convert[file],
        extras: (extraSlots[file] ?? []).map((slot) => (spec.extras[slot] as ExtraFeature).check),
        quarantine,
        report,
        onBytes: (bytes) => options.onProgress?.(Math.min(totalBytes, fileStart + bytes), totalBytes),
      });
      doneBytes = fileStart + source.size;
      if (file === "trajecten") state.trajectoriesKnown();
    }
    state.endFiles();

    // 2. Trajectories without an outcome cannot be used: quarantined (nothing is invented).
    const requeue = (t: number, reason: QuarantineReason) =>
      requeueTrajectory({ state, t, reason, quarantine, report: reports.trajecten, arms });
    const { usable, withoutOutcome, withoutPerson } = await settleTrajectories(state, requeue);

    // 3. Quasi-identifiers: k-anonymity by local recoding of origin, blanking audit columns, suppression.
    const plan = quasiIdentifierPlan(Int32Array.from(usable, (t) => qiKey(state.at(t))), k);
    let suppressed = 0;
    for (let i = 0; i < usable.length; i += 1) {
      if (plan.action[i] !== 2) continue;
      suppressed += 1;
      await requeue(usable[i] as number, "qi_suppressed");
    }

    // 4. The table, its schema and the report; the table gets its final name last.
    const withTruth = sources.truth !== null;
    // The secondary truth when the truth file has all of its columns (the plan marks a missing one -1).
    const withSecondaryTruth = sources.truth?.plan.order.slice(1 + arms.length).every((i) => i >= 0) ?? false;
    const truth = { primary: withTruth, secondary: withSecondaryTruth };
    const { table, written, missing } = await writeAnalysisTable({ path: join(outDir, "analysis.csv"), state, usable, plan, truth, pseudonym, table: spec });
    await quarantine.close();
    await writeAtomic(join(outDir, "schema.json"), `${JSON.stringify(linkedSchema(spec, { withTruth, withSecondaryTruth }), null, 2)}\n`);
    const report: LinkageReport = {
      createdAt: new Date().toISOString(),
      files: Object.fromEntries(ORDER.map((f) => [f === "truth" ? TRUTH_FILE : f, reports[f]])),
      trajectories: { read: state.trajectories.length, written, withoutOutcome, withoutPerson, suppressed },
      persons: { withTrajectory: state.persons, withoutTrajectory: state.personsWithoutTrajectory.size },
      features: Object.fromEntries(
        spec.features.map((f, j) => [f.name, { missingShare: written === 0 ? 0 : round((missing[j] as number) / written) }]),
      ),
      quasiIdentifiers: {
        columns: QUASI_IDENTIFIER_COLUMNS,
        minGroupSize: k,
        smallestGroupBefore: plan.smallestBefore,
        smallestGroupAfter: plan.smallestAfter,
        steps: plan.steps,
        rowsAuditSuppressed: plan.auditSuppressed,
        rowsSuppressed: suppressed,
      },
      withTruth,
      outputs: [...OUTPUTS, ...ORDER.filter((f) => Object.keys(reports[f].quarantined).length > 0).map((f) => `quarantine/${f}.csv`)],
    };
    checkAccounting(report);
    await writeAtomic(join(outDir, "linkage-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    // An interrupted run never leaves a complete-looking table.
    await table.commit();
    options.onProgress?.(totalBytes, totalBytes);
    return report;
  } catch (error) {
    await quarantine.abort();
    await rm(join(outDir, "analysis.csv.partial"), { force: true });
    throw error;
  }
}

/** Splits the trajectories into usable ones (with an outcome) and quarantines the others. */
async function settleTrajectories(
  state: JoinState,
  requeue: (t: number, reason: QuarantineReason) => Promise<void>,
): Promise<{ usable: number[]; withoutOutcome: number; withoutPerson: number }> {
  const usable: number[] = [];
  let withoutOutcome = 0;
  let withoutPerson = 0;
  for (let t = 0; t < state.trajectories.length; t += 1) {
    if (!state.hasOutcome[t]) {
      withoutOutcome += 1;
      await requeue(t, "no_outcome");
      continue;
    }
    if (!state.hasPerson[t]) withoutPerson += 1;
    usable.push(t);
  }
  return { usable, withoutOutcome, withoutPerson };
}

/** A linked trajectory that cannot be used after all: moved from linked to unlinked, quarantined in our layout. */
async function requeueTrajectory(options: {
  state: JoinState;
  t: number;
  reason: QuarantineReason;
  quarantine: Quarantine;
  report: FileReport;
  arms: readonly string[];
}): Promise<void> {
  const { state, t, report } = options;
  const s = state.at(t);
  const raw = [String(state.bsnOf[t]).padStart(9, "0"), state.trajectIds[t] as string, armCode(options.arms[s.arm] as string), formatIsoDate(s.start)];
  report.linked -= 1;
  report.unlinked += 1;
  await options.quarantine.add("trajecten", { line: state.lineOf[t] as number, reason: options.reason, field: "", fields: raw });
}

/** Every row read is either linked or quarantined with a reason. */
function checkAccounting(report: LinkageReport): void {
  for (const [file, r] of Object.entries(report.files)) {
    const quarantined = Object.values(r.quarantined).reduce((a, b) => a + (b ?? 0), 0);
    const invalid = INVALID_REASONS.reduce((a, reason) => a + (r.quarantined[reason] ?? 0), 0);
    if (r.linked + quarantined !== r.rowsRead || r.valid !== r.rowsRead - invalid) {
      throw new Error(`internal error: row accounting of ${file}.csv does not add up`);
    }
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.partial`, text);
  await rename(`${path}.partial`, path);
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
