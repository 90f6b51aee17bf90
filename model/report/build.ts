import { type AipwInput, aipwArmScores, aipwEffects, aipwScores, bestLinearProjection, crossFitFolds } from "../causal/index.js";
import { featureLabel, type Lang, trajectoryName, valueLabel } from "../config/catalogue.js";
import type { Catalogue, OutcomeSpec } from "../config/municipality.js";
import { ModelError } from "../errors.js";
import { meanEstimate } from "../metrics/bootstrap.js";
import type { Matrix } from "../metrics/policy.js";
import { MIN_CELL, suppressList } from "../privacy/suppression.js";
import { encodeRows, fitEncoder } from "../table/encoder.js";
import { isMissing, type Row, toNumber } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { conditionOnLoggedDraw, readLoggedShown } from "./logged.js";
import { crossFitOutcome, crossFitPropensity } from "./nuisance.js";
import { type Effect, type Factor, REPORT_FORMAT, REPORT_FORMAT_VERSION, type Report, ReportSchema } from "./schema.js";

export type BuildReportOptions = {
  /** Cross-fitting folds (default 5). */
  folds?: number;
  seed?: number;
  /** Propensities below this are raised to it before they divide (default 0.01). */
  clip?: number;
  /** Too little overlap: the chance of the arm or of the control below this (default 0.02). */
  overlapThreshold?: number;
  lang?: Lang;
  /** Timestamp written into the report (default now). */
  generatedAt?: string;
};

export type BuildReportInput = {
  /** The bundle's table schema (arms, control, features, audit columns). */
  schema: TableSchema;
  /** The bundle's catalogue: outcomes (primary and secondary) and labels. */
  catalogue: Catalogue;
  rows: readonly Row[];
  /** Columns present in the table. */
  columns: readonly string[];
  /** The bundle's expected primary outcome per row and arm (rows × arms): the primary outcome model. */
  primaryPredicted: Matrix | null;
  model: { version: string };
  table: { sha256: string };
  options?: BuildReportOptions;
};

const DEFAULT_CLIP = 0.01;
const DEFAULT_OVERLAP = 0.02;
// `+ 0` turns −0 into 0, so the JSON reads back equal.
const round = (v: number, digits = 4): number => Number(v.toFixed(digits)) + 0;

/** A subgroup cell; `withUnknown`: it also holds the rows whose value is unknown. */
type Cell = { feature: string; value: string; rows: number[]; withUnknown: boolean };
type SubgroupFeature = { feature: string; role: "feature" | "audit"; cells: Cell[] };

