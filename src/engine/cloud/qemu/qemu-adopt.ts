import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Repositories } from '../../../db/types';
import { probe } from '../instance-process';
import { DEFAULT_HEALTH_PATH, groupHealthPath } from '../health-path';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import { identityOf, type MetadataService } from '../metadata-service';
import type { PortAllocator } from '../ports';
import type { DiskImageSource } from './disk-images';
import type { VmGroup, VmRuntime } from './qemu-runtime';
import { isOurVm, readPid, readRecord, removeVmDir, stopVm, vmPaths } from './vm-process';

/**
 * Takes back the VMs an earlier Kiln left running, from their records in the state dir: a VM is
 * adopted only while its pid's command line still names its own disk (a reused pid is not ours).
 * VMs of groups the database no longer has are powered off; dead ones' files are removed.
 */
export async function adoptVms(deps: {
  repos: Repositories;
  runtime: VmRuntime;
  metadata: MetadataService;
  images: DiskImageSource;
  ports: PortAllocator;
  stateDir: string;
  account: string;
  timings: RuntimeTimings;
  log: (line: string) => void;
}): Promise<void> {
  const { runtime, stateDir, account } = deps;
  for (const sg of (await deps.repos.serverGroups.listManaged('qemu')).filter((g) => g.account === account)) {
    const image = (await deps.images.resolve(`${sg.image.name}:${sg.image.version}`)) ?? { ref: sg.image, raw: '' };
    const g: VmGroup = { sg: { ...sg, instances: [] }, image, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
    g.healthPath = await groupHealthPath(deps.repos, sg, image.healthPath);
    runtime.groups.set(keyOf(sg), g);
  }
  const vms = join(stateDir, 'vms');
  for (const id of existsSync(vms) ? readdirSync(vms) : []) {
    const record = readRecord(stateDir, id);
    const pid = readPid(stateDir, id) ?? 0;
    const paths = vmPaths(stateDir, id);
    const ours = isOurVm(pid, paths.disk);
    const g = record ? runtime.groups.get(keyOf({ account, region: record.region, name: record.serverGroup })) : undefined;
    if (!record || !g || !ours) {
      if (ours) {
        deps.log(`powering off VM ${id}: its server group is gone`);
        await stopVm(pid, paths, 5000);
      }
      removeVmDir(stateDir, id);
      continue;
    }
    deps.ports.claim(record.port);
    // Its metadata URL (token included) is on its kernel command line: the same one must answer, or a reboot could never report.
    if (record.metadataUrl) deps.metadata.register(identityOf(g.sg, id), record.metadataUrl);
    const ready = record.readyAt !== undefined;
    const answer = ready ? await probe(record.port, g.healthPath ?? DEFAULT_HEALTH_PATH, deps.timings.healthTimeoutMs) : undefined;
    g.instances.push({
      id,
      pid,
      port: record.port,
      launchedAt: record.launchedAt,
      startedMs: Date.now(),
      // Reported ready to the earlier Kiln; one still booting must report again (its ready timeout starts now).
      readyMs: ready ? Date.now() : undefined,
      lastCheckOk: answer?.ok,
      failures: answer && !answer.ok ? 1 : 0,
      detail: answer ? `adopted: ${answer.detail}` : 'adopted while booting; waiting for report-ready',
      gone: false,
      retiring: false,
    });
    deps.log(`adopted VM ${id} (pid ${pid}) of ${g.sg.name} on port ${record.port}`);
  }
  for (const g of runtime.groups.values()) await runtime.persist(g);
}
