import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const PORT = 3100;
// Debian's chromium on the closed-network machines; Playwright's own browser on a laptop.
const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;

export default defineConfig({
  testDir: "test/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "off",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The real start path on a throw-away data directory with a small population and a small model.
    command: "rm -rf data/e2e && node --import tsx scripts/start.ts",
    env: {
      DATA_DIR: "data/e2e",
      PORT: String(PORT),
      DEMO_POPULATION: "4000",
      DEMO_SEED: "7",
      TRAIN_MEMBERS: "2",
      TRAIN_EPOCHS: "15",
      CASELOAD_SIZE: "25",
    },
    url: `http://localhost:${PORT}/login`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
