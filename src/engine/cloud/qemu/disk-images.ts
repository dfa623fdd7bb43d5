import type { ImageRef, RunResources } from '../../../shared/domain/image';

/** A disk image the VM provider can boot: its raw partition (the base of every instance's overlay) and its kernel. */
export interface DiskImage {
  ref: ImageRef;
  /** The decompressed packed partition (raw ext4), never written: instances boot from overlays on it. */
  raw: string;
  /** Absent when the image has none: such an image cannot boot, and a create names that. */
  kernel?: string | undefined;
  initrd?: string | undefined;
  /** How it boots; absent: NVME_BOOT. */
  boot?: VmBootDeclaration | undefined;
  /** The recipe's `run.healthPath`; absent: the balancer's path, else /health (health-path.ts). */
  healthPath?: string | undefined;
  /** The recipe's `run.resources`: the VM's vCPUs (-smp, whole cores rounded up) and memory (-m). */
  resources?: RunResources | undefined;
}

/** What an image says about its own boot: the bus its root disk sits on and the kernel command line before Kiln's own words. */
export interface VmBootDeclaration {
  disk: 'virtio' | 'nvme';
  commandLine: string;
}

/** An image with a kernel but no initramfs: Debian's cloud kernel has the NVMe driver built in, virtio-blk only as a module. */
export const NVME_BOOT: VmBootDeclaration = { disk: 'nvme', commandLine: 'console=ttyS0 root=/dev/nvme0n1 rootfstype=ext4 rw panic=-1' };

/** Where the VM provider finds images; undefined for an image it does not know. */
export interface DiskImageSource {
  resolve(ref: string): Promise<DiskImage | undefined>;
}

/** Fixed images by name, any version (tests and benchmarks build one and run it as every version). */
export function fixedDiskImages(byName: Record<string, Omit<DiskImage, 'ref'>>): DiskImageSource {
  return {
    async resolve(ref) {
      const at = ref.lastIndexOf(':');
      const name = at > 0 ? ref.slice(0, at) : ref;
      const version = at > 0 ? ref.slice(at + 1) : '';
      const image = byName[name];
      if (!image || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) return undefined;
      return { ref: { name, version }, ...image };
    },
  };
}
