// End-to-end tests: the production build in Debian's Chromium (Playwright cannot download its own
// browsers here). The server gets a throwaway data dir and a known first admin; with
// E2E_DATABASE_URL or TEST_DATABASE_URL set it runs against PostgreSQL instead of the embedded database.
import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ADMIN, AUTH_SECRET, BASE_URL, E2E_DATA_DIR, E2E_PORT, e2eDatabase } from "./tests/e2e/support/settings";

const CI = Boolean(process.env.CI);
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const database = e2eDatabase();

export default defineConfig({
  testDir: "tests/e2e",
  // One worker: on a 2-core machine the server, its scheduler and the browser share the CPUs.
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  // No retries: a spec that needs one is a bug to find (README, Tests).
  retries: 0,
  // Generous for a busy 2-core machine (the bulk spec took 28 s at a load average of 14); speed is measured in `npm run bench`, not here.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    navigationTimeout: 15_000,
    actionTimeout: 10_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // Falls back to Playwright's own browser where one is installed and Debian's is not.
          executablePath: fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: {
    // The build runs with no database and a data dir that must not appear: `next build` never
    // touches a database (serverless hosts build without one), and that stays tested here.
    command:
      `npx tsx tests/e2e/support/prepare-server.ts && rm -rf .data-build-probe && ` +
      `env DATABASE_URL= TICKWORK_DATA_DIR=.data-build-probe npx next build && test ! -e .data-build-probe && ` +
      `npx next start -p ${E2E_PORT} -H 127.0.0.1`,
    // Answers only after instrumentation has migrated the database and created the first admin.
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: !CI,
    // Includes `next build`: two or three minutes on 2 cores, more when the machine is busy.
    timeout: 600_000,
    // Build errors (e.g. a failed type check) are printed on stdout.
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      // An empty DATABASE_URL means the embedded database, even if the shell exports one.
      DATABASE_URL: database?.url ?? "",
      TICKWORK_DATA_DIR: E2E_DATA_DIR,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_SECRET,
      TICKWORK_LOG_LEVEL: "warn",
      // The runs spec's stalled cleanup must find its stalled run: no background sweep gets there first.
      TICKWORK_SWEEP_SECONDS: "600",
      // Specs call webhooks they start on 127.0.0.1, which the outbound HTTP policy refuses otherwise.
      TICKWORK_HTTP_ALLOW: "127.0.0.1",
      // The command handler, with commands the run-logs spec runs (printing lines, some to stderr).
      TICKWORK_COMMANDS: path.resolve(import.meta.dirname, "tests/e2e/support/commands.json"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
