import { describe, expect, it } from "vitest";
import type { TableSchema } from "../table-schema";
import { distributionBin, featureDistributions, populationStabilityIndex } from "./reference";

const schema: TableSchema = {
  name: "t",
  treatment: { column: "a", arms: ["x", "y"], control: "x" },
  outcome: { column: "y", type: "binary" },
  features: [
    { name: "n", type: "numeric" },
    { name: "c", type: "categorical" },
  ],
};

describe("training distributions and PSI", () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ n: i, c: i < 100 ? "a" : i < 195 ? "b" : "rare" }));
  const d = featureDistributions(schema, rows);

  it("every bin covers at least 10 rows; a rare level is pooled, never stored on its own", () => {
    for (const dist of Object.values(d)) for (const b of dist.bins) expect(b.share * 200).toBeGreaterThanOrEqual(10);
    const c = d.c;
    expect(c?.kind).toBe("categorical");
    if (c?.kind === "categorical") expect(c.bins.some((b) => b.levels.length === 1 && b.levels[0] === "rare")).toBe(false);
    expect(d.n?.bins).toHaveLength(10);
  });

  it("PSI is 0 for the same distribution and matches a hand computation for a shift", () => {
    const c = d.c;
    if (!c) throw new Error("no distribution");
    expect(populationStabilityIndex(c, rows.map((r) => r.c))).toBeCloseTo(0, 10);
    // Reference a: 0.5, b+rare: 0.5 (rare pooled with the smallest large level b). Current: 80% a, 20% b.
    const current = [...Array(80).fill("a"), ...Array(20).fill("b")];
    const expected = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
    expect(populationStabilityIndex(c, current)).toBeCloseTo(expected, 3);
    expect(distributionBin(c, "never-seen")).toBe(-1);
  });
});
