// Load-balancer figures: throughput and latency through the local cloud's reverse proxy compared
// with one instance directly, the same while Kiln's main thread is 80% busy (the balancers run on
// their own process), then 20 consecutive red/black swaps (v1 → v2 → v1 …) under one steady load,
// counting failed requests per swap and in total.
//   npx tsx src/engine/cloud/bench/load-balancer.ts [rps…] [--swaps N] [--swaps-only] [--slow-health]   (default: 200 500 1000, 20 swaps)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account } from '../../../shared/domain/account';
import { NewApplication } from '../../../shared/domain/application';
import { NewProject } from '../../../shared/domain/project';
import { openTestDatabase } from '../../../db/test-database';
import { createLocalCloud } from '../local';
import { startLoad, type LoadReport } from '../load-generator';

const args = process.argv.slice(2);
const swapsAt = args.indexOf('--swaps');
const SWAPS = swapsAt >= 0 ? Number(args[swapsAt + 1]) : 20;
const SWAPS_ONLY = args.includes('--swaps-only');
// New groups whose health endpoint takes 600 ms (an app warming up): widens the window between an
// instance's report-ready and its first health check, where an enable used to route to nobody.
const SLOW_HEALTH = args.includes('--slow-health');
const rates = args
  .filter((a, i) => i !== swapsAt + 1 || swapsAt < 0)
  .map(Number)
  .filter((n) => n > 0);
const RATES = rates.length > 0 ? rates : [200, 500, 1000];
const SECONDS = 3;
const key = (name: string) => ({ account: 'bench', region: 'local', name });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (what: string, r: LoadReport) =>
  `${what.padEnd(44)} ${String(r.sent).padStart(6)} sent ${String(r.ok).padStart(6)} ok ${String(r.failed).padStart(4)} failed   p50 ${String(r.latencyMsP50).padStart(4)} ms   p99 ${String(r.latencyMsP99).padStart(5)} ms`;

/** Load from another process: its latencies do not include this process's event loop. */
function loadFromChild(url: string, rps: number): Promise<LoadReport> {
  const script = join(import.meta.dirname, 'load-child.ts');
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', script, url, String(rps), String(SECONDS)], (err, out) => (err ? reject(err) : resolve(JSON.parse(out) as LoadReport))),
  );
}

/** Keeps this (Kiln's) main thread busy 40 ms of every 50, as a long engine tick or a bake hashing a file would. */
function busyMainThread(): () => void {
  const timer = setInterval(() => {
    const until = Date.now() + 40;
    while (Date.now() < until);
  }, 50);
  return () => clearInterval(timer);
}

