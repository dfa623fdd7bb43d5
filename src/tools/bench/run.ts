/**
 * `npm run bench [-- --quick] [-- --only name,name]`: runs every bench in benches.ts, each as its
 * own process (so each stays runnable alone), collects the `BENCH-JSON` figures they print, and ends
 * with one table: figure | goal | measured | anchor | ok/short. Full runs repeat most benches and
 * report the median. Figures measured on a busy machine are slower than on an idle one: the table
 * says what this run saw, and benches that compare against a floor print the ratio too.
 */
import { spawn } from 'node:child_process';
import { BENCHES, type Bench } from './benches';
import { known } from './figures';
import { combineRuns, fmt, goalText, parseFigures, table, verdict, type Figure, type Row } from './report';

const QUICK = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;

type Outcome = { bench: Bench; figures: Figure[]; failed?: string; seconds: number };

/** Runs one bench once, echoing its output; resolves with what it printed (or why it failed). */
function runOnce(bench: Bench): Promise<{ output: string; failed?: string }> {
  const [file, ...args] = bench.command;
  const env = { ...process.env, ...bench.env, ...(QUICK ? bench.quick?.env : {}) };
  return new Promise((resolve) => {
    // Its own process group, so a timeout stops the bench and whatever it started.
    const child = spawn(file!, [...args, ...(QUICK ? (bench.quick?.args ?? []) : [])], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let lastErr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      lastErr = chunk.toString().trim().split('\n').at(-1) ?? lastErr;
      process.stderr.write(chunk);
    });
    const limit = (bench.timeoutSec ?? 300) * 1000;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, limit);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const failed = signal ? `stopped after ${limit / 1000} s` : code !== 0 ? `exit ${code}${lastErr ? `: ${lastErr.slice(0, 80)}` : ''}` : undefined;
      resolve({ output, ...(failed ? { failed } : {}) });
    });
  });
}

async function runBench(bench: Bench): Promise<Outcome> {
  const started = performance.now();
  const runs: Figure[][] = [];
  let failed: string | undefined;
  const times = QUICK ? 1 : (bench.runs ?? 3);
  for (let i = 0; i < times; i += 1) {
    process.stdout.write(`\n=== ${bench.name}${times > 1 ? ` (run ${i + 1} of ${times})` : ''}\n`);
    const run = await runOnce(bench);
    const { figures, bad } = parseFigures(run.output);
    for (const line of bad) process.stderr.write(`bench ${bench.name}: unreadable ${line}\n`);
    if (figures.length > 0) runs.push(figures);
    if (run.failed) {
      failed = run.failed;
      break;
    }
  }
  return { bench, figures: combineRuns(runs), ...(failed ? { failed } : {}), seconds: (performance.now() - started) / 1000 };
}

function rows(outcomes: Outcome[]): Row[] {
  const out: Row[] = [];
  for (const o of outcomes) {
    for (const f of o.figures) {
      const k = known(f.id);
      const goal = k?.goal ?? f.goal;
      out.push({ figure: f.label, goal: goalText(goal, f.unit), measured: `${fmt(f.value)} ${f.unit}`.trim(), anchor: k?.anchor ?? '—', verdict: verdict(f.value, goal) });
    }
    if (o.failed || o.figures.length === 0) {
      out.push({
        figure: `${o.bench.name}: ${o.figures.length ? 'partly measured' : 'not measured'}`,
        goal: '—',
        measured: o.failed ?? 'printed no BENCH-JSON figure',
        anchor: '—',
        verdict: '—',
      });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // --only names benches outright; a quick run leaves out the ones marked full-only.
  const selected = BENCHES.filter((b) => (only ? only.has(b.name) : !(QUICK && b.fullOnly)));
  const outcomes: Outcome[] = [];
  for (const bench of selected) outcomes.push(await runBench(bench));
  const minutes = (performance.now() - t0) / 60_000;
  process.stdout.write(
    `\n\n${QUICK ? 'Quick' : 'Full'} bench run: ${minutes.toFixed(1)} min; load average at the end ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  for (const o of outcomes) process.stdout.write(`  ${o.bench.name.padEnd(24)} ${o.seconds.toFixed(0).padStart(4)} s${o.failed ? `  (${o.failed})` : ''}\n`);
  process.stdout.write(`\n${table(rows(outcomes))}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
