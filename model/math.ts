/** Small numeric helpers of the generator's structural model. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
export const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
