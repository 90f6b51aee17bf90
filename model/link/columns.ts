import { SchemaError } from "../errors.js";

/** Matching a delivery's header to the columns we expect. */

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The present column closest to `wanted` (case-insensitive edit distance; the first on a tie), or null when none is present. */
export function closestColumn(wanted: string, present: readonly string[]): string | null {
  const target = wanted.trim().toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of present) {
    if (name.trim() === "") continue;
    const distance = editDistance(target, name.trim().toLowerCase());
    if (best === null || distance < best.distance) best = { name: name.trim(), distance };
  }
  return best?.name ?? null;
}

export type ColumnMatch = {
  /** Per expected column, its index in the header. */
  order: number[];
  /** Header columns nobody asked for, in header order (ignored by the linker). */
  unknown: string[];
};

/**
 * Finds each expected column in the header (trimmed, case-insensitive; the first of duplicates).
 * `names[i]` is the name of expected column i in the delivery. Throws one line naming the file,
 * every missing column (an optional one may be missing: -1) and the closest column that is present.
 */
export function matchColumns(options: {
  file: string;
  header: readonly string[];
  names: readonly string[];
  ours: readonly string[];
  /** Our columns a file may lack (their index in `order` is then -1). */
  optional?: ReadonlySet<string>;
}): ColumnMatch {
  const { file, header, names, ours } = options;
  const normalised = header.map((h) => h.trim().toLowerCase());
  const order = names.map((n) => normalised.indexOf(n.trim().toLowerCase()));
  if (order.every((i) => i === -1)) {
    // Without a single known column the first line may well be data (an export without a header
    // row): never echo it, it could hold a bsn or a name.
    throw new SchemaError(
      `${file}: none of the columns ${names.map((n) => `"${n}"`).join(", ")} is in the first line (${header.length} column${header.length === 1 ? "" : "s"}); ` +
        "a file without a header row or with other column names needs a delivery profile",
    );
  }
  const used = new Set(order);
  // A column already matched is rarely the one meant: suggest among the others first.
  const unmatched = header.filter((h, i) => !used.has(i) && h.trim() !== "");
  const missing = names.flatMap((name, i) => {
    if ((order[i] as number) !== -1 || options.optional?.has(ours[i] as string)) return [];
    const closest = closestColumn(name, unmatched.length > 0 ? unmatched : header);
    const renamed = name !== ours[i] ? ` (our ${ours[i]})` : "";
    return [`"${name}"${renamed} (closest present: ${closest === null ? "none" : `"${closest}"`})`];
  });
  if (missing.length > 0) {
    throw new SchemaError(`${file}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  }
  const unknown = header.flatMap((h, i) => (used.has(i) ? [] : [h.trim()]));
  return { order, unknown };
}
