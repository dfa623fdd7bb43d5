// Container provider figures beside the local cloud's, in one run: a deploy stage's start → 3
// instances healthy and enabled (the image already loaded), the load balancer → instances at
// 1,000 req/s (load sent from another process), and a red/black at 1,000 req/s (failed requests).
//   bash src/tools/with-podman.sh npx tsx src/engine/cloud/bench/containers.ts [rps]   (default 1000)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Execution } from '../../../shared/domain/execution';
import type { LoadReport } from '../load-generator';
import { startLoad } from '../load-generator';
import { createProviders } from '../providers';
import { openTestCloud } from '../test-cloud';
import { deployEngine } from '../test-deploys';
import { borrowed, openDockerHarness, TEST_DOCKER_HOST } from '../docker/docker-harness';
import { detectFlavour } from '../docker/engine-flavour';

const RPS = Number(process.argv[2]) || 1000;
const SECONDS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function loadFromChild(url: string, rps: number): Promise<LoadReport> {
  const script = join(import.meta.dirname, 'load-child.ts');
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', script, url, String(rps), String(SECONDS)], (err, out) => (err ? reject(err) : resolve(JSON.parse(out) as LoadReport))),
  );
}

const config = (account: string, region: string, image: string, extra: Record<string, unknown> = {}) => ({
  account,
  region,
  stack: 'bench',
  image,
  capacity: { min: 3, desired: 3, max: 3 },
  loadBalancers: ['web-bench'],
  strategy: 'redblack',
  ...extra,
});

interface Figures {
  deployMs: number;
  direct: LoadReport;
  balanced: LoadReport;
  redBlack: LoadReport;
}

/** The same three measurements on any provider, through the real deploy stage. */
async function measure(d: ReturnType<typeof deployEngine>, lbAddress: () => Promise<string>, account: string, region: string, instance: () => Promise<string>): Promise<Figures> {
  const ok = (e: Execution) => {
    if (e.status !== 'SUCCEEDED') throw new Error(`deploy ${e.status}: ${e.stages[0]?.error ?? ''}`);
  };
  const t0 = Date.now();
  ok(await d.run('deploy', config(account, region, 'sample-app:v1'), 120_000));
  const deployMs = Date.now() - t0;
  const lb = await lbAddress();
  const direct = await loadFromChild(`http://${await instance()}`, RPS);
  const balanced = await loadFromChild(`http://${lb}`, RPS);
  const load = startLoad({ url: `http://${lb}`, rps: RPS });
  await sleep(500);
  ok(await d.run('deploy', config(account, region, 'sample-app:v2', { maxRemainingAsgs: 1 }), 120_000));
  await sleep(500);
  return { deployMs, direct, balanced, redBlack: await load.stop() };
}

const row = (what: string, r: LoadReport) =>
  `  ${what.padEnd(36)} ${String(r.sent).padStart(6)} sent ${String(r.failed).padStart(4)} failed   p50 ${String(r.latencyMsP50).padStart(4)} ms   p99 ${String(r.latencyMsP99).padStart(5)} ms`;
function print(name: string, f: Figures) {
  console.log(`${name}`);
  console.log(`  deploy start → 3 instances healthy and enabled: ${f.deployMs} ms`);
  console.log(row(`direct to one instance @ ${RPS}/s`, f.direct));
  console.log(row(`through the load balancer @ ${RPS}/s`, f.balanced));
  console.log(row(`red/black @ ${RPS}/s`, f.redBlack));
}

async function main() {
  if (!TEST_DOCKER_HOST) throw new Error('KILN_TEST_DOCKER_HOST is unset: run through src/tools/with-podman.sh');
  console.log(`node ${process.version}; ${SECONDS} s per load run; sample-app, 3 instances\n`);

  const local = await openTestCloud();
  const dl = deployEngine(local.repos, local.cloud);
  try {
    const lbAddress = async () => (await local.repos.loadBalancers.get({ account: 'prod', region: 'east', name: 'web-bench' }))!.address;
    const instance = async () => (await local.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-bench-v001' }))!.instances[0]!.address;
    print('local cloud (processes)', await measure(dl, lbAddress, 'prod', 'east', instance));
  } finally {
    await dl.engine.stop();
    await local.close();
  }

  const h = await openDockerHarness();
  const provider = h.provider;
  const dd = deployEngine(h.repos, createProviders(h.repos, undefined, { docker: () => borrowed(provider) }));
  try {
    const loadStarted = Date.now();
    await provider.resolveImage('sample-app:v1'); // loads the OCI archive: not part of the deploy figure
    await provider.resolveImage('sample-app:v2');
    console.log(`\n(image load into the engine: ${Date.now() - loadStarted} ms, before the deploy)`);
    const lbAddress = async () => (await h.repos.loadBalancers.get({ account: 'containers', region: 'east', name: 'web-bench' }))!.address;
    const instance = async () => (await h.repos.serverGroups.get({ account: 'containers', region: 'east', name: 'web-bench-v001' }))!.instances[0]!.address;
    const flavour = await detectFlavour(h.docker);
    print(`containers (${flavour.engine} ${flavour.version})`, await measure(dd, lbAddress, 'containers', 'east', instance));
  } finally {
    await dd.engine.stop();
    await h.destroyAll();
    const left = await h.close();
    if (left.length > 0) console.log(`containers left: ${left.join(', ')}`);
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
