import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// Benchmarks are scripts that print figures, not tests: run on demand with
//   KILN_E2E_PORT=8192 npx playwright test -c e2e/bench/playwright.config.ts
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '**/*.bench.ts',
  outputDir: '../.artifacts/bench-results',
  timeout: 300_000,
  webServer: { ...(base.webServer as object), cwd: '../..' } as typeof base.webServer,
});
