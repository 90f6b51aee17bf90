import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Small streaming CSV helpers (RFC 4180: comma separated, `"` quoting, CRLF or LF).
 * Fast path for lines without quotes; a quoted field may span lines.
 */

export type CsvRow = {
  /** 1-based physical line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
};

export type CsvBatch = { header: string[]; rows: CsvRow[]; bytesRead: number };

/** Splits one complete record (that may contain quotes and embedded newlines) into fields. */
export function parseCsvRecord(text: string): string[] {
  if (!text.includes('"')) return text.split(",");
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
    i += 1;
  }
  fields.push(field);
  return fields;
}

function countQuotes(text: string): number {
  let n = 0;
  let at = text.indexOf('"');
  while (at !== -1) {
    n += 1;
    at = text.indexOf('"', at + 1);
  }
  return n;
}

/**
 * Reads a CSV file in batches of records (one batch per chunk read), never the whole file.
 * The first record is the header. Blank lines are skipped.
 */
export async function* readCsvBatches(path: string, options: { chunkSize?: number } = {}): AsyncGenerator<CsvBatch> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: options.chunkSize ?? 1 << 20 });
  let header: string[] | null = null;
  let carry = "";
  let pending = ""; // an open quoted record spanning lines
  let pendingLine = 0;
  let pendingQuotes = 0;
  let lineNo = 0;
  let bytesRead = 0;
  let first = true;

  const take = (rawLine: string, rows: CsvRow[]): void => {
    lineNo += 1;
    const text = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (pending !== "" || pendingQuotes % 2 === 1) {
      pending += `\n${text}`;
      pendingQuotes += countQuotes(text);
      if (pendingQuotes % 2 === 1) return;
      const record = pending;
      pending = "";
      pendingQuotes = 0;
      emit(record, pendingLine, rows);
      return;
    }
    if (text.includes('"')) {
      const q = countQuotes(text);
      if (q % 2 === 1) {
        pending = text;
        pendingQuotes = q;
        pendingLine = lineNo;
        return;
      }
    }
    if (text === "") return;
    emit(text, lineNo, rows);
  };
  const emit = (record: string, line: number, rows: CsvRow[]): void => {
    const fields = parseCsvRecord(record);
    if (header === null) {
      header = fields;
      return;
    }
    rows.push({ line, fields });
  };

  for await (const chunk of stream) {
    let text = chunk as string;
    bytesRead += Buffer.byteLength(text, "utf8");
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const rows: CsvRow[] = [];
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl !== -1 && carry !== "") {
      take(carry + text.slice(0, nl), rows);
      carry = "";
      start = nl + 1;
      nl = text.indexOf("\n", start);
    } else if (nl === -1) {
      carry += text;
      continue;
    }
    while (nl !== -1) {
      take(text.slice(start, nl), rows);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    carry = text.slice(start);
    if (header !== null) yield { header, rows, bytesRead };
  }
  const rows: CsvRow[] = [];
  if (carry !== "") take(carry, rows);
  if (pending !== "") {
    // Unterminated quote at end of file: hand the record over as it is; the caller rejects it.
    const record = pending;
    pending = "";
    emit(record, pendingLine, rows);
  }
  yield { header: header ?? [], rows, bytesRead };
}

/** Reads only the header of a CSV file. */
export async function readCsvHeader(path: string): Promise<string[]> {
  for await (const batch of readCsvBatches(path, { chunkSize: 1 << 16 })) {
    if (batch.header.length > 0) return batch.header;
  }
  return [];
}

const NEEDS_QUOTE = /[",\r\n]/;

export function formatCsvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  return NEEDS_QUOTE.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsvRecord(fields: readonly (string | number | null | undefined)[]): string {
  let out = "";
  for (let i = 0; i < fields.length; i += 1) {
    if (i > 0) out += ",";
    out += formatCsvField(fields[i]);
  }
  return out;
}

/**
 * Buffered, back-pressure aware CSV writer. Writes to `<path>.partial` and renames to `path`
 * on `close()`, so an interrupted run never leaves a complete-looking file; `abort()` removes it.
 */
export class CsvWriter {
  readonly path: string;
  private readonly tmpPath: string;
  private stream: WriteStream | null = null;
  private buffer = "";
  private rowCount = 0;

  private constructor(path: string) {
    this.path = path;
    this.tmpPath = `${path}.partial`;
  }

  static async open(path: string, header: readonly string[]): Promise<CsvWriter> {
    await mkdir(dirname(path), { recursive: true });
    const writer = new CsvWriter(path);
    writer.stream = createWriteStream(writer.tmpPath, { encoding: "utf8" });
    await new Promise<void>((resolve, reject) => {
      writer.stream?.once("open", () => resolve());
      writer.stream?.once("error", reject);
    });
    writer.buffer = `${formatCsvRecord(header)}\n`;
    return writer;
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends one record. Call `await writer.drain()` now and then (e.g. per batch) for back-pressure. */
  write(fields: readonly (string | number | null | undefined)[]): void {
    this.buffer += `${formatCsvRecord(fields)}\n`;
    this.rowCount += 1;
  }

  /** Appends an already formatted line (without newline). */
  writeLine(line: string): void {
    this.buffer += `${line}\n`;
    this.rowCount += 1;
  }

  /** Flushes the buffer when it is large and waits for the stream to drain. */
  async drain(threshold = 1 << 18): Promise<void> {
    if (this.buffer.length < threshold) return;
    await this.flush();
  }

  private async flush(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.buffer === "") return;
    const data = this.buffer;
    this.buffer = "";
    if (!stream.write(data)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          stream.off("error", onError);
          resolve();
        };
        const onError = (error: Error): void => {
          stream.off("drain", onDrain);
          reject(error);
        };
        stream.once("drain", onDrain);
        stream.once("error", onError);
      });
    }
  }

  /** Flushes, closes and renames the partial file to its final name. */
  async close(): Promise<void> {
    await this.flush();
    await this.end();
    await rename(this.tmpPath, this.path);
  }

  /** Closes and deletes the partial file. */
  async abort(): Promise<void> {
    this.buffer = "";
    await this.end().catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }

  private async end(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      stream.end(() => resolve());
    });
  }
}
