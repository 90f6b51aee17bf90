import { afterEach, describe, expect, it, vi } from "vitest";
import { shortCache } from "~/utils/short-cache.server";

afterEach(() => {
  vi.useRealTimers();
});

describe("short cache", () => {
  it("answers from memory within its time, asks again after it and after forget()", async () => {
    vi.useFakeTimers();
    const cache = shortCache<number>(3000);
    let calls = 0;
    const load = async () => ++calls;
    expect(await cache.get("k", load)).toBe(1);
    vi.advanceTimersByTime(2999);
    expect(await cache.get("k", load)).toBe(1);
    vi.advanceTimersByTime(2);
    expect(await cache.get("k", load)).toBe(2);
    cache.forget();
    expect(await cache.get("k", load)).toBe(3);
  });

  it("keeps no misses (a revoked or unknown key is asked every time) and stays bounded", async () => {
    const cache = shortCache<string>(60_000, 3);
    let misses = 0;
    const miss = async () => {
      misses++;
      return null;
    };
    expect(await cache.get("unknown", miss)).toBeNull();
    expect(await cache.get("unknown", miss)).toBeNull();
    expect(misses).toBe(2);
    let loads = 0;
    for (const key of ["a", "b", "c", "d"]) await cache.get(key, async () => `${key}${++loads}`);
    // The fourth key cleared the full cache: "a" is loaded again.
    expect(await cache.get("a", async () => `a${++loads}`)).toBe("a5");
    expect(await cache.get("d", async () => `d${++loads}`)).toBe("d4");
  });
});
