import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { OIDC_TEST_ISSUER, oidcTestEnv } from "./test/oidc/config";

// Several people (or agents) may run the suite on one machine: E2E_PORT and E2E_DATA_DIR keep runs apart.
const PORT = Number(process.env.E2E_PORT ?? 3100);
export const DATA_DIR = process.env.E2E_DATA_DIR ?? "data/e2e";
// Debian's chromium on the closed-network machines; Playwright's own browser on a laptop.
const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
/** Specs with a production server of their own (test/e2e/production-server.ts): nothing of the demo server's state. */
const OWN_SERVER_SPECS = /(production|second-municipality)\.spec\.ts$/;

export default defineConfig({
  testDir: "test/e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // The specs of the demo server share its seeded database, so they run one at a time, in name order
  // (zz-logs.spec.ts last). The specs that start a production server of their own on an empty data
  // directory (and train its model through the CLIs) share nothing with them: they run beside them at
  // a lower priority (test/e2e/production-server.ts), on the cycles the demo specs leave idle.
  workers: 2,
  projects: [
    { name: "demo", testIgnore: OWN_SERVER_SPECS, workers: 1 },
    { name: "own-server", testMatch: OWN_SERVER_SPECS, workers: 1 },
  ],
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
  webServer: [
    {
      // The real start path on a throw-away data directory with a small population and a small model.
      // The server's whole output is kept in DATA_DIR/server.log: zz-logs.spec.ts greps it for secrets and personal data.
      command: `rm -rf ${DATA_DIR} && mkdir -p ${DATA_DIR} && node --import tsx scripts/start.ts 2>&1 | tee ${DATA_DIR}/server.log`,
      env: {
        DATA_DIR,
        BUILD_DIR: process.env.E2E_BUILD_DIR ?? "build",
        PORT: String(PORT),
        DEMO_POPULATION: "4000",
        DEMO_SEED: "7",
        TRAIN_MEMBERS: "2",
        TRAIN_EPOCHS: "15",
        CASELOAD_SIZE: "25",
        DEMO_HISTORY: "600",
        // Login through the local test identity provider (the second server below).
        ...oidcTestEnv(`http://localhost:${PORT}`),
      },
      url: `http://localhost:${PORT}/login`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // A real OpenID Connect provider (oidc-provider) with a test client and test accounts: test/oidc/.
      command: "node --import tsx test/oidc/provider.ts",
      env: { APP_BASE_URL: `http://localhost:${PORT}` },
      url: `${OIDC_TEST_ISSUER}/.well-known/openid-configuration`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
