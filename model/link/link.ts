import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { z } from "zod";
import { INTERVENTIONS } from "../catalogue.js";
import { CsvWriter, readCsvBatches } from "../csv/index.js";
import { SchemaError } from "../errors.js";
import { AGE_BANDS, ANALYSIS_COLUMNS, ORIGINS, REGIONS, REINTEGRATION_FEATURES, reintegrationSchema } from "../reintegration.js";
import {
  addBenefit,
  addDebt,
  addEmployment,
  addMedication,
  addWmo,
  ageAt,
  ageBand,
  armOf,
  auditValues,
  deriveFeatures,
  formatIsoDate,
  MISSING,
  newTrajectoryState,
  outcomeValues,
  type TrajectoryState,
} from "./derive.js";
import { CODE_OF_INTERVENTION, DELIVERY_FILES, regionOfPostcode, TRUTH_FILE } from "./format.js";
import { FingerprintSet, rowHash } from "./hash-set.js";
import { type DeliveryProfile, PROFILE_FILES } from "./profile.js";
import { createPseudonymiser } from "./pseudonym.js";
import type { FileReport, LinkageReport } from "./report.js";
import { CONVERT, INVALID_REASONS, type QuarantineReason, ROW_SCHEMAS, type RowFile, reasonOf, UNLINKED_REASONS } from "./rows.js";
import { findSourceFile, planSource, type SourcePlan } from "./source.js";

export type LinkOptions = {
  inDir: string;
  outDir: string;
  pseudonymKey: string;
  onProgress?: (done: number, total: number) => void;
  /** k of the quasi-identifier check: every (age band × sex × household × region × origin) group holds ≥ k rows. Default 10. */
  minGroupSize?: number;
  /** Another municipality's file names, column names, formats and codes (see loadDeliveryProfile). */
  profile?: DeliveryProfile;
};

const FILE_COLUMNS: Record<RowFile, readonly string[]> = {
  ...DELIVERY_FILES,
  truth: PROFILE_FILES[TRUTH_FILE] as readonly string[],
};
/** Columns that may hold decimals (written with a comma in Dutch exports). */
const DECIMAL_COLUMNS: ReadonlySet<string> = new Set(FILE_COLUMNS.truth.slice(1));
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
const NINE_DIGITS = /^\d{9}$/;
const HAS_DIGIT = /\d/;
const BSN_LIKE = /(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])/g;

type Handler = (data: unknown[], raw: string[]) => QuarantineReason | null;

/**
 * Pseudonymises, links and generalises a delivery into the analysis table (one row per trajectory).
 * Streams every file; memory holds only the join state (one small record per trajectory).
 */
