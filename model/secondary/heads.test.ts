import { describe, expect, it } from "vitest";
import type { OutcomeSpec } from "../config/municipality.js";
import { createRandom } from "../random.js";
import { encodeRows, fitEncoder } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import type { TableSchema } from "../table-schema.js";
import { fitSecondaryHeads, parseSecondaryFile, predictSecondary } from "./heads.js";

const schema: TableSchema = {
  name: "toy",
  treatment: { column: "arm", arms: ["ctrl", "debthelp", "rare"], control: "ctrl" },
  outcome: { column: "work", type: "binary" },
  features: [
    { name: "debts", type: "binary" },
    { name: "age", type: "numeric" },
  ],
};
const outcome = (column: string): OutcomeSpec => ({ column, type: "binary", label: { nl: column, en: column } });

/** Debt help halves problem debts after 12 months for clients with debts; "rare" has 6 rows only. */
function toyRows(n: number): Row[] {
  const random = createRandom(11);
  return Array.from({ length: n }, (_, i) => {
    const debts = i % 2;
    const arm = i < 6 ? "rare" : i % 3 === 0 ? "debthelp" : "ctrl";
    const chance = debts ? (arm === "debthelp" ? 0.3 : 0.7) : 0.1;
    // Hours a week: 10 + 0.1 per year of age, 6 more under debt help, noise with SD 3.
    const hours = 10 + 0.1 * (20 + (i % 40)) + (arm === "debthelp" ? 6 : 0) + 3 * (random() + random() + random() + random() - 2) * Math.sqrt(3);
    return { debts, age: 20 + (i % 40), arm, work: i % 4 === 0 ? 1 : 0, schulden_12m: random() < chance ? 1 : 0, uren: hours };
  });
}

describe("secondary-outcome heads", () => {
  const rows = toyRows(900);
  const encoder = fitEncoder(schema, rows);
  const x = encodeRows(encoder, rows);
  const treatment = Int32Array.from(rows, (r) => schema.treatment.arms.indexOf(String(r.arm)));
  const heads = (outcomes: OutcomeSpec[] = [outcome("schulden_12m")]) =>
    fitSecondaryHeads({ x, width: encoder.width, treatment, rows, arms: schema.treatment.arms, control: "ctrl", outcomes });
  const file = heads();
  const clients = encodeRows(encoder, [
    { debts: 1, age: 40 },
    { debts: 0, age: 40 },
  ]);

  it("fits one head per arm with enough rows, only for outcomes the table has", () => {
    expect(file?.outcomes.map((o) => [o.column, o.type])).toEqual([["schulden_12m", "binary"]]);
    expect(file?.outcomes[0]?.heads.map((h) => h !== null)).toEqual([true, true, false]);
    expect(heads([outcome("absent")])).toBeNull();
  });

  it("a continuous outcome gets ridge heads on its own scale: the known effect of 6 hours, inside a 95% interval in hours", () => {
    const continuous: OutcomeSpec = { column: "uren", type: "continuous", label: { nl: "u", en: "h" } };
    const hours = heads([continuous]);
    if (!hours) throw new Error("no heads");
    expect(hours.outcomes[0]?.type).toBe("continuous");
    const [client] = predictSecondary(hours, clients, 2);
    const help = client?.[0]?.arms[1];
    expect(help?.gain).toBeGreaterThan(5);
    expect(help?.gain).toBeLessThan(7);
    expect(help?.gainLower).toBeLessThan(6);
    expect(help?.gainUpper).toBeGreaterThan(6);
    // Not a chance: the expected hours under the control arm at age 40 is about 14, with an interval around it.
    const control = client?.[0]?.arms[0];
    expect(control?.expected).toBeGreaterThan(12);
    expect(control?.expected).toBeLessThan(16);
    expect(control?.upper).toBeGreaterThan(control?.expected ?? 0);
    expect((control?.upper ?? 0) - (control?.lower ?? 0)).toBeLessThan(2);
    // An older secondary.json without a type reads as binary.
    const old = JSON.parse(JSON.stringify(file));
    delete old.outcomes[0].type;
    expect(parseSecondaryFile(old).outcomes[0]?.type).toBe("binary");
  });

  it("finds that debt help lowers problem debts for clients with debts, with a 95% interval excluding zero", () => {
    if (!file) throw new Error("no heads");
    const [withDebts, without] = predictSecondary(file, clients, 2);
    const help = withDebts?.[0]?.arms[1];
    expect(help?.gain).toBeLessThan(-0.25);
    expect(help?.gainUpper).toBeLessThan(0);
    expect(help?.gainLower).toBeLessThan(help?.gain ?? 0);
    const control = withDebts?.[0]?.arms[0];
    expect(control?.gain).toBe(0);
    expect(control?.lower).toBeLessThan(control?.expected ?? 0);
    expect(control?.upper).toBeGreaterThan(control?.expected ?? 1);
    const noDebts = without?.[0]?.arms[1];
    expect(noDebts?.gainLower).toBeLessThan(0.05);
    expect(noDebts?.gainUpper).toBeGreaterThan(-0.05);
    expect(withDebts?.[0]?.arms[2]).toBeNull();
  });

  it("round-trips as plain JSON and refuses a head of the wrong size", () => {
    const copy = parseSecondaryFile(JSON.parse(JSON.stringify(file)));
    expect(predictSecondary(copy, clients, 2)).toEqual(predictSecondary(file ?? copy, clients, 2));
    const broken = JSON.parse(JSON.stringify(file));
    broken.outcomes[0].heads[0].weights.pop();
    expect(() => parseSecondaryFile(broken)).toThrow(/outcomes\.0\.heads\.0: sizes do not match/);
  });

  it("a wider interval with fewer rows", () => {
    const small = toyRows(120);
    const sx = encodeRows(encoder, small);
    const st = Int32Array.from(small, (r) => schema.treatment.arms.indexOf(String(r.arm)));
    const few = fitSecondaryHeads({ x: sx, width: encoder.width, treatment: st, rows: small, arms: schema.treatment.arms, control: "ctrl", outcomes: [outcome("schulden_12m")] });
    if (!few || !file) throw new Error("no heads");
    const width = (f: typeof file) => {
      const a = predictSecondary(f, clients, 2)[0]?.[0]?.arms[1];
      return (a?.gainUpper ?? 0) - (a?.gainLower ?? 0);
    };
    expect(width(few)).toBeGreaterThan(width(file));
  });
});
