import './one-server';
import { defineConfig } from '@playwright/test';
import { kilnWebServer } from '../kiln-servers';
import base, { ADMIN_STATE } from '../playwright.config';

// Benchmarks are scripts that print figures, not tests: run on demand with
//   KILN_E2E_PORT=8192 npx playwright test -c e2e/bench/playwright.config.ts
// They sign in like the journeys do (the setup project creates the first admin).
export default defineConfig({
  ...base,
  testDir: '..',
  projects: [
    { name: 'setup', testMatch: '**/auth.setup.ts' },
    { name: 'bench', testMatch: process.env.BENCH ?? 'bench/**/*.bench.ts', dependencies: ['setup'], use: { storageState: ADMIN_STATE } },
  ],
  outputDir: '../.artifacts/bench-results',
  timeout: 300_000,
  workers: 1,
  webServer: kilnWebServer(0, '../..'),
});
