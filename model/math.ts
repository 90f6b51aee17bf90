/** Small numeric helpers of the generator's structural model (its sigmoid as the generator always computed it). */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
export const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
/** The logistic function without overflow for large negative z: the fitted models' link. */
export const stableSigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
