import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["model/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "test/unit/**/*.test.ts"],
    environment: "node",
    alias: { "~": new URL("./app", import.meta.url).pathname },
    setupFiles: ["test/setup/fail-on-console-error.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
