import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { SchemaError } from "../errors.js";
import { type TableSchema, TableSchemaSchema } from "../table-schema.js";
import { toNumber } from "./value.js";

export { toNumber };

/** One table row as read from CSV (strings) or given by a caller (strings, numbers, null). */
export type Row = Record<string, unknown>;
export type Table = { columns: string[]; rows: Row[] };

/** Minimum number of rows per arm in a training table. */
export const MIN_ROWS_PER_ARM = 30;

/** Parses and validates a schema object; the error names the file and the failing path. */
export function parseSchema(value: unknown, where = "schema"): TableSchema {
  const parsed = TableSchemaSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join(".") : "(root)";
    throw new SchemaError(`${where}: invalid schema at ${path}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

export async function readSchemaFile(path: string): Promise<TableSchema> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SchemaError(`${path}: cannot read schema file`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`${path}: schema is not valid JSON`, { cause: error });
  }
  return parseSchema(json, path);
}

export async function readTableCsv(path: string): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SchemaError(`${path}: cannot read table file`, { cause: error });
  }
  return parseTableCsv(text, path);
}

export function parseTableCsv(text: string, where = "table"): Table {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (error) {
    throw new SchemaError(`${where}: not a valid CSV file: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const header = records[0];
  if (!header || header.length === 0 || (header.length === 1 && header[0] === "")) {
    throw new SchemaError(`${where}: the table is empty (no header row)`);
  }
  const rows: Row[] = new Array(records.length - 1);
  for (let r = 1; r < records.length; r++) {
    const record = records[r] ?? [];
    const row: Row = {};
    for (let c = 0; c < header.length; c++) row[header[c] ?? ""] = record[c];
    rows[r - 1] = row;
  }
  return { columns: header, rows };
}

export function isMissing(value: unknown): boolean {
  return toNumber(value) === null && (value === null || value === undefined || String(value).trim() === "");
}

export type TableUse = "train" | "predict";

/**
 * Checks a table against its schema before any work: missing columns, unknown arms,
 * arms with too few rows, non-0/1 binary outcomes, an empty table.
 * Every error names what is wrong and where (file, column, CSV line).
 */
export function validateTable(schema: TableSchema, table: Table, options: { use: TableUse; where?: string }): void {
  const where = options.where ?? "table";
  const columns = new Set(table.columns);
  const required = [
    ...(schema.id ? [schema.id] : []),
    ...schema.features.map((f) => f.name),
    ...(options.use === "train" ? [schema.treatment.column, schema.outcome.column] : []),
  ];
  for (const column of required) {
    if (!columns.has(column)) throw new SchemaError(`${where}: missing column "${column}" required by the schema`);
  }
  if (table.rows.length === 0) throw new SchemaError(`${where}: the table is empty (no data rows)`);
  if (options.use !== "train") return;

  const arms = new Set(schema.treatment.arms);
  const counts = new Map<string, number>();
  const treatment = schema.treatment.column;
  const outcome = schema.outcome.column;
  table.rows.forEach((row, i) => {
    const line = i + 2;
    const arm = String(row[treatment] ?? "").trim();
    if (!arms.has(arm)) {
      throw new SchemaError(
        `${where} line ${line}: ${treatment} = "${arm}" is not an arm of the schema (arms: ${schema.treatment.arms.join(", ")})`,
      );
    }
    counts.set(arm, (counts.get(arm) ?? 0) + 1);
    const y = toNumber(row[outcome]);
    if (schema.outcome.type === "binary") {
      if (y !== 0 && y !== 1) {
        throw new SchemaError(`${where} line ${line}: ${outcome} = "${String(row[outcome] ?? "")}" is not 0 or 1 (binary outcome)`);
      }
    } else if (y === null || Number.isNaN(y)) {
      throw new SchemaError(`${where} line ${line}: ${outcome} = "${String(row[outcome] ?? "")}" is not a number (continuous outcome)`);
    }
  });
  for (const arm of schema.treatment.arms) {
    const n = counts.get(arm) ?? 0;
    if (n < MIN_ROWS_PER_ARM) {
      throw new SchemaError(`${where}: arm "${arm}" has ${n} rows; at least ${MIN_ROWS_PER_ARM} are needed to train`);
    }
  }
}
