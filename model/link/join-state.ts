import { INTERVENTIONS } from "../catalogue.js";
import { newTrajectoryState, type TrajectoryState } from "./derive.js";
import { FingerprintSet, rowHash } from "./hash-set.js";
import type { QuarantineReason } from "./rows.js";

/**
 * What linking keeps in memory while it streams the files: one small record per trajectory, the
 * links from a person to their trajectories, and the dedupe state of the file being read.
 * Nothing else of a delivery is held, so memory grows with the number of trajectories only.
 */
export class JoinState {
  readonly trajectories: TrajectoryState[] = [];
  readonly bsnOf: number[] = [];
  readonly trajectIds: string[] = [];
  /** Line of each trajectory in the trajectories file (for quarantining it later). */
  readonly lineOf: number[] = [];
  readonly hasOutcome: number[] = [];
  readonly hasPerson: number[] = [];
  /** Distinct persons in the persons file without any trajectory. */
  readonly personsWithoutTrajectory = new Set<number>();
  /** True chance of work per trajectory and arm (NaN when unknown); allocated once the trajectories are known. */
  mu = new Float32Array(0);
  /**
   * The generator's truth for the secondary outcomes per trajectory, outcome (SECONDARY_TRUTH_OUTCOMES'
   * order) and arm: index (t · outcomes + o) · arms + a; NaN when unknown.
   */
  secondaryTruth = new Float32Array(0);
  /** Per extra feature (one the delivery profile names), its checked value per trajectory ("" = missing). */
  extras: string[][] = [];
  /** Number of arms of the catalogue linked to. */
  readonly arms: number;
  private readonly extraCount: number;
  private readonly firstOfPerson = new Map<number, number>();
  private readonly nextOfPerson: number[] = [];
  private readonly trajectIndex = new Map<string, number>();
  /** Per trajectory, the hash of the row seen for it in the current one-row-per-person file (0 = none). */
  private seenHash = new Uint32Array(0);
  private fingerprints = new FingerprintSet();

  /** Number of secondary outcomes the truth file may carry. */
  readonly secondaryOutcomes: number;

  constructor(options: { arms?: number; extras?: number; secondaryOutcomes?: number } = {}) {
    this.arms = options.arms ?? INTERVENTIONS.length;
    this.extraCount = options.extras ?? 0;
    this.secondaryOutcomes = options.secondaryOutcomes ?? 0;
  }

  get persons(): number {
    return this.firstOfPerson.size;
  }

  at(t: number): TrajectoryState {
    return this.trajectories[t] as TrajectoryState;
  }

  /** The first trajectory of a person, or undefined when they have none. */
  first(bsn: number): number | undefined {
    return this.firstOfPerson.get(bsn);
  }

  /** The person's next trajectory after t, or -1. */
  next(t: number): number {
    return this.nextOfPerson[t] as number;
  }

  /** The trajectory with this id, when it belongs to this person. */
  trajectory(id: string, bsn: number): number | undefined {
    const t = this.trajectIndex.get(id);
    return t !== undefined && this.bsnOf[t] === bsn ? t : undefined;
  }

  /** Adds a trajectory; a second row with a known id is a duplicate (the same) or a conflicting one. */
  addTrajectory(row: { bsn: number; id: string; arm: number; start: number; line: number }): QuarantineReason | null {
    const seen = this.trajectIndex.get(row.id);
    if (seen !== undefined) {
      const same = this.bsnOf[seen] === row.bsn && this.trajectories[seen]?.arm === row.arm && this.trajectories[seen]?.start === row.start;
      return same ? "duplicate" : "conflicting_duplicate";
    }
    const t = this.trajectories.length;
    this.trajectories.push(newTrajectoryState(row.start, row.arm));
    this.bsnOf.push(row.bsn);
    this.trajectIds.push(row.id);
    this.lineOf.push(row.line);
    this.nextOfPerson.push(-1);
    this.hasOutcome.push(0);
    this.hasPerson.push(0);
    this.trajectIndex.set(row.id, t);
    const first = this.firstOfPerson.get(row.bsn);
    if (first === undefined) this.firstOfPerson.set(row.bsn, t);
    else {
      let last = first;
      while (this.next(last) !== -1) last = this.next(last);
      this.nextOfPerson[last] = t;
    }
    return null;
  }

  /** Called once the trajectories file is read: sizes the per-trajectory arrays. */
  trajectoriesKnown(): void {
    this.mu = new Float32Array(this.trajectories.length * this.arms).fill(Number.NaN);
    this.secondaryTruth = new Float32Array(this.trajectories.length * this.secondaryOutcomes * this.arms).fill(Number.NaN);
    this.extras = Array.from({ length: this.extraCount }, () => new Array<string>(this.trajectories.length).fill(""));
    this.seenHash = new Uint32Array(this.trajectories.length);
  }

  /** Resets the duplicate checks for the next file. */
  startFile(): void {
    this.seenHash.fill(0);
    this.fingerprints = new FingerprintSet();
  }

  /** Frees the duplicate checks once every file is read. */
  endFiles(): void {
    this.seenHash = new Uint32Array(0);
    this.fingerprints = new FingerprintSet();
  }

  /** Duplicate check of a file with one row per person (or trajectory), keyed on trajectory t. */
  dedupeKeyed(t: number, raw: readonly string[]): QuarantineReason | null {
    const h = (rowHash(raw) >>> 1) + 1; // never 0 (= not seen)
    const seen = this.seenHash[t] as number;
    if (seen === 0) {
      this.seenHash[t] = h;
      return null;
    }
    return seen === h ? "duplicate" : "conflicting_duplicate";
  }

  /** Duplicate check of a file with many rows per person (spells): only exact repeats are duplicates. */
  dedupeSpell(raw: readonly string[]): QuarantineReason | null {
    return this.fingerprints.addFields(raw) ? null : "duplicate";
  }
}
