/**
 * Every bench `npm run bench` runs, in order. Adding one is one line: a name, the command (run from
 * the repository root), and optionally what makes it quick. The bench prints `BENCH-JSON {…}` lines
 * (see report.ts); `runs` is how many times the full run repeats it for a median.
 */
export type Bench = {
  name: string;
  command: string[];
  quick?: { args?: string[]; env?: Record<string, string> };
  env?: Record<string, string>;
  /** Full runs (median over them); quick runs once. Default 3. */
  runs?: number;
  /** Left out of `--quick` (which must end within 5 minutes); `--only` still runs it. */
  fullOnly?: boolean;
  /** Seconds before it is stopped and reported as not measured. */
  timeoutSec?: number;
};

const tsx = (file: string, ...args: string[]) => ['npx', 'tsx', file, ...args];
/** A bench run against a throwaway PostgreSQL (with-postgres.sh), which it finds in BENCH_DATABASE_URL. */
const onPostgres = (file: string) => ['bash', 'src/tools/with-postgres.sh', 'bash', '-c', 'BENCH_DATABASE_URL="$KILN_TEST_DATABASE_URL" exec npx tsx "$0" "$@"', file];

export const BENCHES: Bench[] = [
  { name: 'bundle', command: ['bash', '-c', 'npx vite build --logLevel warn && npx tsx src/tools/bench-bundle.ts'], runs: 1, timeoutSec: 300 },
  { name: 'bff-throughput', command: tsx('src/server/bench/throughput.ts'), quick: { args: ['--quick'] }, runs: 1, timeoutSec: 400 },
  { name: 'engine-transitions', command: tsx('src/engine/bench/transitions.ts'), quick: { env: { BENCH_STAGES: '300', BENCH_EXECUTIONS: '10000' } }, timeoutSec: 300 },
  // The same engine and BFF on a throwaway PostgreSQL (with-postgres.sh), and two engine processes sharing it.
  {
    name: 'engine-transitions-postgres',
    command: onPostgres('src/engine/bench/transitions.ts'),
    quick: { env: { BENCH_STAGES: '300', BENCH_EXECUTIONS: '10000' } },
    timeoutSec: 300,
  },
  // The same routes as on PGlite (authentication and answers are cached either way): full runs only.
  { name: 'bff-throughput-postgres', command: onPostgres('src/server/bench/throughput.ts'), quick: { args: ['--quick'] }, runs: 1, fullOnly: true, timeoutSec: 400 },
  {
    name: 'scale-out',
    command: onPostgres('src/engine/bench/scale-out.ts'),
    env: { KILN_PG_STAT_STATEMENTS: 'on' },
    quick: { args: ['--quick'], env: { BENCH_ROUNDS: '1', BENCH_ONLY: 'engine,jobs,resume' } },
    runs: 1,
    timeoutSec: 900,
  },
  { name: 'registry-catch-up', command: tsx('src/engine/bench/registry-catch-up.ts'), quick: { env: { BENCH_VERSIONS: '200', BENCH_TRIGGERS: '20' } }, timeoutSec: 300 },
  { name: 'sse-clients', command: tsx('src/server/bench/sse-clients.ts'), quick: { env: { BENCH_CLIENTS: '5000', BENCH_SECONDS: '3' } }, timeoutSec: 300 },
  { name: 'load-balancer', command: tsx('src/engine/cloud/bench/load-balancer.ts'), quick: { args: ['500'] }, runs: 1, timeoutSec: 180 },
  { name: 'vm-metadata-relay', command: tsx('src/engine/cloud/bench/metadata-relay.ts'), quick: { args: ['5', '4'] }, runs: 1, timeoutSec: 120 },
  // Cold imports of the app and the engine (paid by every test file that builds them) and Kiln's start, in CPU.
  { name: 'imports', command: tsx('src/tools/bench/imports.ts', './src/server/app.ts', './src/server/test-app.ts', './src/engine/index.ts'), runs: 1, timeoutSec: 180 },
  { name: 'kiln-start', command: tsx('src/tools/bench/imports.ts', '--start'), runs: 1, timeoutSec: 300 },
  { name: 'job-sandbox', command: tsx('src/engine/jobs/bench/sandbox.ts'), quick: { args: ['10'] }, timeoutSec: 120 },
  { name: 'packaging', command: tsx('src/engine/bakery/bench/packaging.ts'), quick: { args: ['--size-mib', '256', '--data-mib', '64'] }, runs: 1, timeoutSec: 300 },
  {
    name: 'editor-and-log-viewer',
    command: ['npx', 'playwright', 'test', '-c', 'e2e/bench/playwright.config.ts', '--reporter=list'],
    env: { BENCH: 'bench/{editor,log-viewer}.bench.ts' },
    quick: { env: { BENCH_LOG_LINES: '20000', BENCH_EDITOR_STAGES: '500' } },
    runs: 1,
    timeoutSec: 900,
  },
  {
    // Each seeds its own Kiln at full scale (250 clusters / 5,000 instances; 50 × 200 executions), quick or not.
    name: 'scale-views',
    command: ['npx', 'playwright', 'test', '-c', 'e2e/bench/playwright.config.ts', '--reporter=list'],
    env: { BENCH: 'bench/{clusters,executions}.bench.ts' },
    runs: 1,
    timeoutSec: 900,
  },
];
