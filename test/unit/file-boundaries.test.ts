import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BundleError, disposeBundle, loadBundle, readSchemaFile, SchemaError, writeBundleFile } from "../../model/index";
import { reintegrationSchema } from "../../model/reintegration";
import { makeTinyBundle } from "../fixtures/tiny-bundle";

/** Schema files and bundle files as untrusted input: any content ends in a typed, located error or a valid value. */
describe("schema files", () => {
  it("any JSON, or a valid schema with one field replaced, is accepted only when valid; otherwise a SchemaError naming the file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tw-schema-"));
    const file = path.join(dir, "schema.json");
    const valid = reintegrationSchema({ withTruth: true }) as unknown as Record<string, unknown>;
    const mutated = fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ ...valid, [key]: value }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), mutated, fc.string({ maxLength: 40 })), async (content) => {
        await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
        try {
          const schema = await readSchemaFile(file);
          expect(schema.treatment.arms).toContain(schema.treatment.control);
        } catch (error) {
          expect(error).toBeInstanceOf(SchemaError);
          expect((error as Error).message).toContain(file);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("bundle files", () => {
  let bundleDir: string;
  let names: string[];
  beforeAll(async () => {
    bundleDir = (await makeTinyBundle({ n: 400, members: 1, epochs: 1 })).dir;
    names = (await readdir(bundleDir)).filter((n) => n !== "manifest.json");
  }, 240_000);

  it("a changed byte, a truncated file or any re-signed JSON content: refused with a BundleError, never loaded wrong", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.oneof(
          fc.record({ kind: fc.constant("flip" as const), at: fc.nat() }),
          fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
          fc.record({ kind: fc.constant("resign" as const), value: fc.jsonValue({ maxDepth: 2 }) }),
        ),
        async (name, change) => {
          const dir = await mkdtemp(path.join(tmpdir(), "tw-bundle-prop-"));
          await cp(bundleDir, dir, { recursive: true });
          const file = path.join(dir, name);
          const bytes = new Uint8Array(await readFile(file));
          if (change.kind === "flip") {
            const i = change.at % bytes.length;
            bytes[i] = (bytes[i] ?? 0) ^ 0x55;
            await writeFile(file, bytes);
          } else if (change.kind === "truncate") {
            await writeFile(file, bytes.subarray(0, change.at % bytes.length));
          } else {
            // Re-signed through the manifest: the checksum matches, so the content itself must be validated.
            if (name === "weights.bin") return;
            await writeBundleFile(dir, name, JSON.stringify(change.value));
          }
          try {
            disposeBundle(await loadBundle(dir));
            // Only a re-signed file whose new content is still valid may load (e.g. an unvalidated extra file).
            expect(change.kind).toBe("resign");
          } catch (error) {
            expect(error).toBeInstanceOf(BundleError);
            expect((error as Error).message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 240_000);
});
