import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.KILN_E2E_PORT ?? 8181);
// One data dir per port so parallel runs (e.g. two developers' checkouts) do not share a database.
const DATA = `e2e/.artifacts/kiln-data-${PORT}`;
/** The first admin is created through the real setup link; journeys then start signed in as them. */
export const SETUP_TOKEN = 'e2e-setup-token-0123456789abcdef';
export const ADMIN_STATE = `e2e/.artifacts/admin-${PORT}.json`;

// Journeys run against the real BFF on a fresh embedded database (seeded with the demo project),
// in Debian's Chromium: browser downloads are impossible here.
export default defineConfig({
  testDir: '.',
  projects: [
    { name: 'setup', testMatch: '**/auth.setup.ts' },
    { name: 'journeys', testMatch: '**/*.spec.ts', dependencies: ['setup'], use: { storageState: ADMIN_STATE } },
  ],
  outputDir: `.artifacts/test-results-${PORT}`,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `rm -rf ${DATA} && KILN_DATA=${DATA} PORT=${PORT} KILN_SETUP_TOKEN=${SETUP_TOKEN} LOG_LEVEL=warn npx tsx src/server/main.ts`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // Kiln stops its local-cloud instances on SIGTERM; the default SIGKILL would leave them running.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  },
});
