/**
 * The one seeded pseudo-random generator of model/ (mulberry32): training, bootstrap intervals,
 * the membership-inference samples and the holdout split all draw from it. Never Math.random.
 */
export type Random = () => number;

/** Mixed into the seed so that seed 0 does not start the stream at state 0. */
const SEED_MIX = 0x9e3779b9;

function mulberry32(state: number): Random {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator as training seeds it. */
export function createRandom(seed: number): Random {
  return mulberry32(Math.floor(seed) ^ SEED_MIX);
}

/**
 * The same generator seeded without the mix, as the bootstrap, the membership-inference samples,
 * the holdout split and the demo history always were: their streams (and so earlier reports,
 * splits and measurements) reproduce exactly.
 */
export function seededRandom(seed: number): Random {
  return mulberry32(seed);
}

export function shuffleInPlace(values: Int32Array, random: Random): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i] ?? 0;
    values[i] = values[j] ?? 0;
    values[j] = tmp;
  }
  return values;
}

/** Standard normal by Box–Muller. */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape ≥ 1; smaller shapes boosted). */
export function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
