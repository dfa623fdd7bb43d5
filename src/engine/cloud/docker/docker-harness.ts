import Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderHarness } from '../contract/provider-contract';
import { anyOf, archiveImages, type ContainerImageSource } from './container-images';
import { RUN_SETTINGS, RUN_SETTINGS_IMAGE } from '../contract/run-settings-contract';
import { createDockerProvider, type DockerProvider, type DockerProviderOptions } from './docker-provider';
import { LABEL } from './docker-engine';
import { sampleAppArchive } from './test-image';
import { balancerPids } from '../test-kiln-process';
import { asContractHarness, openProviderDatabase } from '../test-provider-harness';

export { borrowed } from '../test-provider-harness';

/** The engine the container tests run against (with-podman.sh sets it); undefined skips them, saying why. */
export const TEST_DOCKER_HOST = process.env.KILN_TEST_DOCKER_HOST;
export const SKIP_REASON = 'KILN_TEST_DOCKER_HOST is unset: run through src/tools/with-podman.sh to test the container provider against a real Podman';

export const FAST_CONTAINERS = { readyTimeoutMs: 30_000, healthIntervalMs: 250, unhealthyThreshold: 2, healthTimeoutMs: 2000, goneLingerMs: 500 };

// Each vitest worker gets its own host ports for published containers (see test-cloud.ts for why).
let portBase = 31000 + ((Number(process.env.VITEST_POOL_ID ?? process.pid) - 1) % 4) * 1000;

/**
 * A container provider on a throwaway database, for account `containers` (region east) on the
 * test engine, running the sample app's OCI archive as `sample-app:<any version>`. Everything it
 * made is removed by close(), which also reports containers of this Kiln left in the engine.
 */
export async function openDockerHarness(options: Partial<DockerProviderOptions> = {}) {
  if (!TEST_DOCKER_HOST) throw new Error(SKIP_REASON);
  const { db, repos, close: closeDb, account } = await openProviderDatabase({ name: 'containers', provider: 'docker', endpoint: { dockerHost: TEST_DOCKER_HOST } });
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-docker-test-'));
  const ports = { from: portBase, to: portBase + 39 };
  portBase += 40;
  const archive = await sampleAppArchive();
  const docker = new Docker({ socketPath: TEST_DOCKER_HOST.replace(/^unix:\/\//, '') });
  const kilnId = await repos.cloudProcesses.installationId();
  const make = (extra: Partial<DockerProviderOptions> = {}): DockerProvider =>
    createDockerProvider({
      repos,
      account,
      images: anyOf(archiveImages({ 'sample-app': archive }), withRunSettings(archiveImages({ [RUN_SETTINGS_IMAGE]: archive }))),
      dataDir,
      ports,
      timings: FAST_CONTAINERS,
      drainTimeoutMs: 5000,
      // A loaded machine (tests in parallel on one Podman) can take seconds to start a container.
      startGraceMs: 30_000,
      ...options,
      ...extra,
    });
  const made: DockerProvider[] = [];
  /** A provider not started yet (as a Kiln process makes one on the account's first use), closed with the harness. */
  const unstarted = (extra?: Partial<DockerProviderOptions>) => {
    const p = make(extra);
    made.push(p);
    return p;
  };
  const fresh = async (extra?: Partial<DockerProviderOptions>) => {
    const p = unstarted(extra);
    await p.start();
    return p;
  };
  const provider = await fresh();
  /** Containers of this Kiln in the engine, by name (labels are the only way Kiln finds them). */
  const containers = async () =>
    (await docker.listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${kilnId}`] } })).map((c) => `${c.Labels[LABEL.serverGroup]}:${c.State}`).sort();
  let closed = false;
  return {
    db,
    repos,
    docker,
    kilnId,
    provider,
    dataDir,
    account: account.name,
    region: 'east',
    application: 'web',
    image: 'sample-app:v1',
    runSettingsImage: `${RUN_SETTINGS_IMAGE}:v1`,
    /** What the engine says an instance's container may use (NanoCpus, Memory), in cores and MiB. */
    async limitsOf(instanceId: string) {
      const [c] = await docker.listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${kilnId}`, `${LABEL.instance}=${instanceId}`] } });
      if (!c) throw new Error(`no container of instance ${instanceId}`);
      const host = (await docker.getContainer(c.Id).inspect()).HostConfig;
      return { cpu: (host.NanoCpus ?? 0) / 1e9, memoryMiB: (host.Memory ?? 0) / (1024 * 1024) };
    },
    containers,
    fresh,
    unstarted,
    async restart(): Promise<DockerProvider> {
      // A hand-over: the old provider lets go without stopping anything; the new one adopts it all.
      for (const p of made.splice(0)) await p.detach();
      return fresh();
    },
    /** Destroys every group the provider runs (through the provider): what a test leaves running on purpose. */
    async destroyAll(): Promise<void> {
      const current = made.at(-1);
      if (!current) return;
      for (const sg of await repos.serverGroups.listManaged('docker')) await current.destroyServerGroup(sg);
    },
    /** Closes every provider; returns the containers of this Kiln still in the engine (then removes them). */
    async close(): Promise<string[]> {
      if (closed) return [];
      closed = true;
      for (const p of made.splice(0)) await p.close();
      // A balancer process that outlived its provider's close is a leak too: reported, then ended.
      const balancers = balancerPids(dataDir);
      for (const pid of balancers) process.kill(pid, 'SIGKILL');
      const left = [...(await containers()), ...balancers.map((pid) => `balancer process ${pid}`)];
      const ours = await docker.listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${kilnId}`] } });
      await Promise.all(
        ours.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
      return left;
    },
  };
}
export type DockerHarness = Awaited<ReturnType<typeof openDockerHarness>>;

/** The images of a source with the contract's run settings, as the bakery's registry gives a recipe's `run`. */
const withRunSettings = (source: ContainerImageSource): ContainerImageSource => ({
  async resolve(ref) {
    const image = await source.resolve(ref);
    return image && { ...image, ...RUN_SETTINGS };
  },
});

/** The harness in the contract suite's shape: close() also destroys what the suite left, so no container outlives it. */
export async function makeDockerContractHarness(): Promise<ProviderHarness> {
  return asContractHarness(await openDockerHarness(), 'containers in the engine');
}
