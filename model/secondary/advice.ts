import type { Catalogue } from "../config/municipality.js";
import type { SecondaryEffect, SecondaryOutcome } from "../recommendation.js";
import { type Encoder, encodeRows } from "../table/encoder.js";
import type { Row } from "../table/read.js";
import { predictSecondary, type SecondaryFile } from "./heads.js";

/** One client's secondary figures per arm and what they add to each arm's ranking score. */
export type SecondaryAdvice = {
  outcomes: SecondaryOutcome[];
  /** Per arm (the file's arm order): the outcomes that arm has a figure for. */
  effects: SecondaryEffect[][];
  /** Per arm: Σ weight × gain, the gain's sign flipped for an outcome where lower is better. */
  score: number[];
};

/** How the catalogue weighs each secondary outcome the heads predict (better: higher unless declared; weight 0 unless set). */
export function secondaryOutcomesOf(file: SecondaryFile, catalogue: Catalogue): SecondaryOutcome[] {
  return file.outcomes.map((o) => {
    const spec = catalogue.outcomes.secondary.find((s) => s.column === o.column);
    return { outcome: o.column, better: spec?.better ?? "higher", weight: spec?.weight ?? 0 };
  });
}

/**
 * Secondary-outcome figures for one client row from the bundle's heads; null without heads.
 * The ranking stays on work unless the catalogue gives an outcome a weight.
 */
export function secondaryAdvice(bundle: { secondary: SecondaryFile | null; encoder: Encoder; catalogue: Catalogue }, row: Row): SecondaryAdvice | null {
  const file = bundle.secondary;
  if (!file) return null;
  const outcomes = secondaryOutcomesOf(file, bundle.catalogue);
  const [perOutcome] = predictSecondary(file, encodeRows(bundle.encoder, [row]), 1);
  const effects: SecondaryEffect[][] = file.arms.map(() => []);
  const score = file.arms.map(() => 0);
  (perOutcome ?? []).forEach((o, j) => {
    const how = outcomes[j];
    const sign = how?.better === "lower" ? -1 : 1;
    o.arms.forEach((a, k) => {
      if (!a) return;
      effects[k]?.push({ outcome: o.column, ...a });
      score[k] = (score[k] ?? 0) + (how?.weight ?? 0) * sign * a.gain;
    });
  });
  return { outcomes, effects, score };
}
