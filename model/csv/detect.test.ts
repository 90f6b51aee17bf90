import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectDelimiter, detectEncoding, detectLineEnding, sniffCsv } from "./detect.js";
import { CSV_DELIMITERS, type CsvDelimiter, formatCsvRecord, readCsvBatches } from "./index.js";
import { decodeWindows1252, encodeWindows1252 } from "./windows-1252.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-detect-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

describe("detectEncoding", () => {
  it("tells UTF-8, UTF-8 with a byte order mark and Windows-1252 apart", () => {
    expect(detectEncoding(utf8("naam\nZoë\n"))).toEqual({ encoding: "utf-8", bom: false });
    expect(detectEncoding(utf8("\uFEFFnaam\nZoë\n"))).toEqual({ encoding: "utf-8", bom: true });
    expect(detectEncoding(new Uint8Array(encodeWindows1252("naam\nZoë\n")))).toEqual({ encoding: "windows-1252", bom: false });
    // ASCII reads alike in both: reported as UTF-8.
    expect(detectEncoding(utf8("bsn,jaar\n1,2\n"))).toEqual({ encoding: "utf-8", bom: false });
  });

  it("is not fooled by a UTF-8 character cut off at the end of the sample", () => {
    const bytes = utf8("a;b\nZoë;Noël");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), { wholeFile: false })).toEqual({ encoding: "utf-8", bom: false });
  });

  it("detects Windows-1252 for any text with a character outside ASCII that the code page holds", () => {
    const high = fc.constantFrom(..."éëïöüçàèÉËÏ€ßñ’–");
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), high, fc.string({ maxLength: 20 }), (a, h, b) => {
        const text = `${a}${h}${b}`;
        expect(detectEncoding(new Uint8Array(encodeWindows1252(text))).encoding).toBe("windows-1252");
        expect(detectEncoding(utf8(text)).encoding).toBe("utf-8");
      }),
    );
  });
});

describe("encodeWindows1252", () => {
  it("round-trips every byte of the code page, with the characters of 0x80–0x9F right", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b));
    const text = decodeWindows1252(all);
    expect([...encodeWindows1252(text)]).toEqual([...all]);
    expect(decodeWindows1252(Uint8Array.from([0x80, 0x91, 0x92, 0x96, 0x8a, 0xe9, 0xeb, 0xef]))).toBe("€‘’–Šéëï");
    expect(encodeWindows1252("ğ")[0]).toBe(0x3f); // outside the code page: "?"
  });
});

describe("detectDelimiter and detectLineEnding", () => {
  it("find each delimiter in a hand-made table", () => {
    for (const d of CSV_DELIMITERS) {
      const lines = [["bsn", "naam", "jaar"], ["123456782", "Zoë", "2021"], ["234567891", "Noël, Kees", "2022"]].map((r) => formatCsvRecord(r, d));
      expect(detectDelimiter(lines)).toBe(d);
    }
    expect(detectDelimiter(["bsn", "123456782"])).toBe(",");
    expect(detectLineEnding("a;b\r\n1;2\r\n")).toBe("crlf");
    expect(detectLineEnding("a;b\n1;2\n")).toBe("lf");
  });

  it("finds the delimiter of any table of at least two columns, whatever its cells hold", () => {
    const cell = fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s));
    const name = fc.stringMatching(/^[a-z_]{1,8}$/);
    fc.assert(
      fc.property(
        fc.constantFrom<CsvDelimiter>(...CSV_DELIMITERS),
        fc.integer({ min: 2, max: 6 }).chain((w) =>
          fc.tuple(fc.array(name, { minLength: w, maxLength: w }), fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 10 })),
        ),
        (d, [header, rows]) => {
          const lines = [header, ...rows].map((r) => formatCsvRecord(r, d));
          expect(detectDelimiter(lines)).toBe(d);
        },
      ),
    );
  });
});

describe("reading a Dutch export", () => {
  it("sniffs and reads ';', CRLF and Windows-1252 across any chunk boundary", async () => {
    const path = join(dir, "export.csv");
    await writeFile(path, encodeWindows1252("BSN;Naam;Bedrag\r\n123456782;Zoë Çelik;12,50\r\n234567891;\"Noël; jr\";3,0\r\n"));
    const sniffed = await sniffCsv(path);
    expect(sniffed).toMatchObject({ encoding: "windows-1252", bom: false, lineEnding: "crlf", delimiter: ";" });
    expect(sniffed.lines[1]).toBe("123456782;Zoë Çelik;12,50");
    for (const chunkSize of [1, 2, 5, 1 << 16]) {
      const rows: string[][] = [];
      for await (const batch of readCsvBatches(path, { chunkSize, delimiter: ";", encoding: "windows-1252" })) {
        expect(batch.header).toEqual(["BSN", "Naam", "Bedrag"]);
        rows.push(...batch.rows.map((r) => r.fields));
      }
      expect(rows).toEqual([
        ["123456782", "Zoë Çelik", "12,50"],
        ["234567891", "Noël; jr", "3,0"],
      ]);
    }
  });

  it("reads back any table written in any delimiter and encoding, in any chunk size (UTF-8 characters split across chunks)", async () => {
    const cell = fc.string({ maxLength: 6, unit: fc.constantFrom(..."ab;,|\t\"éëï€ 1") });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<CsvDelimiter>(...CSV_DELIMITERS),
        fc.constantFrom("utf-8" as const, "windows-1252" as const),
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        async (d, encoding, rows, chunkSize) => {
          const text = [["x", "y", "z"], ...rows].map((r) => `${formatCsvRecord(r, d)}\r\n`).join("");
          const path = join(dir, `p${run++}.csv`);
          await writeFile(path, encoding === "utf-8" ? Buffer.from(text, "utf8") : encodeWindows1252(text));
          const read: string[][] = [];
          for await (const batch of readCsvBatches(path, { chunkSize, delimiter: d, encoding })) read.push(...batch.rows.map((r) => r.fields));
          expect(read).toEqual(rows);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("a file whose start is plain ASCII", () => {
  it("is read as Windows-1252 from the first byte that is not UTF-8, at any chunk boundary, and stays UTF-8 when it is", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom("utf-8" as const, "windows-1252" as const),
        fc.integer({ min: 1, max: 50 }),
        async (asciiRows, encoding, chunkSize) => {
          const lines = ["naam;plaats", ...Array.from({ length: asciiRows }, (_, i) => `Jan ${i};Tiel`), "Zoë;Súdwest-Fryslân", "Noël €;Curaçao"];
          const text = `${lines.join("\r\n")}\r\n`;
          const path = join(dir, `late-${run++}.csv`);
          await writeFile(path, encoding === "utf-8" ? Buffer.from(text, "utf8") : encodeWindows1252(text));
          const read: string[] = [];
          let last = "";
          for await (const batch of readCsvBatches(path, { chunkSize, delimiter: ";", windows1252Fallback: true })) {
            read.push(...batch.rows.map((r) => r.fields.join(";")));
            last = batch.encoding;
          }
          expect(read).toEqual(lines.slice(1));
          expect(last).toBe(encoding);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("without the fallback, stays UTF-8 and shows replacement characters (no silent change of encoding)", async () => {
    const path = join(dir, "late-no-fallback.csv");
    await writeFile(path, encodeWindows1252("a;b\nx;y\nZoë;z\n"));
    const rows: string[][] = [];
    for await (const batch of readCsvBatches(path, { chunkSize: 4, delimiter: ";" })) rows.push(...batch.rows.map((r) => r.fields));
    expect(rows[1]).toEqual(["Zo\uFFFD", "z"]);
  });
});