/** A value of a subgroup column as text ("" when missing). */
function textOf(value: unknown): string {
  return isMissing(value) ? "" : String(value).trim();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The subgroups: every binary and categorical feature by value (in the configuration's order), every
 * numeric feature in two bands split at its median (rounded; missing counts as the median), and the audit columns (origin, sex) by
 * value, only to audit fairness. Each feature's cells partition the table (what the secondary
 * suppression assumes): an unknown value counts with the most common value, and the label says so.
 */
function subgroupFeatures(schema: TableSchema, catalogue: Catalogue, rows: readonly Row[]): SubgroupFeature[] {
  const byValue = (feature: string, role: SubgroupFeature["role"], order: readonly string[]): SubgroupFeature => {
    const cells = new Map<string, number[]>();
    rows.forEach((row, i) => {
      const v = textOf(row[feature]);
      const members = cells.get(v);
      if (members) members.push(i);
      else cells.set(v, [i]);
    });
    // An unknown value counts with the most common value (as a missing number counts as the median):
    // a small "unknown" cell would otherwise hide a second, real cell by secondary suppression.
    const unknown = cells.get("");
    const known = [...cells.entries()].filter(([v]) => v !== "").sort((a, b) => b[1].length - a[1].length);
    const mode = known[0]?.[0];
    if (unknown && mode !== undefined) {
      cells.get(mode)?.push(...unknown);
      cells.delete("");
    }
    const rank = (v: string) => (v === "" ? Number.POSITIVE_INFINITY : order.includes(v) ? order.indexOf(v) : order.length);
    const values = [...cells.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return {
      feature,
      role,
      cells: values.map((value) => ({ feature, value, rows: cells.get(value) ?? [], withUnknown: unknown !== undefined && value === mode })),
    };
  };
  const out: SubgroupFeature[] = [];
  for (const spec of schema.features) {
    const config = catalogue.features.find((f) => f.name === spec.name);
    if (spec.type === "numeric") {
      const numbers = rows.map((row) => toNumber(row[spec.name]));
      const known = numbers.filter((v): v is number => v !== null && !Number.isNaN(v));
      if (known.length === 0) continue;
      const cut = Math.round(median(known));
      const low: number[] = [];
      const high: number[] = [];
      // A missing number counts as the median (the model imputes it too), so the two bands partition the table.
      numbers.forEach((v, i) => {
        (v === null || Number.isNaN(v) || v <= cut ? low : high).push(i);
      });
      const withUnknown = known.length < numbers.length;
      const cells = [
        { feature: spec.name, value: `<=${cut}`, rows: low, withUnknown },
        { feature: spec.name, value: `>${cut}`, rows: high, withUnknown: false },
      ];
      out.push({ feature: spec.name, role: "feature", cells });
    } else {
      const order = spec.type === "binary" ? ["0", "1"] : (config?.values?.map((v) => v.value) ?? []);
      out.push(byValue(spec.name, "feature", order));
    }
  }
  for (const column of schema.audit ?? []) {
    if (rows.length > 0 && column in (rows[0] as Row)) out.push(byValue(column, "audit", []));
  }
  return out;
}

/**
 * The factors of the best linear projections: binary features as 0/1, numeric features standardised
 * (per standard deviation), categorical features as indicators against their most common value.
 * A missing value counts as the mean (numeric, binary) or the reference value (categorical). An
 * indicator that covers fewer than MIN_CELL people, or leaves fewer than MIN_CELL outside it, is left out.
 */
function factorDesign(schema: TableSchema, rows: readonly Row[]) {
  const n = rows.length;
  const columns: { feature: string; value: string | null; values: Float64Array; n: number }[] = [];
  const scales: { feature: string; sd: number }[] = [];
  for (const spec of schema.features) {
    if (spec.type === "categorical") {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const v = textOf(row[spec.name]);
        if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const ordered = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [value, count] of ordered.slice(1)) {
        if (count < MIN_CELL || n - count < MIN_CELL) continue;
        columns.push({ feature: spec.name, value, values: Float64Array.from(rows, (row) => (textOf(row[spec.name]) === value ? 1 : 0)), n: count });
      }
      continue;
    }
    const numbers = rows.map((row) => toNumber(row[spec.name]));
    const known = numbers.filter((v): v is number => v !== null && !Number.isNaN(v));
    if (known.length < MIN_CELL) continue;
    const mean = known.reduce((s, v) => s + v, 0) / known.length;
    const sd = Math.sqrt(known.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(known.length - 1, 1));
    if (spec.type === "binary") {
      const ones = known.filter((v) => v === 1).length;
      if (ones < MIN_CELL || known.length - ones < MIN_CELL) continue;
      columns.push({ feature: spec.name, value: "1", values: Float64Array.from(numbers, (v) => (v === null || Number.isNaN(v) ? mean : v)), n: ones });
    } else {
      if (!(sd > 0)) continue;
      scales.push({ feature: spec.name, sd });
      columns.push({
        feature: spec.name,
        value: null,
        values: Float64Array.from(numbers, (v) => (v === null || Number.isNaN(v) ? 0 : (v - mean) / sd)),
        n: known.length,
      });
    }
  }
  const width = columns.length;
  const x = new Float64Array(n * width);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) x[i * width + j] = c.values[i] as number;
  });
  return { columns, scales, x, width };
}

