import type { z } from "zod";
import { readCsvBatches } from "../csv/index.js";
import { SchemaError } from "../errors.js";
import type { RowHandler } from "./handlers.js";
import type { Quarantine } from "./quarantine.js";
import type { FileReport } from "./report.js";
import { CONVERT, type QuarantineReason, ROW_SCHEMAS, type RowFile, reasonOf, UNLINKED_REASONS } from "./rows.js";
import type { SourcePlan } from "./source.js";
import type { ExtraCheck } from "./table-spec.js";

/**
 * Streams one source file through its row schema and its handler. Every row read ends up
 * counted in the file's report: linked, or quarantined with a reason (never dropped silently).
 */
export async function readSource(options: {
  file: RowFile;
  path: string;
  plan: SourcePlan;
  /** Our columns of the file, in our order (its extra features last). */
  columns: readonly string[];
  handler: RowHandler;
  /** The file's row schema and converter (default: ours, for the default catalogue). */
  schema?: z.ZodType<string[]>;
  convert?: (fields: readonly string[]) => (number | string | null)[];
  /** Checks of the extra features the file carries, in their column order (after our columns). */
  extras?: readonly ((value: string) => ExtraCheck)[];
  quarantine: Quarantine;
  report: FileReport;
  onBytes?: (bytesRead: number) => void;
}): Promise<void> {
  const { file, plan, columns, handler, quarantine, report } = options;
  const schema = options.schema ?? (ROW_SCHEMAS[file] as unknown as z.ZodType<string[]>);
  const convert = options.convert ?? CONVERT[file];
  const extraChecks = options.extras ?? [];
  const base = columns.length - extraChecks.length;
  const order = plan.identity ? null : plan.order;
  const { normalise } = plan;
  const { delimiter, encoding } = plan.format;
  // A row that cannot be split into the header's columns may hold any column in any cell.
  const maskAll = plan.unknownColumns.length > 0;
  let headerChecked = false;
  const reading = { chunkSize: 1 << 17, delimiter, encoding, windows1252Fallback: plan.encodingFallback };
  for await (const batch of readCsvBatches(options.path, reading)) {
    // The sample was ASCII and the file turned out to be Windows-1252 further on: report what was read.
    if (batch.encoding !== report.format?.encoding && report.format) report.format.encoding = batch.encoding;
    if (!headerChecked) {
      // The plan read the header from a sample; the stream must see the same one.
      if (batch.header.length <= Math.max(...plan.order)) throw new SchemaError(`${plan.format.path}: the header changed while reading`);
      headerChecked = true;
    }
    const headerWidth = batch.header.length;
    for (const row of batch.rows) {
      report.rowsRead += 1;
      let fields = row.fields;
      if (row.malformed || fields.length !== headerWidth) {
        await quarantine.add(file, { line: row.line, reason: row.malformed ? "malformed_line" : "field_count", field: "", fields, maskAll });
        continue;
      }
      if (order !== null) fields = order.map((i) => (i < 0 ? "" : (fields[i] as string)));
      // Quarantine and duplicate checks see the row as delivered; validation sees it in our formats.
      const values = normalise === null ? fields : normalise(fields);
      const parsed = schema.safeParse(extraChecks.length === 0 ? values : values.slice(0, base));
      if (!parsed.success) {
        const { reason, column } = reasonOf(parsed.error);
        await quarantine.add(file, { line: row.line, reason, field: columns[column] ?? "", fields });
        continue;
      }
      let extras: string[] | undefined;
      if (extraChecks.length > 0) {
        const checked = extraChecks.map((check, j) => check(values[base + j] as string));
        const bad = checked.findIndex((c) => "reason" in c);
        if (bad >= 0) {
          const { reason } = checked[bad] as { reason: QuarantineReason };
          await quarantine.add(file, { line: row.line, reason, field: columns[base + bad] ?? "", fields });
          continue;
        }
        extras = checked.map((c) => (c as { value: string }).value);
      }
      const outcome = handler(convert(values), fields, row.line, extras);
      if (outcome === "inconsistent_dates") {
        await quarantine.add(file, { line: row.line, reason: outcome, field: "einddatum", fields });
        continue;
      }
      report.valid += 1;
      if (outcome !== null) {
        if (UNLINKED_REASONS.includes(outcome)) report.unlinked += 1;
        await quarantine.add(file, { line: row.line, reason: outcome, field: "", fields });
        continue;
      }
      report.linked += 1;
    }
    await quarantine.drain();
    options.onBytes?.(batch.bytesRead);
  }
}
