import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvWriter, formatCsvRecord, parseCsvRecord, readCsvBatches, readCsvHeader } from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-csv-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, chunkSize?: number) {
  const rows: { line: number; fields: string[]; malformed?: true }[] = [];
  let header: string[] = [];
  for await (const batch of readCsvBatches(path, { chunkSize })) {
    header = batch.header;
    rows.push(...batch.rows);
  }
  return { header, rows };
}

describe("parseCsvRecord", () => {
  it("splits plain and quoted fields", () => {
    expect(parseCsvRecord("a,b,,c")).toEqual(["a", "b", "", "c"]);
    expect(parseCsvRecord('"a,b","say ""hi""",c')).toEqual(["a,b", 'say "hi"', "c"]);
    expect(parseCsvRecord('ab"c,d')).toEqual(['ab"c', "d"]);
  });

  it("rejects an unterminated quoted field", () => {
    expect(parseCsvRecord('a,"bc')).toBeNull();
  });

  it("round-trips any fields without line breaks", () => {
    fc.assert(
      fc.property(fc.array(fc.string().filter((s) => !/[\r\n]/.test(s)), { minLength: 1, maxLength: 6 }), (fields) => {
        expect(parseCsvRecord(formatCsvRecord(fields))).toEqual(fields);
      }),
    );
  });
});

describe("readCsvBatches", () => {
  it("reads across chunk boundaries, with CRLF, a BOM, blank lines and a broken line", async () => {
    const path = join(dir, "a.csv");
    await writeFile(path, '\uFEFFx,y\r\n1,2\r\n\r\n"3,3",4\r\n5,"6\r\n7,8');
    for (const chunkSize of [1, 3, 7, 1 << 16]) {
      const { header, rows } = await readAll(path, chunkSize);
      expect(header).toEqual(["x", "y"]);
      expect(rows).toEqual([
        { line: 2, fields: ["1", "2"] },
        { line: 4, fields: ["3,3", "4"] },
        { line: 5, fields: ['5,"6'], malformed: true },
        { line: 6, fields: ["7", "8"] },
      ]);
    }
    expect(await readCsvHeader(path)).toEqual(["x", "y"]);
  });
});

describe("CsvWriter", () => {
  it("writes to a partial file and renames on close; abort leaves nothing", async () => {
    const path = join(dir, "out", "w.csv");
    const w = await CsvWriter.open(path, ["a", "b"]);
    w.write(["x,y", 1]);
    w.write([null, 2.5]);
    await w.drain(0);
    expect(await readdir(join(dir, "out"))).toEqual(["w.csv.partial"]);
    await w.close();
    expect(await readFile(path, "utf8")).toBe('a,b\n"x,y",1\n,2.5\n');
    const aborted = await CsvWriter.open(join(dir, "out", "v.csv"), ["a"]);
    aborted.write(["1"]);
    await aborted.abort();
    expect(await readdir(join(dir, "out"))).toEqual(["w.csv"]);
  });
});
