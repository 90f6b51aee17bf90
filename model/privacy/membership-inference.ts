import type { Bundle } from "../bundle/bundle.js";
import { MIN_CELL } from "../bundle/reference.js";
import { quantileSorted } from "../metrics/bootstrap.js";
import { ascendingOrder, aucOfGroups, type TieGroup, tieGroups } from "../metrics/classification.js";
import { type Random, createRandom } from "../random.js";
import { predictTable } from "../recommend/predict-table.js";
import { type Row, toNumber } from "../table/read.js";

/**
 * Membership-inference test of a bundle (part of `check-bundle`). An attacker who can query the model
 * and knows a person's record (features, intervention, outcome) guesses whether that person was in the
 * training table. Two attacks on the observed arm's prediction:
 *   loss        score = −loss of the prediction against the observed outcome (members fit better)
 *   confidence  score = confidence of the prediction, max(p, 1 − p) (continuous: −interval width)
 * Members are training rows, non-members held-out rows of the same population. Each of R repeats
 * draws a balanced sample (m members, m non-members, without replacement, seeded); per repeat the
 * metrics are computed and bootstrapped (members and non-members resampled separately). The value
 * is the mean over repeats; the 95% interval the 2.5 / 97.5 percentiles of all bootstrap draws.
 * Metrics: AUC, advantage = max over thresholds of TPR − FPR, and TPR at FPR ≤ 1%.
 */
export const ATTACKS = ["loss", "confidence"] as const;
export type AttackName = (typeof ATTACKS)[number];

/** Pass thresholds (issue 7): not to be loosened. */
export const MIA_THRESHOLDS = { aucUpper: 0.55, maxAdvantage: 0.05 } as const;

export type Interval = { value: number; lower95: number; upper95: number };
export type AttackSummary = {
  /** Members and non-members per balanced sample. */
  perSide: number;
  auc: Interval;
  advantage: Interval;
  tprAt1Fpr: Interval;
  /** Mean advantage with the member labels shuffled: what chance alone gives at this sample size. */
  chanceAdvantage: number;
};
export type GroupSummary = { column: string; group: string } & AttackSummary;
export type AttackResult = {
  name: AttackName;
  passed: boolean;
  reasons: string[];
  overall: AttackSummary;
  /** Groups with at least MIN_CELL members and MIN_CELL non-members; smaller groups are left out. */
  groups: GroupSummary[];
  /**
   * Groups that would fail the pass rule on their own. Reported, not part of the verdict: a group's
   * sample is small, so its advantage is mostly chance (see each group's chanceAdvantage).
   */
  groupWarnings: string[];
};
export type MembershipInferenceResult = {
  members: number;
  nonMembers: number;
  /** Rows left out because their arm or outcome is missing or unknown; null when 1–9 (a count under 10 is not shown). */
  unusable: number | null;
  repeats: number;
  replicates: number;
  seed: number;
  groupColumns: string[];
  attacks: AttackResult[];
};

type Point = { auc: number; advantage: number; tprAt1Fpr: number };

/**
 * AUC, advantage and TPR at 1% FPR of `scores` (higher = more likely a member) with optional weights
 * (bootstrap counts). `order` sorts the scores ascending. One pass over tie groups: O(n).
 */
export function attackPoint(scores: ArrayLike<number>, isMember: ArrayLike<number>, order: ArrayLike<number>, weights?: ArrayLike<number>): Point {
  const groups = tieGroups(scores, isMember, order, weights);
  const auc = aucOfGroups(groups);
  if (auc === null) return { auc: Number.NaN, advantage: Number.NaN, tprAt1Fpr: Number.NaN };
  let P = 0;
  let N = 0;
  for (const { p, q } of groups) {
    P += p;
    N += q;
  }
  // Descending pass for the ROC: a threshold at each tie group.
  let tp = 0;
  let fp = 0;
  let advantage = 0;
  let tprAt1 = 0;
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g] as TieGroup;
    tp += group.p;
    fp += group.q;
    const tpr = tp / P;
    const fpr = fp / N;
    if (tpr - fpr > advantage) advantage = tpr - fpr;
    if (fpr <= 0.01 && tpr > tprAt1) tprAt1 = tpr;
  }
  return { auc, advantage, tprAt1Fpr: tprAt1 };
}

/** Draws k of the indices 0..n-1 without replacement (partial Fisher–Yates). */
function sampleWithout(n: number, k: number, random: Random): Int32Array {
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return pool.slice(0, k);
}

const interval = (values: number[], draws: number[]): Interval => {
  const finite = values.filter(Number.isFinite);
  const sorted = Float64Array.from(draws.filter(Number.isFinite)).sort();
  const value = finite.reduce((s, v) => s + v, 0) / Math.max(finite.length, 1);
  return { value, lower95: quantileSorted(sorted, 0.025), upper95: quantileSorted(sorted, 0.975) };
};

