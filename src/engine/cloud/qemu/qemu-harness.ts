import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderHarness } from '../contract/provider-contract';
import { balancerPids } from '../test-kiln-process';
import { asContractHarness, openProviderDatabase } from '../test-provider-harness';
import { fixedDiskImages } from './disk-images';
import { createQemuProvider } from './qemu-provider';
import type { QemuProvider, QemuProviderOptions } from './qemu-provider-options';
import { testVmImage } from './test-vm-image';
import { readPid } from './vm-process';
import { RUN_SETTINGS, RUN_SETTINGS_IMAGE } from '../contract/run-settings-contract';

const hasQemu = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v qemu-system-x86_64 && command -v qemu-img'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/** Why the VM tests are skipped, or undefined when this machine can run them. */
export const QEMU_SKIP_REASON = hasQemu ? undefined : 'qemu-system-x86_64 or qemu-img is not installed (src/tools/ensure-qemu.sh installs them)';

/** Boots take ~8 s each under TCG on two cores; other tests may be booting VMs meanwhile, so checks are lenient. */
export const FAST_VMS = { readyTimeoutMs: 60_000, healthIntervalMs: 250, unhealthyThreshold: 3, healthTimeoutMs: 5000, goneLingerMs: 500 };

// Above the container harness's 31000–34999 (docker-harness.ts): the VM pass runs beside the container tests.
let portBase = 36000 + ((Number(process.env.VITEST_POOL_ID ?? process.pid) - 1) % 4) * 500;

/** QEMU processes whose command line names a path under `dir`: what a test must leave none of. */
export function qemuPidsUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return args[0]?.includes('qemu-system') === true && args.some((a) => a.includes(dir));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * A VM provider on a throwaway database, for account `vms` (region east), booting the busybox test
 * image as `sample-app:<any version>`; `huge-app` asks for more CPU than the host has, `silent-app` never reports ready, `panic-app` has no init
 * (its kernel panics), `nokernel-app` has no kernel. close() reports any QEMU process left behind.
 */
export async function openQemuHarness(options: Partial<QemuProviderOptions> = {}) {
  const { db, repos, close: closeDb, account, url } = await openProviderDatabase({ name: 'vms', provider: 'qemu' });
  const stateDir = mkdtempSync(join(tmpdir(), 'kiln-qemu-test-'));
  const ports = { from: portBase, to: portBase + 39 };
  portBase += 40;
  const ready = testVmImage('ready');
  const images = fixedDiskImages({
    'sample-app': ready,
    'silent-app': testVmImage('silent'),
    'panic-app': testVmImage('no-init'),
    'nokernel-app': { raw: ready.raw },
    [RUN_SETTINGS_IMAGE]: { ...testVmImage('ready-path'), ...RUN_SETTINGS },
    // Asks for one vCPU more than this machine has.
    'huge-app': { ...ready, resources: { cpu: availableParallelism() + 1 } },
  });
  const made: QemuProvider[] = [];
  // TCG, not auto: this host's /dev/kvm hangs a probe boot until its timeout, seconds per test file (kvm-probe.test.ts covers auto).
  const fresh = async (extra: Partial<QemuProviderOptions> = {}) => {
    const p = createQemuProvider({
      repos,
      account,
      images,
      stateDir,
      ports,
      timings: FAST_VMS,
      vm: { stopGraceMs: 5000, accel: 'tcg' },
      drainTimeoutMs: 5000,
      ...options,
      ...extra,
    });
    made.push(p);
    await p.start();
    return p;
  };
  const provider = await fresh();
  let closed = false;
  return {
    db,
    repos,
    /** The database's URL on PostgreSQL (a second pool is a second Kiln process); undefined on PGlite. */
    url,
    provider,
    stateDir,
    images,
    account: account.name,
    region: 'east',
    application: 'web',
    image: 'sample-app:v1',
    runSettingsImage: `${RUN_SETTINGS_IMAGE}:v1`,
    /** The vCPUs (-smp) and memory (-m) on the VM's QEMU command line. */
    async limitsOf(instanceId: string) {
      const pid = readPid(stateDir, instanceId);
      if (!pid) throw new Error(`no QEMU process of instance ${instanceId}`);
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const after = (flag: string) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined);
      return { cpu: after('-smp'), memoryMiB: after('-m') };
    },
    fresh,
    qemuPids: () => qemuPidsUnder(stateDir),
    /** A hand-over to a new provider (optionally with other options): the old one lets go, nothing stops. */
    async restart(extra?: Partial<QemuProviderOptions>): Promise<QemuProvider> {
      for (const p of made.splice(0)) await p.detach();
      return fresh(extra);
    },
    async destroyAll(): Promise<void> {
      const current = made.at(-1);
      if (!current) return;
      for (const sg of await repos.serverGroups.listManaged('qemu')) await current.destroyServerGroup(sg);
    },
    /** Closes every provider; returns what it left running (QEMU and balancer processes), then kills it. */
    async close(): Promise<string[]> {
      if (closed) return [];
      closed = true;
      for (const p of made.splice(0)) await p.close();
      const left = [...qemuPidsUnder(stateDir).map((pid) => `qemu process ${pid}`), ...balancerPids(stateDir).map((pid) => `balancer process ${pid}`)];
      for (const pid of [...qemuPidsUnder(stateDir), ...balancerPids(stateDir)]) process.kill(pid, 'SIGKILL');
      await closeDb();
      rmSync(stateDir, { recursive: true, force: true });
      return left;
    },
  };
}
export type QemuHarness = Awaited<ReturnType<typeof openQemuHarness>>;

/** The harness in the contract suite's shape: close() destroys what the suite left, and fails if a VM outlived it. */
export async function makeQemuContractHarness(): Promise<ProviderHarness> {
  return asContractHarness(await openQemuHarness(), 'processes');
}