export async function linkDelivery(options: LinkOptions): Promise<LinkageReport> {
  const { inDir, outDir } = options;
  const k = options.minGroupSize ?? 10;
  const pseudonym = createPseudonymiser(options.pseudonymKey);
  const nameOf = (f: RowFile): string => options.profile?.files?.[f]?.path ?? `${f}.csv`;
  const paths = {} as Record<RowFile, string>;
  const sizes = {} as Record<RowFile, number | null>;
  for (const f of ORDER) {
    const found = await findSourceFile({ inDir, name: nameOf(f) });
    paths[f] = found?.path ?? join(inDir, nameOf(f));
    sizes[f] = found?.size ?? null;
  }
  for (const f of REQUIRED) {
    if (sizes[f] === null) throw new Error(`${paths[f]} not found: a delivery needs ${REQUIRED.map(nameOf).join(", ")}`);
  }
  // Every header is checked before any work, so a wrong column fails in a second, not after the big files.
  const plans = {} as Record<RowFile, SourcePlan | null>;
  for (const f of ORDER) {
    plans[f] =
      sizes[f] === null
        ? null
        : await planSource({ path: paths[f], name: nameOf(f), file: f, columns: FILE_COLUMNS[f], decimalColumns: DECIMAL_COLUMNS, profile: options.profile });
  }
  const totalBytes = ORDER.reduce((sum, f) => sum + (sizes[f] ?? 0), 0);
  let doneBytes = 0;

  // Never leave a stale complete-looking output behind.
  await mkdir(outDir, { recursive: true });
  for (const name of ["analysis.csv", "schema.json", "linkage-report.json"]) await rm(join(outDir, name), { force: true });
  await rm(join(outDir, "quarantine"), { recursive: true, force: true });

  // Join state.
  const trajectories: TrajectoryState[] = [];
  const bsnOf: number[] = [];
  const trajectIds: string[] = [];
  const lineOf: number[] = [];
  const nextOfPerson: number[] = [];
  const firstOfPerson = new Map<number, number>();
  const trajectIndex = new Map<string, number>();
  const hasOutcome: number[] = [];
  const hasPerson: number[] = [];
  /** Allocated once the trajectories are known: true chances per arm, and per-trajectory row hashes for dedupe. */
  let mu = new Float32Array(0);
  let seenHash = new Uint32Array(0);

  const reports = {} as Record<RowFile, FileReport>;
  const quarantine = new Map<RowFile, CsvWriter>();
  const quarantineWriter = async (file: RowFile): Promise<CsvWriter> => {
    let w = quarantine.get(file);
    if (!w) {
      w = await CsvWriter.open(join(outDir, "quarantine", `${file}.csv`), ["line", "reason", "field", ...FILE_COLUMNS[file]]);
      quarantine.set(file, w);
    }
    return w;
  };
  /**
   * Quarantined rows keep their content except direct identifiers: every standalone run of 9 digits (a bsn,
   * also one that fails the elfproef) becomes its pseudonym; in personen.csv every value with a digit (birth date,
   * postcode) is masked.
   */
  const maskFields = (file: RowFile, fields: string[], aligned: boolean): string[] => {
    // A row that could not be split into the header's columns may hold any column in any cell,
    // also one we do not read (a name, an address): then only pseudonymised numbers are kept.
    const unknownCells = !aligned && (plans[file]?.unknownColumns.length ?? 0) > 0;
    return fields.map((v) => {
      if (NINE_DIGITS.test(v)) return pseudonym(v);
      const masked = v.replace(BSN_LIKE, (m) => pseudonym(m));
      if (unknownCells && masked !== "") return "***";
      if (file === "personen" && HAS_DIGIT.test(v)) return "***";
      return masked;
    });
  };
  const writeQuarantine = async (file: RowFile, line: number, reason: QuarantineReason, field: string, fields: string[], aligned = true) => {
    const width = FILE_COLUMNS[file].length;
    const masked = maskFields(file, fields, aligned);
    const cells = masked.length > width ? [...masked.slice(0, width - 1), masked.slice(width - 1).join("|")] : masked;
    while (cells.length < width) cells.push("");
    const w = await quarantineWriter(file);
    w.write([line, reason, field, ...cells]);
    const q = reports[file].quarantined;
    q[reason] = (q[reason] ?? 0) + 1;
  };

  const next = (t: number): number => nextOfPerson[t] as number;
  const at = (t: number): TrajectoryState => trajectories[t] as TrajectoryState;

  /** Dedupe state of the current file: a row hash per (first) trajectory, or fingerprints of spell rows. */
  let fingerprints = new FingerprintSet();
  const dedupeKeyed = (t: number, raw: string[]): QuarantineReason | null => {
    const h = (rowHash(raw) >>> 1) + 1; // never 0 (= not seen)
    const seen = seenHash[t] as number;
    if (seen === 0) {
      seenHash[t] = h;
      return null;
    }
    return seen === h ? "duplicate" : "conflicting_duplicate";
  };
  const dedupeSpell = (raw: string[]): QuarantineReason | null => (fingerprints.addFields(raw) ? null : "duplicate");
  /** Employment and benefit spells are checked and joined alike; only what a spell adds differs. */
  const spell =
    (add: (state: TrajectoryState, begin: number, end: number | null) => void): Handler =>
    (d, raw) => {
      const [bsn, begin, end] = d as [number, number, number | null];
      if (end !== null && end < begin) return "inconsistent_dates";
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeSpell(raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) add(at(t), begin, end);
      return null;
    };

  const handlers: Record<RowFile, Handler> = {
    trajecten: (d, raw) => {
      const [bsn, id, arm, start] = d as [number, string, number, number];
      const seen = trajectIndex.get(id);
      if (seen !== undefined) {
        const same = bsnOf[seen] === bsn && trajectories[seen]?.arm === arm && trajectories[seen]?.start === start;
        return same ? "duplicate" : "conflicting_duplicate";
      }
      void raw;
      const t = trajectories.length;
      trajectories.push(newTrajectoryState(start, arm));
      bsnOf.push(bsn);
      trajectIds.push(id);
      nextOfPerson.push(-1);
      hasOutcome.push(0);
      hasPerson.push(0);
      trajectIndex.set(id, t);
      const first = firstOfPerson.get(bsn);
      if (first === undefined) firstOfPerson.set(bsn, t);
      else {
        let last = first;
        while ((nextOfPerson[last] as number) !== -1) last = nextOfPerson[last] as number;
        nextOfPerson[last] = t;
      }
      return null;
    },
    personen: (d, raw) => {
      const [bsn, birth, sex, origin, pc4] = d as [number, number, number, number, number];
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeKeyed(first, raw);
      if (dup) return dup;
      const region = REGIONS_INDEX.get(regionOfPostcode(pc4)) as number;
      for (let t = first; t !== -1; t = next(t)) {
        const s = at(t);
        s.birth = birth;
        s.sex = sex;
        s.origin = origin;
        s.region = region;
        hasPerson[t] = 1;
      }
      return null;
    },
    huishoudens: (d, raw) => {
      const [bsn, household, children, youngest] = d as [number, number, number, number | null];
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeKeyed(first, raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) {
        const s = at(t);
        s.household = household;
        s.children = children;
        s.youngestYear = youngest ?? MISSING;
      }
      return null;
    },
    opleiding: (d, raw) => {
      const [bsn, education, language] = d as [number, number, number];
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeKeyed(first, raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) {
        const s = at(t);
        s.education = education;
        s.language = language;
      }
      return null;
    },
    dienstverbanden: spell(addEmployment),
    uitkeringen: spell(addBenefit),
    medicatie: (d, raw) => {
      const [bsn, year, bit] = d as [number, number, number];
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeSpell(raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) addMedication(at(t), year, bit);
      return null;
    },
    schulden: (d, raw) => {
      const [bsn, registered, end, problematic] = d as [number, number, number | null, number];
      if (end !== null && end < registered) return "inconsistent_dates";
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeSpell(raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) addDebt(at(t), registered, end, problematic === 1);
      return null;
    },
    wmo: (d, raw) => {
      const [bsn, support, begin, end] = d as [number, number, number, number | null];
      if (end !== null && end < begin) return "inconsistent_dates";
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeSpell(raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) addWmo(at(t), support, begin, end);
      return null;
    },
    uitkomsten: (d, raw) => {
      const [bsn, id, werk, uren, uitstroom, wmo12, schulden12] = d as [number, string, number, number, number, number, number];
      const t = trajectIndex.get(id);
      if (t === undefined || bsnOf[t] !== bsn) return "unknown_trajectory";
      const dup = dedupeKeyed(t, raw);
      if (dup) return dup;
      const s = at(t);
      s.werk = werk;
      s.uren = uren;
      s.uitstroom = uitstroom;
      s.wmo12 = wmo12;
      s.schulden12 = schulden12;
      hasOutcome[t] = 1;
      return null;
    },
    truth: (d, raw) => {
      const bsn = d[0] as number;
      const first = firstOfPerson.get(bsn);
      if (first === undefined) return "no_trajectory";
      const dup = dedupeKeyed(first, raw);
      if (dup) return dup;
      for (let t = first; t !== -1; t = next(t)) {
        for (let a = 0; a < INTERVENTIONS.length; a += 1) mu[t * INTERVENTIONS.length + a] = d[a + 1] as number;
      }
      return null;
    },
  };

  let personsWithoutTrajectory = 0;
  const personsInFile = new Set<number>();
  try {
    for (const file of ORDER) {
      const plan = plans[file];
      const report: FileReport = { present: plan !== null, rowsRead: 0, valid: 0, linked: 0, unlinked: 0, quarantined: {} };
      reports[file] = report;
      if (plan === null) continue;
      report.format = plan.format;
      report.unknownColumns = plan.unknownColumns;
      if (Object.keys(plan.renamed).length > 0) report.renamedColumns = plan.renamed;
      seenHash.fill(0);
      fingerprints = new FingerprintSet();
      const expected = FILE_COLUMNS[file];
      const schema = ROW_SCHEMAS[file] as unknown as z.ZodType<string[]>;
      const convert = CONVERT[file];
      const handler = handlers[file];
      const order = plan.identity ? null : plan.order;
      const normalise = plan.normalise;
      const { delimiter, encoding } = plan.format;
      const fileStart = doneBytes;
      let headerChecked = false;
      for await (const batch of readCsvBatches(paths[file], { chunkSize: 1 << 17, delimiter, encoding })) {
        if (!headerChecked) {
          // The plan read the header from a sample; the stream must see the same one.
          if (batch.header.length <= Math.max(...plan.order)) throw new SchemaError(`${plan.format.path}: the header changed while reading`);
          headerChecked = true;
        }
        const headerWidth = batch.header.length;
        for (const row of batch.rows) {
          report.rowsRead += 1;
          let fields = row.fields;
          if (row.malformed) {
            await writeQuarantine(file, row.line, "malformed_line", "", fields, false);
            continue;
          }
          if (fields.length !== headerWidth) {
            await writeQuarantine(file, row.line, "field_count", "", fields, false);
            continue;
          }
          if (order !== null) fields = order.map((i) => fields[i] as string);
          // Quarantine and duplicate checks see the row as delivered; validation sees it in our formats.
          const values = normalise === null ? fields : normalise(fields);
          const parsed = schema.safeParse(values);
          if (!parsed.success) {
            const { reason, column } = reasonOf(parsed.error);
            await writeQuarantine(file, row.line, reason, expected[column] ?? "", fields);
            continue;
          }
          const data = convert(values);
          const outcome = handler(data, fields);
          if (outcome === "inconsistent_dates") {
            await writeQuarantine(file, row.line, outcome, "einddatum", fields);
            continue;
          }
          report.valid += 1;
          if (file === "personen" && outcome === "no_trajectory") personsInFile.add(data[0] as number);
          if (outcome !== null) {
            if (UNLINKED_REASONS.includes(outcome)) report.unlinked += 1;
            await writeQuarantine(file, row.line, outcome, "", fields);
            continue;
          }
          if (file === "trajecten") lineOf.push(row.line);
          report.linked += 1;
        }
        for (const w of quarantine.values()) await w.drain();
        options.onProgress?.(Math.min(totalBytes, fileStart + batch.bytesRead), totalBytes);
      }
      doneBytes = fileStart + (sizes[file] ?? 0);
      if (file === "trajecten") {
        mu = new Float32Array(trajectories.length * INTERVENTIONS.length).fill(Number.NaN);
        seenHash = new Uint32Array(trajectories.length);
      }
      if (file === "personen") {
        personsWithoutTrajectory = personsInFile.size;
        personsInFile.clear();
      }
    }
    seenHash = new Uint32Array(0);
    fingerprints = new FingerprintSet();

    // Trajectories without an outcome cannot be used: quarantine them (nothing is invented).
    const usable: number[] = [];
    let withoutOutcome = 0;
    let withoutPerson = 0;
    const trajectReport = reports.trajecten;
    const requeue = async (t: number, reason: QuarantineReason): Promise<void> => {
      const s = trajectories[t] as TrajectoryState;
      const raw = [String(bsnOf[t]).padStart(9, "0"), trajectIds[t] as string, CODE_OF_INTERVENTION[armOf(s) as keyof typeof CODE_OF_INTERVENTION], formatIsoDate(s.start)];
      trajectReport.linked -= 1;
      trajectReport.unlinked += 1;
      await writeQuarantine("trajecten", lineOf[t] as number, reason, "", raw);
    };
    for (let t = 0; t < trajectories.length; t += 1) {
      if (!hasOutcome[t]) {
        withoutOutcome += 1;
        await requeue(t, "no_outcome");
        continue;
      }
      if (!hasPerson[t]) withoutPerson += 1;
      usable.push(t);
    }

    // Quasi-identifiers: k-anonymity by local recoding of origin, blanking audit columns, suppression.
    const qi = quasiIdentifierPlan(Int32Array.from(usable, (t) => qiKey(at(t))), k);
    const suppressed = new Set<number>();
    for (let i = 0; i < usable.length; i += 1) if (qi.action[i] === 2) suppressed.add(usable[i] as number);
    for (const t of suppressed) await requeue(t, "qi_suppressed");

    // The analysis table.
    const withTruth = sizes.truth !== null;
    const analysisPath = join(outDir, "analysis.csv");
    const table = await CsvWriter.open(analysisPath, ANALYSIS_COLUMNS);
    const missing = new Array<number>(REINTEGRATION_FEATURES.length).fill(0);
    try {
      for (let i = 0; i < usable.length; i += 1) {
        const t = usable[i] as number;
        if (suppressed.has(t)) continue;
        const s = trajectories[t] as TrajectoryState;
        const features = deriveFeatures(s);
        features.forEach((v, j) => {
          if (v === "") missing[j] = (missing[j] as number) + 1;
        });
        let [sex, origin] = auditValues(s);
        if (qi.mergedOrigin[i] === 1) origin = MERGED_ORIGIN;
        if (qi.action[i] === 1) {
          sex = "";
          origin = "";
        }
        // Every value is a number, an enum level or a hex pseudonym: nothing needs CSV quoting.
        const row: (number | string)[] = features;
        row.unshift(pseudonym(String(bsnOf[t]).padStart(9, "0")));
        row.push(sex, origin, armOf(s));
        for (const v of outcomeValues(s)) row.push(v);
        for (let a = 0; a < INTERVENTIONS.length; a += 1) {
          const v = mu[t * INTERVENTIONS.length + a];
          row.push(withTruth && v !== undefined && !Number.isNaN(v) ? Math.round(v * 10000) / 10000 : "");
        }
        table.writeLine(row.join(","));
        if (i % 4096 === 0) await table.drain();
      }
      await table.finish();
    } catch (error) {
      await table.abort();
      throw error;
    }
    for (const w of quarantine.values()) await w.close();
    quarantine.clear();

    const written = usable.length - suppressed.size;
    const schemaPath = join(outDir, "schema.json");
    await writeAtomic(schemaPath, `${JSON.stringify(reintegrationSchema({ withTruth }), null, 2)}\n`);
    const report: LinkageReport = {
      createdAt: new Date().toISOString(),
      files: Object.fromEntries(ORDER.map((f) => [f === "truth" ? TRUTH_FILE : f, reports[f]])),
      trajectories: { read: trajectories.length, written, withoutOutcome, withoutPerson, suppressed: suppressed.size },
      persons: { withTrajectory: firstOfPerson.size, withoutTrajectory: personsWithoutTrajectory },
      features: Object.fromEntries(
        REINTEGRATION_FEATURES.map((f, j) => [f.name, { missingShare: written === 0 ? 0 : round((missing[j] as number) / written) }]),
      ),
      quasiIdentifiers: {
        columns: ["leeftijdsklasse", "geslacht", "huishouden", "regio", "herkomst"],
        minGroupSize: k,
        smallestGroupBefore: qi.smallestBefore,
        smallestGroupAfter: qi.smallestAfter,
        steps: qi.steps,
        rowsAuditSuppressed: qi.auditSuppressed,
        rowsSuppressed: suppressed.size,
      },
      withTruth,
      outputs: ["analysis.csv", "schema.json", "linkage-report.json", ...[...Object.keys(reports)].filter((f) => Object.keys(reports[f as RowFile].quarantined).length > 0).map((f) => `quarantine/${f}.csv`)],
    };
    checkAccounting(report);
    await writeAtomic(join(outDir, "linkage-report.json"), `${JSON.stringify(report, null, 2)}\n`);
    // The table gets its final name last: an interrupted run never leaves a complete-looking table.
    await table.commit();
    options.onProgress?.(totalBytes, totalBytes);
    return report;
  } catch (error) {
    for (const w of quarantine.values()) await w.abort();
    await rm(join(outDir, "analysis.csv.partial"), { force: true });
    throw error;
  }
}