/**
 * Repeated balanced samples with a stratified bootstrap inside each: the summary of one attack score
 * for members (`memberScores`) against non-members (`nonMemberScores`).
 */
export function summariseAttack(options: {
  memberScores: ArrayLike<number>;
  nonMemberScores: ArrayLike<number>;
  repeats: number;
  replicates: number;
  seed: number;
  /** At most this many per side (default: all of the smaller side). */
  maxPerSide?: number;
}): AttackSummary {
  const { memberScores, nonMemberScores, repeats, replicates } = options;
  const m = Math.min(memberScores.length, nonMemberScores.length, options.maxPerSide ?? Number.POSITIVE_INFINITY);
  if (m < 1) throw new RangeError("membership inference needs at least one member and one non-member");
  const random = createRandom(options.seed);
  const points: Point[] = [];
  const draws: Point[] = [];
  let chance = 0;
  const scores = new Float64Array(2 * m);
  const isMember = new Uint8Array(2 * m);
  isMember.fill(1, 0, m);
  const weights = new Float64Array(2 * m);
  for (let r = 0; r < repeats; r++) {
    const mi = sampleWithout(memberScores.length, m, random);
    const ni = sampleWithout(nonMemberScores.length, m, random);
    for (let i = 0; i < m; i++) {
      scores[i] = memberScores[mi[i] as number] as number;
      scores[m + i] = nonMemberScores[ni[i] as number] as number;
    }
    const order = ascendingOrder(scores);
    points.push(attackPoint(scores, isMember, order));
    for (let b = 0; b < replicates; b++) {
      weights.fill(0);
      for (let i = 0; i < m; i++) {
        const a = Math.floor(random() * m);
        const c = m + Math.floor(random() * m);
        weights[a] = (weights[a] as number) + 1;
        weights[c] = (weights[c] as number) + 1;
      }
      draws.push(attackPoint(scores, isMember, order, weights));
    }
    // Chance level: the same scores with the member labels shuffled.
    const shuffled = Uint8Array.from(isMember);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = shuffled[i] as number;
      shuffled[i] = shuffled[j] as number;
      shuffled[j] = t;
    }
    chance += attackPoint(scores, shuffled, order).advantage / repeats;
  }
  return {
    perSide: m,
    auc: interval(
      points.map((p) => p.auc),
      draws.map((p) => p.auc),
    ),
    advantage: interval(
      points.map((p) => p.advantage),
      draws.map((p) => p.advantage),
    ),
    tprAt1Fpr: interval(
      points.map((p) => p.tprAt1Fpr),
      draws.map((p) => p.tprAt1Fpr),
    ),
    chanceAdvantage: chance,
  };
}

/** The pass rule for one attack: AUC interval contains 0.5 or its upper end ≤ 0.55, and advantage ≤ 0.05. */
export function attackVerdict(name: AttackName, s: AttackSummary): { passed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const aucOk = (s.auc.lower95 <= 0.5 && s.auc.upper95 >= 0.5) || s.auc.upper95 <= MIA_THRESHOLDS.aucUpper;
  if (!aucOk) {
    reasons.push(
      `${name} attack: AUC ${s.auc.value.toFixed(3)} (95% ${s.auc.lower95.toFixed(3)}–${s.auc.upper95.toFixed(3)}) excludes 0.5 and exceeds ${MIA_THRESHOLDS.aucUpper}`,
    );
  }
  if (!(s.advantage.value <= MIA_THRESHOLDS.maxAdvantage)) {
    reasons.push(`${name} attack: advantage ${s.advantage.value.toFixed(3)} exceeds ${MIA_THRESHOLDS.maxAdvantage}`);
  }
  return { passed: reasons.length === 0, reasons };
}

/** Columns to report groups by: the schema's audit columns and an age band feature, if present. */
export function groupColumnsOf(bundle: Pick<Bundle, "schema">): string[] {
  const audit = bundle.schema.audit ?? [];
  const age = bundle.schema.features.find((f) => f.type === "categorical" && /leeftijd|age/i.test(f.name));
  return [...audit, ...(age && !audit.includes(age.name) ? [age.name] : [])];
}

type Scored = { loss: Float64Array; confidence: Float64Array; groups: string[][]; unusable: number };

