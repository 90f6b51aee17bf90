/**
 * Values remembered for a few seconds, so that a hot path (every API call) does not ask the database
 * for what rarely changes. A change made by this instance calls `forget()` and is seen at once; one
 * made by another instance (several instances on PostgreSQL) is seen within `ttlMs`.
 * Only found values are kept, and at most `maxEntries`, so random keys cannot grow the cache.
 */
export function shortCache<V>(ttlMs: number, maxEntries = 10_000) {
  const entries = new Map<string, { at: number; value: V }>();
  return {
    async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = await load();
      if (value === null) {
        entries.delete(key);
        return null;
      }
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { at: now, value });
      return value;
    },
    forget(): void {
      entries.clear();
    },
  };
}

/** How long another instance's change may take to be seen (README: several instances). */
export const SHORT_CACHE_MS = 3000;
