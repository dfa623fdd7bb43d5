import { describeResources, type RunResources } from '../../shared/domain/image';
import { EngineError } from '../errors';

const MIB = 1024 * 1024;

/**
 * The local cloud's word on a recipe's `run.resources`: its instances are plain processes on this
 * machine, with nothing to hold them to a share of CPU or memory, so the limits are not applied and
 * the instance's log says so rather than pretending.
 */
export function notEnforced(r: RunResources | undefined): string | undefined {
  if (!r || (r.cpu === undefined && r.memoryMiB === undefined)) return undefined;
  return `run.resources (${describeResources(r)}) are not enforced by the local cloud: an instance is a plain process sharing this machine's CPU and memory`;
}

/** A container's share: NanoCpus (billionths of a CPU) and Memory (bytes), as the Docker Engine API takes them; nothing when the image says nothing. */
export function containerLimits(r: RunResources | undefined): { NanoCpus?: number; Memory?: number } {
  return {
    ...(r?.cpu !== undefined ? { NanoCpus: Math.round(r.cpu * 1e9) } : {}),
    ...(r?.memoryMiB !== undefined ? { Memory: r.memoryMiB * MIB } : {}),
  };
}

/**
 * A pod's requests and limits, equal (the Guaranteed QoS class: what the recipe asked for is what it
 * gets, and a namespace whose ResourceQuota requires limits admits it); undefined when the image says nothing.
 */
export function podResources(r: RunResources | undefined): { requests: Record<string, string>; limits: Record<string, string> } | undefined {
  if (!r || (r.cpu === undefined && r.memoryMiB === undefined)) return undefined;
  const amounts: Record<string, string> = {
    ...(r.cpu !== undefined ? { cpu: `${Math.round(r.cpu * 1000)}m` } : {}),
    ...(r.memoryMiB !== undefined ? { memory: `${r.memoryMiB}Mi` } : {}),
  };
  return { requests: amounts, limits: { ...amounts } };
}

/**
 * A VM's size: vCPUs (a VM has whole ones, so 0.5 becomes 1) and memory, the account's defaults where
 * the image says nothing. Refused, naming the image, when this machine cannot give that much: QEMU
 * would start and then starve the host or fail to allocate halfway through a boot.
 */
export function vmSize(
  r: RunResources | undefined,
  defaults: { cpus: number; memoryMiB: number },
  host: { cpus: number; memoryMiB: number },
  image: string,
): { cpus: number; memoryMiB: number } {
  const cpus = r?.cpu !== undefined ? Math.ceil(r.cpu) : defaults.cpus;
  const memoryMiB = r?.memoryMiB ?? defaults.memoryMiB;
  if (cpus > host.cpus)
    throw new EngineError(
      'bad_request',
      `image '${image}' asks for ${r?.cpu} CPU (run.resources.cpu) but this machine has ${host.cpus}: a VM cannot have more vCPUs than the host`,
      'image',
    );
  if (memoryMiB > host.memoryMiB)
    throw new EngineError('bad_request', `image '${image}' asks for ${memoryMiB} MiB (run.resources.memoryMiB) but this machine has ${host.memoryMiB} MiB in all`, 'image');
  return { cpus, memoryMiB };
}
