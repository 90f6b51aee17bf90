import { describe, expect, it } from "vitest";
import { createRandom, Rng } from "./random.js";

describe("the seeded generator", () => {
  // Pinned first draws: a change here changes generated deliveries, trained weights, bootstrap intervals and holdout splits.
  it("keeps the stream that earlier results were made with", () => {
    const random = createRandom(7);
    expect([random(), random(), random()]).toEqual([0.861164361005649, 0.7825483791530132, 0.22772821970283985]);
  });

  it("is one algorithm: a model stream is a generator stream of its own", () => {
    const random = createRandom(7, 2);
    const rng = new Rng(7, 1002);
    expect([random(), random()]).toEqual([rng.next(), rng.next()]);
    expect(new Rng(7, 0).next()).not.toEqual(createRandom(7)());
  });
});
