/**
 * `npx tsx src/tools/bench/imports.ts [module…]`: the cold import time of each module, each in a
 * fresh process (tsx, as tests and `npm start` load them), and the npm packages it pulls in. Every test
 * file that builds the app or the engine pays its import once per vitest worker, so what a module
 * drags along (client libraries of providers no test of it uses) is paid hundreds of times per npm test.
 */
import { spawn, spawnSync } from 'node:child_process';
import Module, { register } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const DEFAULT = [
  './src/server/app.ts',
  './src/server/test-app.ts',
  './src/engine/index.ts',
  './src/server/main.ts#no-run',
  './src/engine/cloud/docker/kiln-providers.ts',
  './src/engine/cloud/kubernetes/kubernetes-provider.ts',
  './src/engine/cloud/docker/docker-provider.ts',
  './src/engine/cloud/qemu/qemu-provider.ts',
  'kubernetes-models',
  '@kubernetes/client-node',
  'dockerode',
];

const one = process.argv.indexOf('--one');
if (one >= 0) {
  const target = process.argv[one + 1]!;
  // A resolve hook that only watches which packages the import reaches (hooks run on their own
  // thread, so it writes them down in a file read afterwards).
  const seen = join(mkdtempSync(join(tmpdir(), 'kiln-imports-')), 'urls');
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(seen)}, result.url + '\\n');
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  // CommonJS packages (dockerode, the Kubernetes client) require their own dependencies past that hook.
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = cjs._resolveFilename;
  const required: string[] = [];
  cjs._resolveFilename = (request, ...rest) => {
    const file = resolveFilename(request, ...rest);
    required.push(file);
    return file;
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const url = target.startsWith('.') ? new URL(target.replace(/#.*/, ''), `file://${process.cwd()}/`).href : target;
  await import(url);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const packages = new Set<string>();
  for (const line of [...readFileSync(seen, 'utf8').split('\n'), ...required]) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) packages.add(m[1]!);
  }
  rmSync(dirname(seen), { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ module: target, ms: Math.round(ms), cpuMs: Math.round(cpuMs), packages: [...packages].sort() })}\n`);
  process.exit(0);
}

/** CPU seconds the processes of a process group used so far, with their children that ended (npx, tsx's own). */
function groupCpuSeconds(group: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = (() => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    // Fields after the command's closing parenthesis: state is 3rd; pgrp 5th; utime, stime, cutime, cstime 14th to 17th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== group) continue;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks / 100;
}

/** Seconds from `tsx src/server/main.ts` to its "is running at" line: Kiln's start on a data directory it has started on before (no migration, no demo seeding, no dashboard build). */
async function kilnStart(dataDir: string): Promise<{ seconds: number; cpu: number }> {
  const started = performance.now();
  const child = spawn('npx', ['tsx', 'src/server/main.ts'], {
    env: { ...process.env, KILN_DATA: dataDir, PORT: '0', KILN_DASHBOARD: 'off', KILN_DEMO: 'false', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(' is running at ')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`Kiln exited (${code}) before it served: ${output}`)));
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = groupCpuSeconds(child.pid!);
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.on('close', r));
  return { seconds, cpu };
}

const args = process.argv.slice(2).filter((a) => a !== '--start');
if (process.argv.includes('--start')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-start-'));
  await kilnStart(dataDir); // the first start migrates the database
  const runs: { seconds: number; cpu: number }[] = [];
  for (let i = 0; i < 3; i += 1) runs.push(await kilnStart(dataDir));
  const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
  const wall = median(runs.map((r) => r.seconds));
  const cpu = median(runs.map((r) => r.cpu));
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `Kiln's start: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (medians of ${runs.map((r) => `${r.seconds.toFixed(2)}/${r.cpu.toFixed(2)}`).join(', ')})\n`,
  );
  process.stdout.write(
    `BENCH-JSON ${JSON.stringify({ id: 'kiln-start', label: "Kiln's start to serving (restart, no dashboard; CPU)", value: Number(cpu.toFixed(2)), unit: 's' })}\n`,
  );
  process.exit(0);
}

const modules = args.length > 0 ? args : DEFAULT;
for (const m of modules) {
  const child = spawnSync('npx', ['tsx', 'src/tools/bench/imports.ts', '--one', m], { encoding: 'utf8', env: { ...process.env, KILN_NO_MAIN: '1' } });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const r = JSON.parse(line) as { module: string; ms: number; cpuMs: number; packages: string[] };
    process.stdout.write(`${String(r.ms).padStart(6)} ms wall ${String(r.cpuMs).padStart(6)} ms CPU  ${r.module}  (${r.packages.length} packages: ${r.packages.join(' ')})\n`);
    process.stdout.write(`BENCH-JSON ${JSON.stringify({ id: `import:${m}`, label: `cold import of ${m} (CPU)`, value: r.cpuMs, unit: 'ms' })}\n`);
  } catch {
    process.stdout.write(`failed  ${m}: ${child.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
  }
}