/** Attack scores of the usable rows (known arm, outcome present), predicted in batches. */
export function attackScores(bundle: Bundle, rows: readonly Row[], groupColumns: readonly string[], onBatch?: (done: number) => void): Scored {
  const { schema } = bundle;
  const arms = schema.treatment.arms;
  const binary = schema.outcome.type === "binary";
  const usable: { row: Row; arm: number; y: number }[] = [];
  for (const row of rows) {
    const arm = arms.indexOf(String(row[schema.treatment.column] ?? "").trim());
    const y = toNumber(row[schema.outcome.column]);
    if (arm >= 0 && y !== null && !Number.isNaN(y) && (!binary || y === 0 || y === 1)) usable.push({ row, arm, y });
  }
  const n = usable.length;
  const loss = new Float64Array(n);
  const confidence = new Float64Array(n);
  const batch = 4096;
  for (let start = 0; start < n; start += batch) {
    const part = usable.slice(start, start + batch);
    const pred = predictTable(
      bundle,
      part.map((u) => u.row),
    );
    part.forEach((u, i) => {
      const p = pred.mean[i]?.[u.arm] ?? 0;
      if (binary) {
        const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        loss[start + i] = u.y === 1 ? Math.log(q) : Math.log(1 - q);
        confidence[start + i] = Math.max(q, 1 - q);
      } else {
        loss[start + i] = -((p - u.y) ** 2);
        confidence[start + i] = -((pred.upper[i]?.[u.arm] ?? 0) - (pred.lower[i]?.[u.arm] ?? 0));
      }
    });
    onBatch?.(Math.min(start + batch, n));
  }
  const groups = groupColumns.map((c) => usable.map((u) => String(u.row[c] ?? "").trim() || "(missing)"));
  return { loss, confidence, groups, unusable: rows.length - n };
}

export type MembershipInferenceOptions = {
  bundle: Bundle;
  members: readonly Row[];
  nonMembers: readonly Row[];
  repeats?: number;
  seed?: number;
  /** Bootstrap replicates per repeat (overall); groups use a quarter. */
  replicates?: number;
  maxPerSide?: number;
  onProgress?: (p: { phase: "predict" | "attack"; done: number; total: number }) => void;
};

const pick = (values: Float64Array, keep: (i: number) => boolean): Float64Array => {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep(i)) out.push(values[i] as number);
  return Float64Array.from(out);
};

export function runMembershipInference(options: MembershipInferenceOptions): MembershipInferenceResult {
  const repeats = options.repeats ?? 20;
  const seed = options.seed ?? 1;
  const replicates = options.replicates ?? 100;
  const groupColumns = groupColumnsOf(options.bundle);
  const totalRows = options.members.length + options.nonMembers.length;
  const report = options.onProgress;
  const members = attackScores(options.bundle, options.members, groupColumns, (d) => report?.({ phase: "predict", done: d, total: totalRows }));
  const nonMembers = attackScores(options.bundle, options.nonMembers, groupColumns, (d) =>
    report?.({ phase: "predict", done: options.members.length + d, total: totalRows }),
  );
  if (members.loss.length < MIN_CELL || nonMembers.loss.length < MIN_CELL) {
    throw new RangeError(`membership inference needs at least ${MIN_CELL} usable members and ${MIN_CELL} usable non-members`);
  }
  const groupJobs: { column: string; group: string; c: number }[] = [];
  groupColumns.forEach((column, c) => {
    const levels = new Set([...(members.groups[c] ?? []), ...(nonMembers.groups[c] ?? [])]);
    for (const group of [...levels].sort()) groupJobs.push({ column, group, c });
  });
  const totalJobs = ATTACKS.length * (1 + groupJobs.length);
  let done = 0;
  const attacks = ATTACKS.map((name, a): AttackResult => {
    const overall = summariseAttack({
      memberScores: members[name],
      nonMemberScores: nonMembers[name],
      repeats,
      replicates,
      seed: seed + 1000 * a,
      ...(options.maxPerSide ? { maxPerSide: options.maxPerSide } : {}),
    });
    report?.({ phase: "attack", done: ++done, total: totalJobs });
    const groups: GroupSummary[] = [];
    groupJobs.forEach(({ column, group, c }, g) => {
      const inGroup = (labels: string[] | undefined) => (i: number) => labels?.[i] === group;
      const ms = pick(members[name], inGroup(members.groups[c]));
      const ns = pick(nonMembers[name], inGroup(nonMembers.groups[c]));
      if (ms.length >= MIN_CELL && ns.length >= MIN_CELL) {
        const s = summariseAttack({
          memberScores: ms,
          nonMemberScores: ns,
          repeats,
          replicates: Math.max(10, Math.round(replicates / 4)),
          seed: seed + 1000 * a + 17 * (g + 1),
          ...(options.maxPerSide ? { maxPerSide: options.maxPerSide } : {}),
        });
        groups.push({ column, group, ...s });
      }
      report?.({ phase: "attack", done: ++done, total: totalJobs });
    });
    const verdict = attackVerdict(name, overall);
    const groupWarnings = groups.flatMap((g) => attackVerdict(name, g).reasons.map((r) => `${g.column}=${g.group}: ${r}`));
    return { name, ...verdict, overall, groups, groupWarnings };
  });
  const unusable = members.unusable + nonMembers.unusable;
  return {
    members: members.loss.length,
    nonMembers: nonMembers.loss.length,
    unusable: unusable === 0 || unusable >= MIN_CELL ? unusable : null,
    repeats,
    replicates,
    seed,
    groupColumns,
    attacks,
  };
}
