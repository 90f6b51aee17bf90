import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARCHITECTURE, INTERVAL, PERFORMANCE_SPLIT } from "../../../model/bundle/learner-card-text";
import { cardText } from "./model-card-text";

describe("model card in the reader's language", () => {
  it("gives the Dutch text of every fixed sentence the trainer writes, and marks an unknown one as English", () => {
    // The fixed sentences of model/bundle/model-card.ts: every string literal of 40+ characters in its card.
    const source = readFileSync("model/bundle/model-card.ts", "utf8");
    const body = source.slice(source.indexOf("    purpose:\n"), source.indexOf("export function modelCardMarkdown"));
    const literals = [...body.matchAll(/"([^"\n]{40,})"/g)].map((m) => m[1] as string);
    const purpose = literals.slice(0, 2).join("");
    expect(literals.length).toBeGreaterThan(7);
    for (const sentence of [purpose, ...literals.slice(2)]) {
      const shown = cardText(sentence, "nl");
      expect(shown.lang, sentence).toBeUndefined();
      expect(shown.text).not.toBe(sentence);
    }
    // The sentences that depend on the learner (model/bundle/learner-card-text.ts), each with its own Dutch.
    const perLearner = [...Object.values(ARCHITECTURE), ...Object.values(INTERVAL), ...Object.values(PERFORMANCE_SPLIT)];
    expect(perLearner.length).toBe(14);
    for (const sentence of perLearner) expect(cardText(sentence.en, "nl")).toEqual({ text: sentence.nl });
    expect(cardText("A sentence from a newer trainer.", "nl")).toEqual({ text: "A sentence from a newer trainer.", lang: "en" });
    expect(cardText("binary", "en")).toEqual({ text: "binary" });
  });
});