const REGIONS_INDEX = new Map<string, number>(REGIONS.map((r, i) => [r, i]));
const MERGED_ORIGIN = "migratieachtergrond";

/** Quasi-identifier cell as an integer: age band × sex × household × region × origin, each 1-based (0 = missing). */
const QI_RADIX = { band: 6, sex: 3, household: 5, region: 6, origin: 4 } as const;
function qiKey(s: TrajectoryState): number {
  const band = s.birth > -1_000_000 ? AGE_BANDS.indexOf(ageBand(ageAt(s.birth, s.start))) + 1 : 0;
  return encodeQi(band, s.sex + 1, s.household + 1, s.region + 1, s.origin + 1);
}
export const encodeQi = (band: number, sex: number, household: number, region: number, origin: number): number =>
  (((band * QI_RADIX.sex + sex) * QI_RADIX.household + household) * QI_RADIX.region + region) * QI_RADIX.origin + origin;
const ORIGIN_NL = ORIGINS.indexOf("nederland") + 1;
const ORIGIN_EUROPE = ORIGINS.indexOf("europa") + 1;
const ORIGIN_OUTSIDE_EUROPE = ORIGINS.indexOf("buiten_europa") + 1;

/**
 * Plans k-anonymity on the quasi-identifiers (age band × sex × household × region × origin):
 * (1) within a group of the other four, merge `europa` and `buiten_europa` into
 * `migratieachtergrond` when either cell is smaller than k (local recoding, so large groups keep
 * the detail the fairness audit needs); (2) blank sex and origin (audit-only columns) in cells
 * still smaller than k; (3) suppress the rows whose cell is still smaller than k. Model features
 * are never coarsened: they are the intake form's contract.
 * action per row: 0 keep, 1 audit columns blanked, 2 suppressed; mergedOrigin per row: 1 = recoded.
 */