/** Treatment index per row in the schema's arm order. */
function treatmentOf(schema: TableSchema, rows: readonly Row[]): number[] {
  const arms = schema.treatment.arms;
  return rows.map((row, i) => {
    const arm = textOf(row[schema.treatment.column]);
    const index = arms.indexOf(arm);
    if (index < 0) throw new ModelError(`table line ${i + 2}: ${schema.treatment.column} = "${arm}" is not an arm of the model`);
    return index;
  });
}

/** Outcome values of one column, with the rows that have a usable value. */
function outcomeOf(spec: OutcomeSpec, rows: readonly Row[]): { values: number[]; rows: number[] } {
  const values: number[] = [];
  const use: number[] = [];
  rows.forEach((row, i) => {
    const v = toNumber(row[spec.column]);
    if (v === null || Number.isNaN(v)) {
      values.push(Number.NaN);
      return;
    }
    if (spec.type === "binary" && v !== 0 && v !== 1) throw new ModelError(`table line ${i + 2}: ${spec.column} = ${v} is not 0 or 1 (binary outcome)`);
    values.push(v);
    use.push(i);
  });
  return { values, rows: use };
}

const pick = <T>(values: readonly T[], rows: readonly number[]): T[] => rows.map((i) => values[i] as T);

/**
 * Shown or hidden per cell of one partition: a cell is hidden when it holds fewer than MIN_CELL people,
 * fewer than MIN_CELL who got the arm or fewer than MIN_CELL who got the control arm (primary), and
 * then so many more (secondary, model/privacy's line rule) that no hidden cell follows from the
 * whole-table figure and the visible cells by differencing.
 */
function visibleCells(cells: readonly { size: number; arm: number; control: number }[]): boolean[] {
  const size = suppressList(cells.map((c) => c.size));
  const support = suppressList(cells.map((c) => Math.min(c.size, c.arm, c.control)));
  return cells.map((_, k) => size.cells[k] !== "<10" && support.cells[k] !== "<10");
}

/**
 * Builds the "what works for whom" report from a labelled table: for every outcome the table has
 * (the catalogue's primary and secondary outcomes) and every trajectory, the doubly robust (AIPW)
 * average effect against the control arm with a 95% interval, overall and per subgroup, and the best
 * linear projections of the outcome under the control arm and of each effect on the client factors.
 * Every figure covers at least MIN_CELL people; smaller cells are suppressed with secondary suppression.
 */
