import { z } from "zod";
import { SchemaError } from "../errors.js";
import type { FeatureSpec, TableSchema } from "../table-schema.js";
import { type Row, toNumber } from "./read.js";

/**
 * The feature encoder, learned on the training table and saved in the bundle:
 * numeric and binary features are standardised / kept 0-1, with a missing flag
 * (imputed with the training mean); categorical features are one-hot over the levels
 * seen in training (levels with fewer than 10 rows folded into "unknown").
 */
export const UNKNOWN_LEVEL = "unknown";
export const MIN_LEVEL_COUNT = 10;

const NumericEncodingSchema = z.object({
  name: z.string(),
  type: z.enum(["numeric", "binary"]),
  group: z.string(),
  mean: z.number(),
  scale: z.number().positive(),
  /** Column of the value and of its missing flag in the encoded vector. */
  column: z.number().int().min(0),
  flagColumn: z.number().int().min(0),
});
const CategoricalEncodingSchema = z.object({
  name: z.string(),
  type: z.literal("categorical"),
  group: z.string(),
  levels: z.array(z.string()).min(1),
  column: z.number().int().min(0),
});
export const FeatureEncodingSchema = z.discriminatedUnion("type", [NumericEncodingSchema, CategoricalEncodingSchema]);
export type FeatureEncoding = z.infer<typeof FeatureEncodingSchema>;

export const EncoderSchema = z.object({
  features: z.array(FeatureEncodingSchema),
  width: z.number().int().positive(),
  /** Encoded column names (for explanations and the model card). */
  columnNames: z.array(z.string()),
  /** Encoded column -> index into `features`. */
  columnFeature: z.array(z.number().int().min(0)),
  /** Mean encoded training vector: the reference point of integrated gradients. */
  baseline: z.array(z.number()),
});
export type Encoder = z.infer<typeof EncoderSchema>;

const groupOf = (f: FeatureSpec): string => f.group ?? f.name;

export function fitEncoder(schema: TableSchema, rows: readonly Row[]): Encoder {
  const features: FeatureEncoding[] = [];
  const columnNames: string[] = [];
  const columnFeature: number[] = [];
  schema.features.forEach((spec, index) => {
    if (spec.type === "categorical") {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const level = levelOf(row[spec.name]);
        if (level !== null) counts.set(level, (counts.get(level) ?? 0) + 1);
      }
      const levels = [...counts.entries()]
        .filter(([level, n]) => n >= MIN_LEVEL_COUNT && level !== UNKNOWN_LEVEL)
        .map(([level]) => level)
        .sort();
      levels.push(UNKNOWN_LEVEL);
      features.push({ name: spec.name, type: "categorical", group: groupOf(spec), levels, column: columnNames.length });
      for (const level of levels) {
        columnNames.push(`${spec.name}=${level}`);
        columnFeature.push(index);
      }
    } else {
      let sum = 0;
      let sumSq = 0;
      let n = 0;
      for (const row of rows) {
        const v = toNumber(row[spec.name]);
        if (v === null || Number.isNaN(v)) continue;
        sum += v;
        sumSq += v * v;
        n++;
      }
      const mean = n > 0 ? sum / n : 0;
      const sd = n > 1 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 1;
      const scale = spec.type === "binary" ? 1 : sd > 1e-9 ? sd : 1;
      features.push({
        name: spec.name,
        type: spec.type,
        group: groupOf(spec),
        mean,
        scale,
        column: columnNames.length,
        flagColumn: columnNames.length + 1,
      });
      columnNames.push(spec.name, `${spec.name}_ontbreekt`);
      columnFeature.push(index, index);
    }
  });
  const partial: Encoder = { features, width: columnNames.length, columnNames, columnFeature, baseline: [] };
  const x = encodeRows(partial, rows);
  const baseline = new Array<number>(partial.width).fill(0);
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < partial.width; c++) baseline[c] = (baseline[c] ?? 0) + (x[r * partial.width + c] ?? 0);
  }
  return { ...partial, baseline: baseline.map((v) => (rows.length ? v / rows.length : 0)) };
}

function levelOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === "" ? null : text;
}

/** Encodes rows into a row-major Float32Array of `rows.length × encoder.width`. Never throws on values. */
export function encodeRows(encoder: Encoder, rows: readonly Row[]): Float32Array {
  const out = new Float32Array(rows.length * encoder.width);
  rows.forEach((row, r) => {
    encodeInto(encoder, row, out, r * encoder.width);
  });
  return out;
}

function encodeInto(encoder: Encoder, row: Row, out: Float32Array, offset: number): void {
  for (const f of encoder.features) {
    if (f.type === "categorical") {
      const level = levelOf(row[f.name]);
      let idx = level === null ? -1 : f.levels.indexOf(level);
      if (idx < 0) idx = f.levels.length - 1;
      out[offset + f.column + idx] = 1;
    } else {
      const v = toNumber(row[f.name]);
      if (v === null || Number.isNaN(v)) {
        out[offset + f.column] = f.type === "binary" ? f.mean : 0;
        out[offset + f.flagColumn] = 1;
      } else {
        out[offset + f.column] = f.type === "binary" ? v : (v - f.mean) / f.scale;
      }
    }
  }
}

/**
 * Checks one client (e.g. from the app's form or a JSON file) against the schema's features:
 * every feature present; numeric values numbers (null = missing, imputed); binary values 0/1.
 * Unknown categorical levels are allowed (they map to "unknown"). Throws SchemaError naming the field.
 */
export function validateClient(schema: TableSchema, client: Record<string, unknown>): Row {
  if (typeof client !== "object" || client === null || Array.isArray(client)) {
    throw new SchemaError("client: expected an object with one value per feature");
  }
  const row: Row = {};
  for (const f of schema.features) {
    if (!(f.name in client)) throw new SchemaError(`client: missing feature "${f.name}"`);
    const value = client[f.name];
    if (f.type === "categorical") {
      if (value !== null && typeof value !== "string" && typeof value !== "number") {
        throw new SchemaError(`client: feature "${f.name}" must be a text value`);
      }
    } else {
      const v = toNumber(value);
      if (v !== null && Number.isNaN(v)) throw new SchemaError(`client: feature "${f.name}" = "${String(value)}" is not a number`);
      if (f.type === "binary" && v !== null && v !== 0 && v !== 1) {
        throw new SchemaError(`client: feature "${f.name}" = ${String(value)} must be 0 or 1`);
      }
    }
    row[f.name] = value;
  }
  return row;
}
