// Load-balancer figures: throughput and latency through the local cloud's reverse proxy compared
// with one instance directly, the same while Kiln's main thread is 80% busy (the balancers run on
// their own thread), then a red/black swap (v1 → v2) under load, counting failed requests.
//   npx tsx src/engine/cloud/bench/load-balancer.ts [rps…]      (default: 200 500 1000)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account } from '../../../shared/domain/account';
import { NewApplication } from '../../../shared/domain/application';
import { NewProject } from '../../../shared/domain/project';
import { openTestDatabase } from '../../../db/test-database';
import { createLocalCloud } from '../local';
import { describeTimeline, startLoad, type LoadReport } from '../load-generator';

const rates = process.argv.slice(2).map(Number).filter((n) => n > 0);
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
    for (const rps of RATES) {
      for (const [what, url] of [[`direct to one instance @ ${rps}/s`, `http://${instance.address}`], [`through the load balancer @ ${rps}/s`, `http://${lb.address}`]] as const) {
        const load = startLoad({ url, rps });
        await sleep(SECONDS * 1000);
        console.log(line(what, await load.stop()));
      }
    }

    const rps = RATES.at(-1)!;
    console.log('');
    console.log(line(`other process, main thread idle @ ${rps}/s`, await loadFromChild(`http://${lb.address}`, rps)));
    const stopBusy = busyMainThread();
    console.log(line(`other process, main thread busy @ ${rps}/s`, await loadFromChild(`http://${lb.address}`, rps)));
    stopBusy();

    const load = startLoad({ url: `http://${lb.address}`, rps });
    await sleep(500);
    const t0 = Date.now();
    await cloud.createServerGroup({ ...spec, name: 'bench-v002', image: 'sample-app:v2', disabled: true });
    await ready('bench-v002');
    await cloud.enableServerGroup(key('bench-v002'));
    await cloud.disableServerGroup(key('bench-v001'));
    await cloud.destroyServerGroup(key('bench-v001'));
    const swapMs = Date.now() - t0;
    await sleep(500);
    const report = await load.stop();
    console.log(`\n${line(`red/black v1 → v2 @ ${rps}/s`, report)}`);
    console.log(`swap (launch, healthy, enable, disable, drain, destroy) took ${swapMs} ms; answers: ${describeTimeline(report.timeline)}`);
    if (report.failures.length > 0) console.log(`failures (first ${report.failures.length}): ${[...new Set(report.failures)].join('; ')}`);
    // For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
    console.log(`BENCH-JSON ${JSON.stringify({ id: 'lb.red-black.p99', label: `Load balancer p99 during a red/black swap @ ${rps}/s`, value: report.latencyMsP99, unit: 'ms', better: 'lower' })}`);
    console.log(`BENCH-JSON ${JSON.stringify({ id: 'lb.red-black.failed', label: `Failed requests during a red/black swap @ ${rps}/s`, value: report.failed, unit: '', better: 'lower', goal: { max: 0 } })}`);
  } finally {
    await cloud.close();
    await close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Exits when done: something the local cloud leaves behind keeps the process alive, and `npm run bench` waits for it.
void main().then(() => process.exit(0));
