import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Small streaming CSV helpers: comma separated, `"` quoting, LF or CRLF.
 * One physical line is one record: a quoted field may hold commas and quotes but not a line break,
 * so a single broken line (an unterminated quote) can never swallow the valid lines after it.
 */

export type CsvRow = {
  /** 1-based physical line number (the header is line 1). */
  line: number;
  /** The fields; for a malformed line, the whole line as one field. */
  fields: string[];
  /** True when the line is not valid CSV (an unterminated quoted field). */
  malformed?: true;
};

export type CsvBatch = { header: string[]; rows: CsvRow[]; bytesRead: number };

/** Splits one line into fields; null when a quoted field is not terminated. */
export function parseCsvRecord(text: string): string[] | null {
  if (!text.includes('"')) return text.split(",");
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let atFieldStart = true;
  while (i < text.length) {
    const ch = text[i] as string;
    if (atFieldStart && ch === '"') {
      // Quoted field: up to the closing quote ("" is an escaped quote).
      i += 1;
      let closed = false;
      while (i < text.length) {
        const c = text[i] as string;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        field += c;
        i += 1;
      }
      if (!closed) return null;
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (ch === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
    } else {
      field += ch;
    }
    i += 1;
  }
  fields.push(field);
  return fields;
}

/**
 * Reads a CSV file in batches of records (one batch per chunk read), never the whole file.
 * The first non-blank line is the header. Blank lines are skipped.
 */
export async function* readCsvBatches(path: string, options: { chunkSize?: number } = {}): AsyncGenerator<CsvBatch> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: options.chunkSize ?? 1 << 20 });
  let header: string[] | null = null;
  let carry = "";
  let lineNo = 0;
  let bytesRead = 0;

  const take = (rawLine: string, rows: CsvRow[]): void => {
    lineNo += 1;
    let text = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text === "") return;
    const fields = parseCsvRecord(text);
    if (header === null) {
      header = fields ?? [text];
      return;
    }
    rows.push(fields === null ? { line: lineNo, fields: [text], malformed: true } : { line: lineNo, fields });
  };

  for await (const chunk of stream) {
    const text = chunk as string;
    bytesRead += Buffer.byteLength(text, "utf8");
    const rows: CsvRow[] = [];
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl === -1) {
      carry += text;
      continue;
    }
    if (carry !== "") {
      take(carry + text.slice(0, nl), rows);
      carry = "";
      start = nl + 1;
      nl = text.indexOf("\n", start);
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
    await this.finish();
    await this.commit();
  }

  /** Flushes and closes the partial file without renaming it (call `commit()` when everything else is done). */
  async finish(): Promise<void> {
    await this.flush();
    await this.end();
  }

  /** Renames the finished partial file to its final name. */
  async commit(): Promise<void> {
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
