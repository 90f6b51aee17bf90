import { join } from "node:path";
import { CsvWriter } from "../csv/index.js";
import type { FileReport } from "./report.js";
import type { QuarantineReason, RowFile } from "./rows.js";

const NINE_DIGITS = /^\d{9}$/;
const HAS_DIGIT = /\d/;
const BSN_LIKE = /(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])/g;

export type QuarantinedRow = {
  line: number;
  reason: QuarantineReason;
  /** Our name of the offending column, or "" for the row as a whole. */
  field: string;
  /** The row as delivered: in our column order, or as read when it could not be split into the header's columns. */
  fields: readonly string[];
  /**
   * True when the row could not be split into the header's columns while the file has columns we
   * do not read (a name, an address): any cell may then hold one, so every cell is masked.
   */
  maskAll?: boolean;
};

/**
 * The quarantine: one CSV per source file of every row that was not used, with its line and
 * reason. Rows keep their content except direct identifiers: every standalone run of 9 digits
 * (a bsn, also one that fails the elfproef) becomes its pseudonym; in personen.csv every value
 * with a digit (birth date, postcode) is masked. Written beside the table, removed on failure.
 */
export class Quarantine {
  private readonly writers = new Map<RowFile, CsvWriter>();

  constructor(
    private readonly options: {
      dir: string;
      columns: Record<RowFile, readonly string[]>;
      pseudonym: (bsn: string) => string;
      reports: Record<RowFile, FileReport>;
    },
  ) {}

  async add(file: RowFile, row: QuarantinedRow): Promise<void> {
    const width = this.options.columns[file].length;
    const masked = this.mask(file, row.fields, row.maskAll ?? false);
    const cells = masked.length > width ? [...masked.slice(0, width - 1), masked.slice(width - 1).join("|")] : masked;
    while (cells.length < width) cells.push("");
    const writer = await this.writer(file);
    writer.write([row.line, row.reason, row.field, ...cells]);
    const counts = (this.options.reports[file] as FileReport).quarantined;
    counts[row.reason] = (counts[row.reason] ?? 0) + 1;
  }

  async drain(): Promise<void> {
    for (const w of this.writers.values()) await w.drain();
  }

  async close(): Promise<void> {
    for (const w of this.writers.values()) await w.close();
    this.writers.clear();
  }

  async abort(): Promise<void> {
    for (const w of this.writers.values()) await w.abort();
    this.writers.clear();
  }

  private mask(file: RowFile, fields: readonly string[], maskAll: boolean): string[] {
    const { pseudonym } = this.options;
    return fields.map((v) => {
      if (NINE_DIGITS.test(v)) return pseudonym(v);
      const masked = v.replace(BSN_LIKE, (m) => pseudonym(m));
      if (maskAll && masked !== "") return "***";
      if (file === "personen" && HAS_DIGIT.test(v)) return "***";
      return masked;
    });
  }

  private async writer(file: RowFile): Promise<CsvWriter> {
    let w = this.writers.get(file);
    if (!w) {
      w = await CsvWriter.open(join(this.options.dir, `${file}.csv`), ["line", "reason", "field", ...this.options.columns[file]]);
      this.writers.set(file, w);
    }
    return w;
  }
}