export function buildReport(input: BuildReportInput): Report {
  const { schema, catalogue, rows } = input;
  const options = input.options ?? {};
  const lang = options.lang ?? "nl";
  const clip = options.clip ?? DEFAULT_CLIP;
  const threshold = options.overlapThreshold ?? DEFAULT_OVERLAP;
  const n = rows.length;
  if (n < MIN_CELL) throw new ModelError(`the table has ${n < 1 ? "no" : "fewer than"} ${MIN_CELL} rows: too few for a report`);
  const arms = schema.treatment.arms;
  const control = arms.indexOf(schema.treatment.control);
  const treatment = treatmentOf(schema, rows);
  // The model's own schema says what its outcome is (a table may carry it on another scale than the configuration's).
  const specs = [catalogue.outcomes.primary, ...catalogue.outcomes.secondary]
    .filter((o) => input.columns.includes(o.column))
    .map((o) => (o.column === schema.outcome.column ? { ...o, type: schema.outcome.type } : o));
  if (!specs.some((o) => o.column === catalogue.outcomes.primary.column)) {
    throw new ModelError(`the table has no column "${catalogue.outcomes.primary.column}" (the primary outcome): a report needs observed outcomes`);
  }
  const encoder = fitEncoder(schema, rows);
  const design = { x: encodeRows(encoder, rows), width: encoder.width };
  const folds = crossFitFolds({ n, folds: options.folds ?? 5, seed: options.seed ?? 1, strata: treatment });
  // Where the app logged which tied arm it drew to show first, the propensity is conditioned on that draw.
  const logged = readLoggedShown({ rows, columns: input.columns, arms });
  const fitted = crossFitPropensity({ design, treatment, arms: arms.length, folds });
  const conditioned = logged ? conditionOnLoggedDraw({ propensity: fitted, treatment, logged }) : null;
  const propensity = conditioned?.propensity ?? fitted;
  const subgroups = subgroupFeatures(schema, catalogue, rows);
  const factors = factorDesign(schema, rows);

  const effects: Effect[] = [];
  const factorRows: Factor[] = [];
  const outcomes: Report["outcomes"] = [];
  let overlapResult: { share: number; perArm: number[] } | null = null;

  for (const spec of specs) {
    const primary = spec.column === catalogue.outcomes.primary.column;
    const observed = outcomeOf(spec, rows);
    const use = observed.rows;
    if (use.length < MIN_CELL) continue;
    const network = primary && input.primaryPredicted !== null;
    const predicted = network
      ? (input.primaryPredicted as Matrix)
      : crossFitOutcome({ design, treatment, outcome: observed.values, binary: spec.type === "binary", arms: arms.length, folds, rows: use });
    const aipw: AipwInput = {
      outcome: pick(observed.values, use),
      treatment: pick(treatment, use),
      propensity: pick(propensity, use),
      predicted: pick(predicted, use),
      control,
      clip,
      overlapThreshold: threshold,
    };
    const result = aipwEffects(aipw);
    if (primary) overlapResult = { share: result.limitedOverlap, perArm: result.effects.map((e) => e.limitedOverlap) };
    outcomes.push({
      column: spec.column,
      type: spec.type,
      label: spec.label[lang],
      unit: spec.unit?.[lang] ?? null,
      primary,
      outcomeModel: network ? "network" : "linear",
      n: use.length,
    });
    // Position of each table row within `use`, for subgroups and factors.
    const position = new Map(use.map((row, k) => [row, k]));
    const usedTreatment = aipw.treatment;
    const factorX = new Float64Array(use.length * factors.width);
    use.forEach((row, k) => {
      factorX.set(factors.x.subarray(row * factors.width, (row + 1) * factors.width), k * factors.width);
    });
    const factorDesignOf = { x: factorX, names: factors.columns.map((_, j) => String(j)) };
    const project = (scores: number[], arm: string | null) => {
      if (factors.width === 0 || use.length <= factors.width + 1) return;
      const projection = bestLinearProjection(scores, factorDesignOf);
      projection.coefficients.forEach((c, j) => {
        const column = factors.columns[j];
        if (!column) return;
        factorRows.push({
          outcome: spec.column,
          arm,
          factor: { feature: column.feature, value: column.value },
          estimate: round(c.estimate),
          lower: round(c.lower),
          upper: round(c.upper),
          n: column.n,
        });
      });
    };
    project(aipwArmScores(aipw, control), null);

    for (const effect of result.effects) {
      const armKey = arms[effect.arm] as string;
      const overallVisible = effect.nArm >= MIN_CELL && effect.nControl >= MIN_CELL && effect.n >= MIN_CELL;
      effects.push({
        outcome: spec.column,
        arm: armKey,
        group: null,
        estimate: overallVisible ? round(effect.ate.value) : null,
        lower: overallVisible ? round(effect.ate.lower95) : null,
        upper: overallVisible ? round(effect.ate.upper95) : null,
        n: overallVisible ? effect.n : null,
      });
      if (!overallVisible) continue;
      const scores = aipwScores(aipw, effect.arm);
      for (const feature of subgroups) {
        const cells = feature.cells.map((cell) => {
          const members = cell.rows.flatMap((row) => {
            const k = position.get(row);
            return k === undefined ? [] : [k];
          });
          return {
            cell,
            members,
            size: members.length,
            arm: members.filter((k) => usedTreatment[k] === effect.arm).length,
            control: members.filter((k) => usedTreatment[k] === control).length,
          };
        });
        const visible = visibleCells(cells);
        cells.forEach((c, k) => {
          const shown = visible[k] === true;
          const estimate = shown ? meanEstimate(c.members.map((m) => scores[m] as number)) : null;
          effects.push({
            outcome: spec.column,
            arm: armKey,
            group: { feature: c.cell.feature, value: c.cell.value },
            estimate: estimate ? round(estimate.value) : null,
            lower: estimate ? round(estimate.lower95) : null,
            upper: estimate ? round(estimate.upper95) : null,
            n: shown ? c.size : null,
          });
        });
      }
      project(scores, armKey);
    }
  }

  const shareShown = (share: number): number => {
    const count = Math.round(share * n);
    // A share of a few people (or of all but a few) is a small count: shown as the nearest safe share.
    if (count > 0 && count < MIN_CELL) return round(MIN_CELL / n);
    if (n - count > 0 && n - count < MIN_CELL) return round((n - MIN_CELL) / n);
    return round(share);
  };
  const report: Report = {
    format: REPORT_FORMAT,
    formatVersion: REPORT_FORMAT_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    lang,
    model: { version: input.model.version },
    table: { sha256: input.table.sha256, rows: n },
    minCell: MIN_CELL,
    control: schema.treatment.control,
    arms: arms.map((key) => ({ key, name: trajectoryName(catalogue, key, lang) })),
    outcomes,
    subgroups: subgroups.map((s) => {
      const visible = suppressList(s.cells.map((c) => c.rows.length));
      return {
        feature: s.feature,
        label: featureLabel(catalogue, s.feature, lang),
        role: s.role,
        values: s.cells.map((c, k) => ({
          value: c.value,
          label: `${subgroupValueLabel(catalogue, s.feature, c.value, lang)}${c.withUnknown ? OR_UNKNOWN[lang] : ""}`,
          n: visible.cells[k] === "<10" ? null : c.rows.length,
        })),
      };
    }),
    factorScales: factors.scales.map((s) => ({ feature: s.feature, label: featureLabel(catalogue, s.feature, lang), sd: round(s.sd, 2) })),
    overlap: {
      clip,
      threshold,
      share: shareShown(overlapResult?.share ?? 0),
      perArm: arms.flatMap((key, a) => {
        if (a === control) return [];
        const k = a < control ? a : a - 1;
        return [{ arm: key, share: shareShown(overlapResult?.perArm[k] ?? 0) }];
      }),
    },
    effects,
    factors: factorRows,
    ...(conditioned
      ? {
          loggedProbabilities: {
            // A count of a few rows is a small count: shown as "fewer than MIN_CELL".
            rows: conditioned.rows > 0 && conditioned.rows < MIN_CELL ? null : conditioned.rows,
            followShare: conditioned.followShare === null ? null : round(conditioned.followShare),
          },
        }
      : {}),
  };
  return ReportSchema.parse(report);
}

const UNKNOWN_LABEL: Record<Lang, string> = { nl: "onbekend", en: "unknown" };
const OR_UNKNOWN: Record<Lang, string> = { nl: " (of onbekend)", en: " (or unknown)" };
const BINARY_LABEL: Record<Lang, [string, string]> = { nl: ["nee", "ja"], en: ["no", "yes"] };

/** A subgroup value in words: the configuration's label, yes/no for a binary feature, a band as "≤ 24". */
export function subgroupValueLabel(catalogue: Catalogue, feature: string, value: string, lang: Lang): string {
  if (value === "") return UNKNOWN_LABEL[lang];
  const config = catalogue.features.find((f) => f.name === feature);
  if (config?.type === "binary" && (value === "0" || value === "1")) return BINARY_LABEL[lang][Number(value)] as string;
  if (value.startsWith("<=")) return `≤ ${value.slice(2)}`;
  if (value.startsWith(">")) return `> ${value.slice(1)}`;
  return valueLabel(catalogue, feature, value, lang);
}
