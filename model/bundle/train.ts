import { basename } from "node:path";
import { fitBaseline, serializeBaseline } from "../baseline/index.js";
import { currentBackend, ensureBackend } from "../backend.js";
import { auc, expectedCalibrationError } from "../metrics/classification.js";
import { type EnsembleState, loadEnsemble, disposeEnsemble, predictEnsemble, type TrainProgress, trainEnsembleInPool } from "../network/ensemble.js";
import { type NetworkConfig, NetworkConfigSchema } from "../network/tarnet.js";
import { encodeRows, fitEncoder } from "../table/encoder.js";
import { type Row, readSchemaFile, readTableCsv, toNumber, validateTable } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { catalogueFromSchema, configMismatch, restrictCatalogue, withCatalogueGroups } from "../config/catalogue.js";
import { loadMunicipalConfig } from "../config/load.js";
import type { Catalogue } from "../config/municipality.js";
import { assertBundleTarget, encoderLevels, packWeights, saveBundle, sha256, sha256File } from "./bundle.js";
import { chooseLearner, type LearnerChoice } from "./choose-learner.js";
import { logLinearArms } from "../learners/index.js";
import { buildModelCard, modelCardMarkdown, type Performance, type ValidationMetrics } from "./model-card.js";
import { computeReferenceStats, MIN_CELL } from "./reference.js";
import { addSecondaryHeads } from "../secondary/bundle-file.js";
import { withTrainingPool } from "../parallel/pool.js";
import { trainingThreads } from "../parallel/threads.js";

export type TrainOptions = {
  table: string;
  schema: string;
  outDir: string;
  seed?: number;
  members?: number;
  maxEpochs?: number;
  /** Network settings beyond the defaults (hidden sizes, learning rate, batch size, ...). */
  config?: Partial<NetworkConfig>;
  validationShare?: number;
  /**
   * The municipal configuration naming the table's trajectories and features. Given, it must
   * describe the table (SchemaError otherwise). Absent, the configuration in effect
   * (MUNICIPALITY_CONFIG or the default) is used when it describes the table, else generic
   * defaults (label = column name, no eligibility rules, no what-ifs).
   */
  catalogue?: Catalogue;
  /** Fit the T-learner baseline on the same table into the bundle (default true). */
  baseline?: boolean;
  /**
   * Threads the ensemble members and the learners' validation fits run on (default TRAIN_THREADS,
   * else one per core; 1 = this thread only). The bundle is the same for every number.
   */
  threads?: number;
} & LearnerChoice & {
  onProgress?: (p: TrainProgress) => void;
};

