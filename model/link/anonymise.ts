import { AGE_BANDS, ORIGINS } from "../reintegration.js";
import { ageAt, ageBand, type TrajectoryState } from "./derive.js";

/**
 * Anonymisation of the analysis table's quasi-identifiers (age band × sex × household × region ×
 * origin): k-anonymity by local recoding, blanking audit-only columns, and suppression.
 */

/** What a recoded origin is called in the table. */
export const MERGED_ORIGIN = "migratieachtergrond";
export const QUASI_IDENTIFIER_COLUMNS = ["leeftijdsklasse", "geslacht", "huishouden", "regio", "herkomst"];

/** Quasi-identifier cell as an integer: age band × sex × household × region × origin, each 1-based (0 = missing). */
const QI_RADIX = { band: 6, sex: 3, household: 5, region: 6, origin: 4 } as const;
export function qiKey(s: TrajectoryState): number {
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