export function quasiIdentifierPlan(
  keys: Int32Array,
  k: number,
): {
  action: Uint8Array;
  mergedOrigin: Uint8Array;
  smallestBefore: number;
  smallestAfter: number;
  steps: string[];
  auditSuppressed: number;
} {
  const cells = QI_RADIX.band * QI_RADIX.sex * QI_RADIX.household * QI_RADIX.region * QI_RADIX.origin;
  const action = new Uint8Array(keys.length);
  const mergedOrigin = new Uint8Array(keys.length);
  const tally = (ks: Int32Array, skip?: Uint8Array): Int32Array => {
    const counts = new Int32Array(cells);
    for (let i = 0; i < ks.length; i += 1) {
      if (skip?.[i] === 2) continue;
      const key = ks[i] as number;
      counts[key] = (counts[key] as number) + 1;
    }
    return counts;
  };
  const smallest = (counts: Int32Array): number => {
    let min = Number.POSITIVE_INFINITY;
    for (const c of counts) if (c > 0 && c < min) min = c;
    return Number.isFinite(min) ? min : 0;
  };
  let counts = tally(keys);
  const smallestBefore = smallest(counts);
  const steps: string[] = [];
  const current = Int32Array.from(keys);
  if (smallestBefore < k) {
    const small = (c: number): boolean => c > 0 && c < k;
    let merged = 0;
    for (let i = 0; i < current.length; i += 1) {
      const key = current[i] as number;
      const origin = key % QI_RADIX.origin;
      if (origin === 0 || origin === ORIGIN_NL) continue;
      const base = key - origin;
      if (small(counts[base + ORIGIN_EUROPE] as number) || small(counts[base + ORIGIN_OUTSIDE_EUROPE] as number)) {
        current[i] = base + ORIGIN_EUROPE;
        mergedOrigin[i] = 1;
        merged += 1;
      }
    }
    if (merged > 0) steps.push(`herkomst europa + buiten_europa → ${MERGED_ORIGIN} in ${merged} rows of groups with a cell < ${k}`);
    counts = tally(current);
  }
  let auditSuppressed = 0;
  if (smallest(counts) < k) {
    const before = counts;
    for (let i = 0; i < current.length; i += 1) {
      const key = current[i] as number;
      if ((before[key] as number) >= k) continue;
      action[i] = 1;
      auditSuppressed += 1;
      // blank sex and origin: keep band, household, region
      const origin = key % QI_RADIX.origin;
      const rest = (key - origin) / QI_RADIX.origin;
      const region = rest % QI_RADIX.region;
      const rest2 = (rest - region) / QI_RADIX.region;
      const household = rest2 % QI_RADIX.household;
      const band = Math.floor(rest2 / QI_RADIX.household / QI_RADIX.sex);
      current[i] = encodeQi(band, 0, household, region, 0);
    }
    steps.push(`geslacht, herkomst blanked in ${auditSuppressed} rows of cells < ${k}`);
    counts = tally(current);
    let dropped = 0;
    for (let i = 0; i < current.length; i += 1) {
      if ((counts[current[i] as number] as number) < k) {
        action[i] = 2;
        dropped += 1;
      }
    }
    if (dropped > 0) steps.push(`${dropped} rows suppressed (cell < ${k} even without sex and origin)`);
    auditSuppressed -= dropped;
    counts = tally(current, action);
  }
  return { action, mergedOrigin, smallestBefore, smallestAfter: smallest(counts), steps, auditSuppressed };
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