async function main() {
  const { repos, close } = await openTestDatabase();
  await repos.projects.create(NewProject.parse({ name: 'bench', displayName: 'Bench', ownerEmail: 'bench@example.com' }));
  await repos.applications.create(NewApplication.parse({ name: 'bench', project: 'bench', ownerEmail: 'bench@example.com' }));
  await repos.accounts.upsert(Account.parse({ name: 'bench', provider: 'local', environment: 'test', regions: ['local'], demo: false }));
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-lb-bench-'));
  const cloud = createLocalCloud({ repos, dataDir, ports: { from: 28000, to: 28099 }, timings: { healthIntervalMs: 500 } });
  await cloud.start();
  try {
    const lb = await cloud.ensureLoadBalancer({ application: 'bench', account: 'bench', region: 'local', name: 'bench-lb' });
    const spec = { application: 'bench', account: 'bench', region: 'local', capacity: { min: 1, desired: 2, max: 2 }, loadBalancers: ['bench-lb'] };
    await cloud.createServerGroup({ ...spec, name: 'bench-v001', image: 'sample-app:v1', disabled: true });
    const ready = async (name: string) => {
      while (((await cloud.getServerGroup(key(name)))?.instances.filter((i) => i.health !== 'starting').length ?? 0) < 2) await sleep(100);
    };
    await ready('bench-v001');
    await cloud.enableServerGroup(key('bench-v001'));
    const instance = (await cloud.listInstances(key('bench-v001')))[0]!;

    console.log(`node ${process.version}, ${SECONDS} s per run, 2 instances of sample-app behind ${lb.address}\n`);
    if (!SWAPS_ONLY) {
      for (const rps of RATES) {
        for (const [what, url] of [
          [`direct to one instance @ ${rps}/s`, `http://${instance.address}`],
          [`through the load balancer @ ${rps}/s`, `http://${lb.address}`],
        ] as const) {
          const load = startLoad({ url, rps });
          await sleep(SECONDS * 1000);
          console.log(line(what, await load.stop()));
        }
      }
      const rps = RATES.at(-1)!;
      console.log('');
      console.log(line(`other process, Kiln's main thread idle @ ${rps}/s`, await loadFromChild(`http://${lb.address}`, rps)));
      const stopBusy = busyMainThread();
      console.log(line(`other process, Kiln's main thread busy @ ${rps}/s`, await loadFromChild(`http://${lb.address}`, rps)));
      stopBusy();
    }

    // One steady load across every swap: a failure between two swaps counts too (in the next swap's figure).
    const rps = RATES.at(-1)!;
    console.log(
      `\n${SWAPS} consecutive red/black swaps @ ${rps}/s (launch, report ready, enable new, disable old, drain, destroy old)${SLOW_HEALTH ? ', health checks taking 600 ms' : ''}`,
    );
    const load = startLoad({ url: `http://${lb.address}`, rps });
    await sleep(500);
    let live = 'bench-v001';
    let failedBefore = 0;
    const t0 = Date.now();
    for (let n = 1; n <= SWAPS; n += 1) {
      const next = `bench-v${String(n + 1).padStart(3, '0')}`;
      const image = n % 2 === 1 ? 'sample-app:v2' : 'sample-app:v1';
      const started = Date.now();
      const sentBefore = load.report.sent;
      await cloud.createServerGroup({ ...spec, name: next, image, disabled: true, ...(SLOW_HEALTH ? { userData: 'kiln-sample: slow-health' } : {}) });
      await ready(next);
      await cloud.enableServerGroup(key(next));
      await cloud.disableServerGroup(key(live));
      await cloud.destroyServerGroup(key(live));
      const failed = load.report.failed - failedBefore;
      failedBefore = load.report.failed;
      console.log(
        `swap ${String(n).padStart(2)}: ${live} → ${next} (${image})  ${String(load.report.sent - sentBefore).padStart(5)} sent  ${String(failed).padStart(4)} failed  ${Date.now() - started} ms`,
      );
      live = next;
    }
    const swapsMs = Date.now() - t0;
    await sleep(500);
    const report = await load.stop();
    console.log(`\n${line(`${SWAPS} red/black swaps @ ${rps}/s, total`, report)}`);
    console.log(`${SWAPS} swaps took ${swapsMs} ms; ${report.failed} failed requests in total`);
    if (report.failures.length > 0) console.log(`failures (first ${report.failures.length}): ${[...new Set(report.failures)].join('; ')}`);
    // For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
    console.log(
      `BENCH-JSON ${JSON.stringify({ id: 'lb.red-black.p99', label: `Load balancer p99 during a red/black swap @ ${rps}/s`, value: report.latencyMsP99, unit: 'ms', better: 'lower' })}`,
    );
    console.log(
      `BENCH-JSON ${JSON.stringify({ id: 'lb.red-black.failed', label: `Failed requests during a red/black swap @ ${rps}/s`, value: report.failed, unit: '', better: 'lower', goal: { max: 0 } })}`,
    );
  } finally {
    await cloud.close();
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Exits when done: something the local cloud leaves behind keeps the process alive, and `npm run bench` waits for it.
void main().then(() => process.exit(0));
