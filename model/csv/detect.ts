import { open } from "node:fs/promises";
import { CSV_DELIMITERS, type CsvDelimiter, type CsvEncoding, parseCsvRecord } from "./index.js";
import { decodeWindows1252 } from "./windows-1252.js";

/**
 * Sniffs how a CSV file is written from its first bytes: encoding (UTF-8 with or without byte
 * order mark, else Windows-1252), line ends and delimiter. Only a sample is read, so this is cheap
 * on any file size; the sample's complete lines are returned for callers that sniff column
 * contents too (date formats, decimal commas).
 */
export type CsvDialect = {
  encoding: CsvEncoding;
  /** True when the file starts with a UTF-8 byte order mark. */
  bom: boolean;
  lineEnding: "crlf" | "lf";
  delimiter: CsvDelimiter;
  /** True when the sample holds no byte >= 0x80, so its encoding was a guess (see readCsvBatches' windows1252Fallback). */
  ascii: boolean;
};

export const SAMPLE_BYTES = 1 << 16;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Reads the first `bytes` bytes of a file. */
export async function readSample(path: string, bytes = SAMPLE_BYTES): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Where a sample cut from a longer file ends without a UTF-8 sequence cut in half. */
function completeUtf8End(sample: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, sample.length); back += 1) {
    const b = sample[sample.length - back] as number;
    if (b < 0x80) break;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < length ? sample.length - back : sample.length;
    }
  }
  return sample.length;
}

/**
 * UTF-8 when the sample is valid UTF-8 (a character cut by the end of a sample of a longer file
 * does not count); otherwise Windows-1252, which can decode any byte. A sample without any byte
 * ≥ 0x80 is ASCII, which both read alike: reported as UTF-8.
 */
export function detectEncoding(sample: Uint8Array, options: { wholeFile?: boolean } = {}): { encoding: CsvEncoding; bom: boolean } {
  const bom = UTF8_BOM.every((b, i) => sample[i] === b);
  if (bom) return { encoding: "utf-8", bom };
  const end = options.wholeFile === false ? completeUtf8End(sample) : sample.length;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, end));
    return { encoding: "utf-8", bom };
  } catch {
    return { encoding: "windows-1252", bom };
  }
}

/** The complete lines of a decoded sample (the last, possibly cut-off, line is dropped unless the sample is the whole file). */
export function sampleLines(text: string, wholeFile: boolean): string[] {
  const lines = text.split("\n");
  if (!wholeFile && lines.length > 1) lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).filter((l) => l !== "");
}

/**
 * The delimiter that splits the header into most columns among those that split most sample rows
 * into the header's width. A header with a single column (no candidate splits it) keeps `,`.
 * Rows decide only between candidates that split the header, so a few broken rows cannot flip it.
 */
export function detectDelimiter(lines: readonly string[]): CsvDelimiter {
  const [header, ...rows] = lines.slice(0, 101);
  if (header === undefined) return ",";
  let best: { delimiter: CsvDelimiter; consistent: number; width: number } = { delimiter: ",", consistent: -1, width: 1 };
  for (const delimiter of CSV_DELIMITERS) {
    const width = parseCsvRecord(header, delimiter)?.length ?? 1;
    if (width < 2) continue;
    const consistent = rows.filter((r) => parseCsvRecord(r, delimiter)?.length === width).length;
    if (consistent > best.consistent || (consistent === best.consistent && width > best.width)) {
      best = { delimiter, consistent, width };
    }
  }
  return best.delimiter;
}

export function detectLineEnding(text: string): "crlf" | "lf" {
  const nl = text.indexOf("\n");
  return nl > 0 && text[nl - 1] === "\r" ? "crlf" : "lf";
}

/**
 * Sniffs a file's dialect; also returns the sample's complete lines, decoded. A given `encoding`
 * (from a delivery profile) is used instead of the detected one.
 */
export async function sniffCsv(path: string, options: { bytes?: number; encoding?: CsvEncoding } = {}): Promise<CsvDialect & { lines: string[] }> {
  const bytes = options.bytes ?? SAMPLE_BYTES;
  const sample = await readSample(path, bytes);
  const wholeFile = sample.length < bytes;
  const detected = detectEncoding(sample, { wholeFile });
  const bom = detected.bom;
  const encoding = options.encoding ?? detected.encoding;
  const text = encoding === "windows-1252" ? decodeWindows1252(sample) : new TextDecoder("utf-8").decode(sample);
  const lines = sampleLines(text, wholeFile);
  const ascii = !sample.some((b) => b >= 0x80);
  return { encoding, bom, lineEnding: detectLineEnding(text), delimiter: detectDelimiter(lines), ascii, lines };
}
