import type Docker from 'dockerode';
import type { Repositories } from '../../../db/types';
import { probe } from '../instance-process';
import { DEFAULT_HEALTH_PATH, groupHealthPath } from '../health-path';
import type { ContainerImageSource } from './container-images';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import type { PortAllocator } from '../ports';
import { LABEL } from './docker-engine';
import { JOB_LABEL } from './docker-jobs';
import type { ContainerGroup, ContainerRuntime } from './docker-runtime';

/**
 * Takes back what an earlier Kiln left running in this account's engine, by labels: a container
 * is ours only with this Kiln's id (another Kiln on the same engine keeps its own). Running
 * containers of groups the database still has are adopted, serving at once when they answer
 * their health check; containers of groups destroyed meanwhile, and stopped ones, are removed.
 */
export async function adoptContainers(deps: {
  docker: Docker;
  repos: Repositories;
  runtime: ContainerRuntime;
  ports: PortAllocator;
  kilnId: string;
  account: string;
  timings: RuntimeTimings;
  log: (line: string) => void;
  /** Where each group's image says it answers health and what it may use (an image no longer known: the balancer's path, no limits). */
  images?: ContainerImageSource;
}): Promise<void> {
  const { docker, runtime, kilnId, account } = deps;
  for (const sg of (await deps.repos.serverGroups.listManaged('docker')).filter((g) => g.account === account)) {
    const g: ContainerGroup = { sg: { ...sg, instances: [] }, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
    const image = await deps.images?.resolve(`${sg.image.name}:${sg.image.version}`).catch(() => undefined);
    g.healthPath = await groupHealthPath(deps.repos, sg, image?.healthPath);
    g.resources = image?.resources;
    runtime.groups.set(keyOf(sg), g);
  }
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${kilnId}`, `${LABEL.account}=${account}`] } });
  for (const c of containers) {
    const labels = c.Labels;
    // A run-job stage's container belongs to its stage, which reads its exit code and removes it.
    if (labels[JOB_LABEL]) continue;
    const g = runtime.groups.get(keyOf({ account, region: labels[LABEL.region] ?? '', name: labels[LABEL.serverGroup] ?? '' }));
    const port = Number(labels[LABEL.port]);
    const id = labels[LABEL.instance] ?? '';
    if (!g || c.State !== 'running' || !Number.isInteger(port) || !id) {
      deps.log(`removing container ${c.Names[0] ?? c.Id.slice(0, 12)} (${!g ? 'its server group is gone' : c.State})`);
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
      continue;
    }
    deps.ports.claim(port);
    const answer = await probe(port, g.healthPath ?? DEFAULT_HEALTH_PATH, deps.timings.healthTimeoutMs);
    g.instances.push({
      id,
      containerId: c.Id,
      port,
      launchedAt: new Date(c.Created * 1000).toISOString(),
      startedMs: Date.now(),
      // It reported ready to the earlier Kiln; one that does not answer now is judged by the next checks.
      readyMs: Date.now(),
      lastCheckOk: answer.ok,
      failures: answer.ok ? 0 : 1,
      detail: `adopted: ${answer.detail}`,
      gone: false,
      retiring: false,
    });
    deps.log(`adopted container ${id} of ${g.sg.name} on port ${port}`);
  }
  for (const g of runtime.groups.values()) await runtime.persist(g);
}
