// Browser-safe (no node: imports): the catalogue's rules read values through it in the app too.

/** Reads a value as a number; "" / null / undefined / NA are missing (null); other text is NaN. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value ? 1 : 0;
  const text = String(value).trim();
  if (text === "" || text === "NA" || text === "NaN" || text === "null") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : Number.NaN;
}
