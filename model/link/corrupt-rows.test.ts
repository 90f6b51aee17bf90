import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsvRecord } from "../csv/index.js";
import { DELIVERY_FILE_NAMES, type DeliveryFile, type LinkageReport, linkDelivery } from "./index.js";
import { ROW_SCHEMAS } from "./rows.js";

const FIXTURE = join(import.meta.dirname, "../../test/fixtures/delivery");
const KEY = "test-key-0123456789-0123456789-abcdef";

let dir: string;
let sources: Record<DeliveryFile, string[]>;
let baseline: { report: LinkageReport; analysis: string };
let run = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tw-corrupt-"));
  sources = {} as Record<DeliveryFile, string[]>;
  for (const f of DELIVERY_FILE_NAMES) sources[f] = (await readFile(join(FIXTURE, `${f}.csv`), "utf8")).trimEnd().split("\n");
  const report = await linkDelivery({ inDir: FIXTURE, outDir: join(dir, "baseline"), pseudonymKey: KEY, minGroupSize: 1 });
  baseline = { report, analysis: await readFile(join(dir, "baseline", "analysis.csv"), "utf8") };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** True when `line` would be a valid row of `file` (such lines are not corrupt, so the property skips them). */
function isValidRow(file: DeliveryFile, line: string): boolean {
  if (line.replace(/\r$/, "") === "") return true; // a blank line is not a row at all
  const fields = parseCsvRecord(line.replace(/\r$/, ""));
  const width = (sources[file][0] ?? "").split(",").length;
  if (!fields || fields.length !== width) return false;
  return (ROW_SCHEMAS[file] as unknown as z.ZodType).safeParse(fields).success;
}

const noBreak = fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, " "));
const fileArb = fc.constantFrom(...DELIVERY_FILE_NAMES);

/** A corrupt line for a file: random text, or a valid line of that file with one field broken. */
const corruptLine = fileArb.chain((file) =>
  fc.record({
    file: fc.constant(file),
    position: fc.nat(),
    line: fc.oneof(
      noBreak,
      fc
        .record({ base: fc.constantFrom(...sources[file].slice(1)), field: fc.nat(), value: noBreak, how: fc.nat(3) })
        .map(({ base, field, value, how }) => {
          const fields = base.split(",");
          const at = field % fields.length;
          if (how === 0) fields[at] = value;
          else if (how === 1) fields.splice(at, 1);
          else if (how === 2) fields.splice(at, 0, value);
          else fields[at] = `"${fields[at]}`;
          return fields.join(",");
        }),
    ),
  }),
);

describe("link under random corrupt rows", () => {
  it("never crashes and never loses or changes a valid row", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(corruptLine, { minLength: 1, maxLength: 6 }), async (corruptions) => {
        fc.pre(corruptions.every((c) => !isValidRow(c.file, c.line)));
        run += 1;
        const inDir = join(dir, `in-${run}`);
        const outDir = join(dir, `out-${run}`);
        const files = Object.fromEntries(DELIVERY_FILE_NAMES.map((f) => [f, [...sources[f]]])) as Record<DeliveryFile, string[]>;
        const inserted: Partial<Record<DeliveryFile, number>> = {};
        for (const c of corruptions) {
          const lines = files[c.file];
          lines.splice(1 + (c.position % lines.length), 0, c.line);
          inserted[c.file] = (inserted[c.file] ?? 0) + 1;
        }
        await mkdir(inDir, { recursive: true });
        for (const f of DELIVERY_FILE_NAMES) await writeFile(join(inDir, `${f}.csv`), `${files[f].join("\n")}\n`);
        const report = await linkDelivery({ inDir, outDir, pseudonymKey: KEY, minGroupSize: 1 });
        expect(await readFile(join(outDir, "analysis.csv"), "utf8")).toBe(baseline.analysis);
        for (const f of DELIVERY_FILE_NAMES) {
          const before = baseline.report.files[f];
          const after = report.files[f];
          expect(after?.rowsRead, f).toBe((before?.rowsRead ?? 0) + (inserted[f] ?? 0));
          expect(after?.linked, f).toBe(before?.linked);
          const q = (r: typeof after) => Object.values(r?.quarantined ?? {}).reduce((a, b) => a + (b ?? 0), 0);
          expect(q(after), f).toBe(q(before) + (inserted[f] ?? 0));
        }
        await rm(inDir, { recursive: true, force: true });
        await rm(outDir, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });
});
