import { defineConfig, devices } from '@playwright/test';
import { adminState, FIRST_PORT, kilnUrl, kilnWebServer, SERVERS, SETUP_TOKEN } from './kiln-servers';

export { SETUP_TOKEN };
/** The first server's signed-in admin (the benches run against that one server). */
export const ADMIN_STATE = adminState(0);

// Journeys run against the real BFF on fresh embedded databases (seeded with the demo project), one
// Kiln per worker (e2e/journey.ts picks the worker's), in Debian's Chromium: browser downloads are
// impossible here. KILN_E2E_WORKERS=1 runs them all against one server, one after the other.
export default defineConfig({
  testDir: '.',
  projects: [
    { name: 'setup', testMatch: '**/auth.setup.ts' },
    { name: 'journeys', testMatch: '**/*.spec.ts', dependencies: ['setup'], use: { storageState: ADMIN_STATE } },
  ],
  outputDir: `.artifacts/test-results-${FIRST_PORT}`,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: SERVERS,
  retries: 0,
  forbidOnly: !!process.env.CI,
  use: {
    ...devices['Desktop Chrome'],
    // Specs that import `test` from @playwright/test rather than ./journey all reach the first server.
    baseURL: kilnUrl(0),
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: Array.from({ length: SERVERS }, (_, server) => kilnWebServer(server, '..')),
});
