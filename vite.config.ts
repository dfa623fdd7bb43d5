import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { routePreload } from './src/tools/route-preload.ts';

/** public/ holds MSW's worker for `VITE_MSW=1 npm run dev`; a production build must not ship it. */
// The outDir is read from the resolved config: Kiln's start builds into a side directory first.
let outDir = resolve(import.meta.dirname, 'dist');
const dropMockWorker = {
  name: 'kiln-drop-mock-worker',
  apply: 'build' as const,
  configResolved(config: { root: string; build: { outDir: string } }) {
    outDir = resolve(config.root, config.build.outDir);
  },
  closeBundle() {
    rmSync(resolve(outDir, 'mockServiceWorker.js'), { force: true });
  },
};

// The SPA lives in src/web; index.html stays at the top level so `vite` works with no flags.
// Each project sets its own exclude, which replaces vitest's --exclude: a pass of npm test that must
// leave files out (test.sh) names them in KILN_TEST_EXCLUDE, comma-separated globs.
const EXCLUDED = (process.env.KILN_TEST_EXCLUDE ?? '')
  .split(',')
  .map((g) => g.trim())
  .filter(Boolean);

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    dropMockWorker,
    // The 500-stage editor's first visit: its route's chunks load beside the entry, not after it.
    routePreload([
      // zod and the endpoints left the first paint; every signed-in page checks who is signed in with them.
      { path: '^/(?!(sign-in|setup)/?$)', modules: ['src/shared/api/auth.ts'] },
      { path: '^/(projects/?)?$', modules: ['src/shared/api/projects.ts'] },
      {
        path: '^/applications/[^/]+/pipelines/[^/]+/edit/?$',
        modules: ['src/web/app/routes/application-layout.tsx', 'src/web/features/pipeline-editor/editor/prefetch-pipeline.ts', 'src/web/app/routes/pipeline-editor.tsx'],
      },
    ]),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // bench-bundle reads the manifest to find what the first route loads.
    manifest: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    // At least two workers even on a 2-core machine: the slow tests mostly wait (on instance
    // processes, timers, a spawned Kiln), so two run side by side in little more than the time of one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/{shared,server,engine,tools,cli}/**/*.test.ts'],
          // Several Kiln processes need a shared PostgreSQL: those tests run in the PostgreSQL pass only.
          exclude: [...(process.env.KILN_TEST_DATABASE_URL ? [] : ['src/{engine,server}/**/*.postgres.test.ts']), ...EXCLUDED],
          // Set-ups migrate a fresh database and some start processes: on a loaded 2-core machine that
          // can take longer than vitest's 10 s default, which then skips a whole file's tests.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Files share a worker's modules: a fresh module graph per file (re-importing and re-warming
          // the BFF, the engine and zod's schemas) cost ~4x the CPU of the same files sharing one (30
          // route files: 167 vs 38 CPU-s). Tests build their own app, database and engine; one that changes
          // process.env or a module's state puts it back.
          isolate: false,
        },
      },
      {
        // The mock API's own tests: each file starts from the mock API's initial state (its handlers keep
        // module-level state), so these few files keep a fresh module graph each.
        extends: true,
        test: { name: 'mocks', environment: 'node', include: ['mocks/**/*.test.ts'], exclude: EXCLUDED },
      },
      {
        // Repository suite: PGlite by default; `npm run test:pg` runs it again on a real PostgreSQL.
        extends: true,
        test: {
          name: 'db',
          environment: 'node',
          include: ['src/db/**/*.test.ts'],
          // Driver-specific tests run only in their own pass, so neither pass reports skips.
          exclude: [process.env.KILN_TEST_DATABASE_URL ? 'src/db/**/*.pglite.test.ts' : 'src/db/**/*.postgres.test.ts', ...EXCLUDED],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/web/**/*.test.{ts,tsx}'],
          exclude: EXCLUDED,
          setupFiles: ['src/web/test/setup.ts'],
          // A fresh jsdom and module graph per file cost ~3x the CPU of the tests themselves (342 vs 101
          // CPU-s for the project): files share a worker's modules, and setup.ts resets the mock API's
          // state (database and handlers), the DOM and storage after every test.
          isolate: false,
          // A lazy route's first import on a loaded 2-core machine can take longer than 5 s.
          testTimeout: 20_000,
        },
      },
    ],
  },
});
