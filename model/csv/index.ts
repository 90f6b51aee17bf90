import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { decodeWindows1252, encodeWindows1252 } from "./windows-1252.js";

/**
 * Small streaming CSV helpers: one delimiter per file (`,` by default; `;`, tab and `|` as Dutch
 * spreadsheet and case-management exports write them), `"` quoting, LF or CRLF, UTF-8 or Windows-1252.
 * One physical line is one record: a quoted field may hold delimiters and quotes but not a line break,
 * so a single broken line (an unterminated quote) can never swallow the valid lines after it.
 */

export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];
/** Text encodings a delivery may use; Windows-1252 is what Dutch Excel and older case-management systems write. */
export const CSV_ENCODINGS = ["utf-8", "windows-1252"] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export type CsvRow = {
  /** 1-based physical line number (the header is line 1). */
  line: number;
  /** The fields; for a malformed line, the whole line as one field. */
  fields: string[];
  /** True when the line is not valid CSV (an unterminated quoted field). */
  malformed?: true;
};

export type CsvBatch = {
  header: string[];
  rows: CsvRow[];
  bytesRead: number;
  /** The encoding the file is being read in (it changes only with `windows1252Fallback`). */
  encoding: CsvEncoding;
};

/** Splits one line into fields; null when a quoted field is not terminated. */
export function parseCsvRecord(text: string, delimiter: CsvDelimiter = ","): string[] | null {
  if (!text.includes('"')) return text.split(delimiter);
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
    if (ch === delimiter) {
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

const hasNonAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
};

export type CsvReadOptions = {
  chunkSize?: number;
  delimiter?: CsvDelimiter;
  encoding?: CsvEncoding;
  /**
   * For a file read as UTF-8 only because its start was plain ASCII: when bytes that are not
   * UTF-8 turn up before any other non-ASCII byte, the rest is read as Windows-1252 (nothing
   * read so far changes, as ASCII reads alike in both).
   */
  windows1252Fallback?: boolean;
};

/**
 * Reads a CSV file in batches of records (one batch per chunk read), never the whole file.
 * The first non-blank line is the header. Blank lines are skipped. A UTF-8 byte order mark is dropped.
 * Bytes are decoded chunk by chunk with a streaming decoder, so a character split across chunks is kept whole.
 */
export async function* readCsvBatches(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvBatch> {
  const delimiter = options.delimiter ?? ",";
  // UTF-8 needs a streaming decoder (a character may be split across chunks); Windows-1252 is one byte per character.
  let encoding: CsvEncoding = options.encoding ?? "utf-8";
  let watching = encoding === "utf-8" && options.windows1252Fallback === true;
  let utf8 = new TextDecoder("utf-8", { fatal: watching });
  /** While watching: the bytes the UTF-8 decoder holds back (the start of a character cut by the chunk's end). */
  let pending: Uint8Array = new Uint8Array(0);
  const decode = (bytes?: Uint8Array): string => {
    if (encoding === "windows-1252") return bytes ? decodeWindows1252(bytes) : "";
    try {
      if (!bytes) return utf8.decode();
      const text = utf8.decode(bytes, { stream: true });
      if (watching) {
        if (hasNonAscii(text)) watching = false; // real UTF-8 seen: it stays UTF-8
        // All text so far is ASCII, so any byte >= 0x80 is one the decoder still holds, at the chunk's end.
        else {
          const at = bytes.findIndex((b) => b >= 0x80);
          pending = at === -1 ? new Uint8Array(0) : bytes.subarray(at);
        }
      }
      return text;
    } catch {
      if (watching) {
        // Only ASCII came before: nothing read so far changes; the held-back bytes are read again.
        watching = false;
        encoding = "windows-1252";
        return decodeWindows1252(Buffer.concat([pending, bytes ?? new Uint8Array(0)]));
      }
      // Invalid after valid UTF-8: read on with replacement characters (a row with one in a
      // checked column fails validation and is quarantined with its reason).
      utf8 = new TextDecoder("utf-8");
      return bytes ? utf8.decode(bytes, { stream: true }) : "\uFFFD";
    }
  };
  const stream = createReadStream(path, { highWaterMark: options.chunkSize ?? 1 << 20 });
  let header: string[] | null = null;
  let carry = "";
  let lineNo = 0;
  let bytesRead = 0;

  const take = (rawLine: string, rows: CsvRow[]): void => {
    lineNo += 1;
    let text = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text === "") return;
    const fields = parseCsvRecord(text, delimiter);
    if (header === null) {
      header = fields ?? [text];
      return;
    }
    rows.push(fields === null ? { line: lineNo, fields: [text], malformed: true } : { line: lineNo, fields });
  };

  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    bytesRead += bytes.length;
    const text = decode(bytes);
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
    if (header !== null) yield { header, rows, bytesRead, encoding };
  }
  const rows: CsvRow[] = [];
  carry += decode();
  if (carry !== "") take(carry, rows);
  yield { header: header ?? [], rows, bytesRead, encoding };
}

/** Reads only the header of a CSV file. */
export async function readCsvHeader(path: string, options: Omit<CsvReadOptions, "chunkSize"> = {}): Promise<string[]> {
  for await (const batch of readCsvBatches(path, { ...options, chunkSize: 1 << 16 })) {
    if (batch.header.length > 0) return batch.header;
  }
  return [];
}

const NEEDS_QUOTE = /["\r\n]/;

export function formatCsvField(value: string | number | null | undefined, delimiter: CsvDelimiter = ","): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  return NEEDS_QUOTE.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsvRecord(fields: readonly (string | number | null | undefined)[], delimiter: CsvDelimiter = ","): string {
  let out = "";
  for (let i = 0; i < fields.length; i += 1) {
    if (i > 0) out += delimiter;
    out += formatCsvField(fields[i], delimiter);
  }
  return out;
}

/** How a written CSV looks on disk; the default is our own layout (comma, LF, UTF-8 without BOM). */
export type CsvWriteOptions = { delimiter?: CsvDelimiter; lineEnding?: "\n" | "\r\n"; encoding?: CsvEncoding };

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
  private readonly delimiter: CsvDelimiter;
  private readonly eol: string;
  private readonly encoding: CsvEncoding;

  private constructor(path: string, options: CsvWriteOptions) {
    this.path = path;
    this.tmpPath = `${path}.partial`;
    this.delimiter = options.delimiter ?? ",";
    this.eol = options.lineEnding ?? "\n";
    this.encoding = options.encoding ?? "utf-8";
  }

  static async open(path: string, header: readonly string[], options: CsvWriteOptions = {}): Promise<CsvWriter> {
    await mkdir(dirname(path), { recursive: true });
    const writer = new CsvWriter(path, options);
    writer.stream = createWriteStream(writer.tmpPath);
    await new Promise<void>((resolve, reject) => {
      writer.stream?.once("open", () => resolve());
      writer.stream?.once("error", reject);
    });
    writer.buffer = `${formatCsvRecord(header, writer.delimiter)}${writer.eol}`;
    return writer;
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends one record. Call `await writer.drain()` now and then (e.g. per batch) for back-pressure. */
  write(fields: readonly (string | number | null | undefined)[]): void {
    this.buffer += `${formatCsvRecord(fields, this.delimiter)}${this.eol}`;
    this.rowCount += 1;
  }

  /** Appends an already formatted line (without newline). */
  writeLine(line: string): void {
    this.buffer += `${line}${this.eol}`;
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
    const data = this.encoding === "windows-1252" ? encodeWindows1252(this.buffer) : Buffer.from(this.buffer, "utf8");
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
