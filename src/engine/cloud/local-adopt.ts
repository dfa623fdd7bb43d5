import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { DEFAULT_HEALTH_PATH } from './health-path';
import { quarantinedRows } from '../../db/quarantine';
import { isAlive, probe, terminate } from './instance-process';
import { keyOf, type LiveGroup, type Runtime, type RuntimeTimings } from './local-runtime';
import type { PortAllocator } from './ports';

/**
 * Loads the managed groups from the database and takes back the instance processes an earlier
 * Kiln left running: a process counts as ours only if its pid is alive and its port answers the
 * health check with its instance id (a pid may have been reused). The rest are forgotten and the
 * next reconcile launches replacements; processes of groups destroyed meanwhile are stopped.
 */
export async function adoptInstances(deps: {
  repos: Repositories;
  runtime: Runtime;
  ports: PortAllocator;
  timings: RuntimeTimings;
  log: (line: string) => void;
  /** Where a group's health is asked (health-path.ts); /health when absent. */
  healthPathOf?: (sg: ServerGroup) => Promise<string>;
}): Promise<void> {
  const { repos, runtime, ports, timings, log } = deps;
  const processes = await repos.cloudProcesses.list();
  // The answer is the instance's first health check under this Kiln: an adopted instance stays
  // routable at once, so the balancers (which kept serving) are not told it is gone meanwhile.
  const ours = async (p: (typeof processes)[number], path = DEFAULT_HEALTH_PATH) => {
    if (!isAlive(p.pid)) return undefined;
    const answer = await probe(p.port, path, timings.healthTimeoutMs);
    return answer.instanceId === p.instanceId ? answer : undefined;
  };

  for (const sg of await repos.serverGroups.listManaged('local')) {
    const g: LiveGroup = { sg: { ...sg, instances: [] }, instances: [], destroying: false, saved: '', saving: Promise.resolve(), running: Promise.resolve(), queued: false };
    g.healthPath = (await deps.healthPathOf?.(sg)) ?? DEFAULT_HEALTH_PATH;
    runtime.groups.set(keyOf(sg), g);
    for (const p of processes.filter((x) => keyOf({ ...x, name: x.serverGroup }) === keyOf(sg))) {
      const answer = await ours(p, g.healthPath);
      if (!answer) {
        await repos.cloudProcesses.forget(p.instanceId);
        continue;
      }
      const before = sg.instances.find((i) => i.id === p.instanceId);
      ports.claim(p.port);
      g.instances.push({
        id: p.instanceId,
        port: p.port,
        pid: p.pid,
        workDir: p.workDir,
        launchedAt: before?.launchedAt ?? new Date().toISOString(),
        startedMs: Date.now(),
        readyMs: Date.now(),
        lastCheckOk: answer.ok,
        failures: 0,
        detail: 'adopted after a Kiln restart',
        gone: false,
        retiring: false,
      });
      log(`adopted ${p.instanceId} (${sg.name}) on port ${p.port}`);
    }
  }
  // A group whose row does not parse is not managed, but its instances may be serving production: leave them running.
  const quarantined = new Set(
    quarantinedRows()
      .filter((q) => q.table === 'server_groups')
      .map((q) => q.key),
  );
  for (const p of processes.filter((x) => !runtime.groups.has(keyOf({ ...x, name: x.serverGroup })))) {
    if (quarantined.has(keyOf({ ...p, name: p.serverGroup }))) {
      log(`left ${p.instanceId} (${p.serverGroup}) running unmanaged: its server group's row is quarantined`);
      continue;
    }
    if (await ours(p)) await terminate(p.pid);
    await repos.cloudProcesses.forget(p.instanceId);
  }
}
