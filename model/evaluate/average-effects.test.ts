import { describe, expect, it } from "vitest";
import { HOURS_SCHEMA, hoursRows } from "../../test/fixtures/hours-table.js";
import { encodeTrainingTable } from "../bundle/train.js";
import { averageEffects, formatAverageEffects } from "./average-effects.js";

describe("evaluate's average effects", () => {
  // Coaching goes more to clients long out of work, whose hours without it are highest: the raw
  // difference between the arms is confounded, the true gains are known per row.
  const { rows, gains } = hoursRows(1500, 21);
  const { encoder, data } = encodeTrainingTable(HOURS_SCHEMA, rows);
  const treatment = Array.from(data.treatment);
  const outcome = Array.from(data.outcome);
  const coached = treatment.map((t, i) => (t === 1 ? i : -1)).filter((i) => i >= 0);
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const trueAte = mean(gains);
  const trueAtt = mean(coached.map((i) => gains[i] ?? 0));
  // A model that knows the true gains (control 0, coaching the gain), so its own averages are the truth.
  const effects = averageEffects({ schema: HOURS_SCHEMA, encoder, rows, treatment, outcome, expected: gains.map((g) => [0, g]) });

  it("gives the model's own average effect and effect on the treated", () => {
    expect(effects.map((e) => e.arm)).toEqual(["coach"]);
    const [coach] = effects;
    expect(coach?.n).toBe(coached.length);
    expect(coach?.model.ate).toBeCloseTo(trueAte, 9);
    expect(coach?.model.att).toBeCloseTo(trueAtt, 9);
  });

  it("puts the true effects inside the AIPW 95% intervals, and the confounded raw difference outside", () => {
    const [coach] = effects;
    const ate = coach?.aipw.ate;
    const att = coach?.aipw.att;
    if (!ate || !att) throw new Error("expected AIPW estimates");
    expect(ate.lower95).toBeLessThan(trueAte);
    expect(ate.upper95).toBeGreaterThan(trueAte);
    expect(att.lower95).toBeLessThan(trueAtt);
    expect(att.upper95).toBeGreaterThan(trueAtt);
    const raw = mean(coached.map((i) => outcome[i] ?? 0)) - mean(outcome.filter((_, i) => treatment[i] === 0));
    expect(raw < ate.lower95 || raw > ate.upper95).toBe(true);
  });

  it("prints one line per arm with both averages and the intervals", () => {
    const text = formatAverageEffects(effects, "the test model");
    expect(text).toContain("| arm | rows | model ATE | AIPW ATE (95%) | model ATT | AIPW ATT (95%) |");
    expect(text).toMatch(new RegExp(`^\\| coach \\| ${coached.length} \\| [+-]\\d+\\.\\d{3} \\| [+-]\\d+\\.\\d{3} \\([+-]\\d+\\.\\d{3} to [+-]\\d+\\.\\d{3}\\) \\|`, "m"));
  });
});
