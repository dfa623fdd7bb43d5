// Start overhead of the job sandbox: `true` spawned plainly and spawned the way the job runner
// does it (bubblewrap, unprivileged account, Kiln's files hidden), median and p95 of spawn → exit
// over RUNS runs each, interleaved so both see the same machine load. Goal: ≤ 150 ms per job.
// Run: npx tsx src/engine/jobs/bench/sandbox.ts [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createJobSandbox, DEMO_DIR, KILN_ROOT } from '../sandbox';

const RUNS = Number(process.argv[2] ?? 50);
const jobsRoot = mkdtempSync(join(tmpdir(), 'kiln-bench-jobs-'));
const sandbox = createJobSandbox({ mode: 'on', hide: [KILN_ROOT, jobsRoot], readOnly: [DEMO_DIR] });
const why = sandbox.unavailable();
if (why) {
  process.stderr.write(`cannot measure: ${why}\n`);
  process.exit(1);
}

function time(file: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${file} exited ${code}: ${err}`))));
  });
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95) };
};

const plain: number[] = [];
const boxed: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const dir = join(jobsRoot, `run-${i}`, 'job');
  sandbox.prepare(dir);
  plain.push(await time('/bin/sh', ['-c', 'true'], dir));
  const { file, args } = sandbox.wrap(['/bin/sh', '-c', 'true'], { cwd: dir, writable: [dir] });
  boxed.push(await time(file, args, dir));
}
rmSync(jobsRoot, { recursive: true, force: true });

const p = stats(plain);
const b = stats(boxed);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const who = process.getuid?.() === 0 ? 'as root: outer bwrap + setpriv to the job account + sandbox bwrap' : 'as an unprivileged user: one bwrap';
process.stdout.write(`job start, ${RUNS} runs each (${who})\n`);
process.stdout.write(`  plain spawn of sh -c true:      median ${fmt(p.median)}, p95 ${fmt(p.p95)}\n`);
process.stdout.write(`  sandboxed spawn of sh -c true:  median ${fmt(b.median)}, p95 ${fmt(b.p95)}\n`);
process.stdout.write(`  sandbox overhead per job:       median ${fmt(b.median - p.median)}, p95 ${fmt(b.p95 - p.p95)}  (goal ≤ 150 ms)\n`);
// For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
console.log(`BENCH-JSON ${JSON.stringify({ id: 'jobs.sandbox-start', label: 'Sandboxed job start, median', value: b.median, unit: 'ms', better: 'lower', goal: { max: 150 } })}`);