const pad = (n: number): string => String(n).padStart(2, "0");
function stamp(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** Encodes a validated training table: features, arm indices, outcomes. Truth and audit columns are never read. */
export function encodeTrainingTable(schema: TableSchema, rows: readonly Row[]) {
  const encoder = fitEncoder(schema, rows);
  const x = encodeRows(encoder, rows);
  const armIndex = new Map(schema.treatment.arms.map((a, i) => [a, i]));
  const treatment = Int32Array.from(rows, (r) => armIndex.get(String(r[schema.treatment.column] ?? "").trim()) ?? 0);
  const outcome = Float32Array.from(rows, (r) => toNumber(r[schema.outcome.column]) ?? 0);
  return { encoder, data: { x, inputs: encoder.width, treatment, outcome } };
}

export type TrainResult = {
  version: string;
  dir: string;
  /** Where catalogue.json came from: the configuration, or generic defaults (and why not the configuration). */
  catalogue: { source: "config" | "generic"; mismatch: string | null };
};

/**
 * Reads and validates the table, trains the ensemble, computes reference statistics,
 * validation metrics and the model card, and writes the bundle atomically to `outDir`.
 */
export async function trainBundle(options: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  await ensureBackend();
  await assertBundleTarget(options.outDir);
  const tableSchema = await readSchemaFile(options.schema);
  const table = await readTableCsv(options.table);
  const tableSha256 = await sha256File(options.table);
  validateTable(tableSchema, table, { use: "train", where: options.table });
  // A configuration that describes the table names its explanation groups too: the encoder (and
  // so every explanation) groups the features as the catalogue does.
  const config = options.catalogue ?? (await loadMunicipalConfig());
  const mismatch = options.catalogue ? null : configMismatch(tableSchema, config);
  const configured = mismatch === null ? restrictCatalogue(config, tableSchema) : null;
  const schema = configured ? withCatalogueGroups(tableSchema, configured) : tableSchema;
  const { encoder, data } = encodeTrainingTable(schema, table.rows);
  const catalogue = configured ?? catalogueFromSchema(schema, { levels: encoderLevels(encoder) });
  const source = configured ? ("config" as const) : ("generic" as const);
  const seed = options.seed ?? 42;
  const members = options.members ?? 5;
  const validationShare = options.validationShare ?? 0.2;
  const network = NetworkConfigSchema.parse({ ...options.config, ...(options.maxEpochs ? { maxEpochs: options.maxEpochs } : {}) });
  const threads = options.threads ?? trainingThreads({ rows: data.treatment.length });
  // The members and the learners' validation are independent jobs: one pool runs them side by side.
  const [{ state, split }, chosen] = await withTrainingPool({ threads }, (pool) =>
    Promise.all([
      trainEnsembleInPool({
        data,
        arms: schema.treatment.arms,
        control: schema.treatment.control,
        outcomeType: schema.outcome.type,
        config: network,
        members,
        seed,
        validationShare,
        pool,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
      chooseLearner(options, {
        data,
        encoder,
        arms: schema.treatment.arms,
        control: schema.treatment.control,
        outcomeType: schema.outcome.type,
        network,
        seed,
        validationShare,
        pool,
      }),
    ]),
  );
  const reference = computeReferenceStats({ schema, encoder, rows: table.rows, treatment: data.treatment, outcome: data.outcome });
  const learner = chosen.file;
  const factual = { schema, rows: table.rows, treatment: data.treatment, outcome: data.outcome };
  // The performance of the learner that predicts: the shipped network's on its early-stopping
  // split, any other learner's on its cross-fitted out-of-fold predictions of every training row.
  const metrics = chosen.outOfFold && learner.kind !== "network"
    ? factualMetrics({ ...factual, split: "cross-fitted", indices: Int32Array.from({ length: data.treatment.length }, (_, i) => i), values: chosen.outOfFold })
    : factualMetrics({ ...factual, split: "validation", indices: split.validation, values: networkValues(state, data.x, data.inputs, split.validation) });
  const createdAt = new Date();
  const version = `${schema.name}-${stamp(createdAt)}-${sha256(packWeights(state).data).slice(0, 8)}`;
  const backend = currentBackend();
  const modelCard = buildModelCard({
    version,
    createdAt: createdAt.toISOString(),
    schema,
    tableColumns: table.columns,
    tableName: basename(options.table),
    reference,
    members,
    backend,
    seed,
    validationShare,
    calibrationRows: network.calibrationRows,
    metrics,
    learner: { kind: learner.kind, validation: learner.validation },
    logLinearArms: logLinearArms(learner.state),
  });
  const dir = await saveBundle(options.outDir, {
    version,
    createdAt: createdAt.toISOString(),
    schema,
    encoder,
    state,
    training: {
      backend,
      seed,
      rows: table.rows.length,
      validationShare,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
    reference,
    metrics: { validation: metrics, test: null },
    modelCard,
    modelCardMarkdown: modelCardMarkdown(modelCard),
    catalogue,
    trainingData: { table: basename(options.table), sha256: tableSha256, rows: table.rows.length },
    ...(options.baseline === false ? {} : { baseline: serializeBaseline(fitBaseline(table.rows, schema)) }),
    learner,
  });
  // Secondary outcomes (care need, debts, left benefits): heads beside the model, in the same bundle.
  await addSecondaryHeads({ dir, catalogue, rows: table.rows, data, arms: schema.treatment.arms, control: schema.treatment.control });
  return { version, dir, catalogue: { source, mismatch } };
}

function performanceOf(p: number[], y: number[], binary: boolean): Performance {
  if (p.length < MIN_CELL) return { rows: null, auc: null, brier: null, ece: null, rmse: null };
  let se = 0;
  for (let i = 0; i < p.length; i++) se += ((p[i] ?? 0) - (y[i] ?? 0)) ** 2;
  return {
    rows: p.length,
    auc: binary ? auc(p, y) : null,
    brier: binary ? se / p.length : null,
    ece: binary ? expectedCalibrationError(p, y) : null,
    rmse: binary ? null : Math.sqrt(se / p.length),
  };
}

/** The ensemble's expected outcomes (rows × K) on the given rows. */
function networkValues(state: EnsembleState, xAll: Float32Array, inputs: number, rows: Int32Array): Float64Array {
  const x = new Float32Array(rows.length * inputs);
  rows.forEach((row, i) => {
    x.set(xAll.subarray(row * inputs, (row + 1) * inputs), i * inputs);
  });
  const ensemble = loadEnsemble(state);
  try {
    return Float64Array.from(predictEnsemble(ensemble, x, rows.length).mean);
  } finally {
    disposeEnsemble(ensemble);
  }
}

/**
 * Factual performance (the expected outcome under the arm each row got, against its outcome) of
 * `values` (indices.length × K, in the order of `indices`), overall, per arm and per audit group
 * (groups ≥ 10 rows).
 */
function factualMetrics(options: {
  schema: TableSchema;
  rows: readonly Row[];
  treatment: Int32Array;
  outcome: Float32Array;
  split: ValidationMetrics["split"];
  indices: Int32Array;
  values: ArrayLike<number>;
}): ValidationMetrics {
  const { schema, indices, values } = options;
  const K = schema.treatment.arms.length;
  const binary = schema.outcome.type === "binary";
  const factual = Array.from(indices, (row, i) => values[i * K + (options.treatment[row] ?? 0)] ?? 0);
  const ys = Array.from(indices, (row) => options.outcome[row] ?? 0);
  const subset = (keep: (row: number, i: number) => boolean) => {
    const p: number[] = [];
    const y: number[] = [];
    indices.forEach((row, i) => {
      if (keep(row, i)) {
        p.push(factual[i] ?? 0);
        y.push(ys[i] ?? 0);
      }
    });
    return performanceOf(p, y, binary);
  };
  const perGroup: ValidationMetrics["perGroup"] = {};
  for (const column of schema.audit ?? []) {
    const groups = new Set(Array.from(indices, (row) => String(options.rows[row]?.[column] ?? "")));
    const perf: Record<string, Performance> = {};
    for (const g of [...groups].sort()) {
      const p = subset((row) => String(options.rows[row]?.[column] ?? "") === g);
      if (p.rows !== null) perf[g === "" ? "(missing)" : g] = p;
    }
    if (Object.keys(perf).length > 0) perGroup[column] = perf;
  }
  return {
    split: options.split,
    overall: performanceOf(factual, ys, binary),
    perArm: Object.fromEntries(schema.treatment.arms.map((arm, k) => [arm, subset((row) => options.treatment[row] === k)])),
    perGroup,
  };
}
