import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/**
 * Adds up the JSON reports of every suite `npm test` ran and prints one closing line
 * ("N passed, N failed") so a reader of CI output sees the whole run at a glance. Above it, where
 * the time went: each step's wall time (steps.tsv, written by test.sh) and the slowest test files,
 * because npm test has a time budget and the tail of CI output is what a reader gets to see.
 */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults?: { name: string; startTime: number; endTime: number }[];
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: test-summary REPORT_DIR\n');
  process.exit(2);
}
const files: { name: string; seconds: number }[] = [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as VitestReport | PlaywrightReport;
  if ('stats' in report) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected;
    skipped += report.stats.skipped;
  } else {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests;
    for (const r of report.testResults ?? []) files.push({ name: r.name.replace(`${process.cwd()}/`, ''), seconds: (r.endTime - r.startTime) / 1000 });
  }
}
const steps = existsSync(join(dir, 'steps.tsv')) ? readFileSync(join(dir, 'steps.tsv'), 'utf8').trim().split('\n') : [];
if (steps.length > 0) {
  const total = steps.reduce((sum, line) => sum + Number(line.split('\t')[0]), 0);
  process.stdout.write(`\nTime per step (${Math.round(total / 60)} min in all; cores: the machine's average busy cores in the step, ${availableParallelism()} here):\n`);
  for (const line of steps) {
    const [seconds, name, busy] = line.split('\t');
    const cores = busy && Number(seconds) > 0 ? `${(Number(busy) / Number(seconds)).toFixed(1)} cores` : '';
    process.stdout.write(`  ${seconds!.padStart(5)} s ${cores.padStart(10)}  ${name}\n`);
  }
}
if (files.length > 0) {
  process.stdout.write('Slowest test files:\n');
  for (const f of files.sort((a, b) => b.seconds - a.seconds).slice(0, 12)) process.stdout.write(`  ${f.seconds.toFixed(0).padStart(5)} s  ${f.name}\n`);
}
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 ? 1 : 0);
