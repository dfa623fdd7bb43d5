import { existsSync } from 'node:fs';
import { GUEST_METADATA_ADDRESS, guestMetadataUrl } from '../../../shared/provisioning/metadata-protocol';
import { NVME_BOOT, type VmBootDeclaration } from './disk-images';

/** What one VM is booted with; everything the command line needs and nothing else. */
export interface VmSpec {
  instanceId: string;
  /** The per-instance qcow2 overlay over the image's raw partition. */
  disk: string;
  kernel: string;
  initrd?: string | undefined;
  /** What the image declares about its boot (root disk bus, command line); NVME_BOOT when it says nothing. */
  boot?: VmBootDeclaration | undefined;
  memoryMiB: number;
  /** vCPUs (-smp); QEMU's one when absent. */
  cpus?: number | undefined;
  /** 127.0.0.1:hostPort on the host reaches appPort in the guest (the balancers send here). */
  hostPort: number;
  appPort: number;
  /** The metadata URL as the guest sees it (guestMetadataUrl). */
  metadataUrl: string;
  /** A host command whose stdin/stdout become one guest connection to 10.0.2.100:80. */
  metadataCommand: string;
  qmpSocket: string;
  pidFile: string;
  imageVersion: string;
  /** The firmware (-bios); QEMU's default SeaBIOS when absent. */
  bios?: string | undefined;
  /** Only when a probe boot proved KVM works here; TCG otherwise. */
  accel: 'tcg' | 'kvm';
}

/** The guest reaches the metadata service at a fixed, cloud-like address (guestfwd), never the host's loopback. */
export const GUEST_METADATA_HOST = GUEST_METADATA_ADDRESS;
export { guestMetadataUrl };

/**
 * qboot where QEMU ships it (Debian's qemu-system-data does): a firmware that only starts the kernel
 * QEMU was given, where SeaBIOS spends seconds of emulated CPU on a PC's POST and the NIC's iPXE ROM.
 */
export function fastFirmware(dataDir = '/usr/share/qemu'): string | undefined {
  return existsSync(`${dataDir}/qboot.rom`) ? `${dataDir}/qboot.rom` : undefined;
}

/** QEMU splits -netdev options on commas; a literal comma is written twice. */
const optionValue = (s: string) => s.replaceAll(',', ',,');

/** The kernel command line: the image's own words (console, root device), then the instance's metadata URL, app port and version. */
export function kernelCommandLine(spec: Pick<VmSpec, 'metadataUrl' | 'appPort' | 'imageVersion' | 'boot'>): string {
  return `${(spec.boot ?? NVME_BOOT).commandLine} kiln.metadata=${spec.metadataUrl} kiln.port=${spec.appPort} kiln.version=${spec.imageVersion}`;
}

/** The root disk on the bus the image's kernel can read at boot: NVMe is built into Debian's cloud kernel, virtio-blk comes from the initramfs. */
const rootDevice = (boot: VmBootDeclaration) => (boot.disk === 'virtio' ? 'virtio-blk-pci,drive=root' : 'nvme,drive=root,serial=kiln-root');

/**
 * One VM: q35 under TCG (or KVM when proven), no display, the serial console on stdout (the
 * instance log), user networking with `restrict=on` so the guest reaches nothing but its app port
 * forward and the metadata address, QMP on a unix socket for power-down and reset, and the metadata
 * URL both on the kernel command line and as an SMBIOS OEM string (type 11) for images that read it there.
 */
export function qemuArgs(spec: VmSpec): string[] {
  const netdev = [
    'user',
    'id=n0',
    'restrict=on',
    `hostfwd=tcp:127.0.0.1:${spec.hostPort}-:${spec.appPort}`,
    `guestfwd=tcp:${GUEST_METADATA_HOST}:80-cmd:${optionValue(spec.metadataCommand)}`,
  ].join(',');
  return [
    '-name',
    `kiln-${spec.instanceId}`,
    '-machine',
    'q35',
    // TCG's translation cache defaults to 1 GiB and is most of QEMU's RSS; 64 MiB costs no measurable boot time.
    '-accel',
    spec.accel === 'kvm' ? 'kvm' : 'tcg,tb-size=64',
    '-cpu',
    spec.accel === 'kvm' ? 'host' : 'max',
    '-m',
    String(spec.memoryMiB),
    ...(spec.cpus !== undefined ? ['-smp', String(spec.cpus)] : []),
    '-nographic',
    '-nodefaults',
    ...(spec.bios ? ['-bios', spec.bios] : []),
    '-serial',
    'stdio',
    '-kernel',
    spec.kernel,
    ...(spec.initrd ? ['-initrd', spec.initrd] : []),
    '-append',
    kernelCommandLine(spec),
    '-smbios',
    `type=11,value=io.kiln.metadata=${optionValue(spec.metadataUrl)}`,
    '-drive',
    `if=none,id=root,file=${optionValue(spec.disk)},format=qcow2`,
    '-device',
    rootDevice(spec.boot ?? NVME_BOOT),
    '-netdev',
    netdev,
    '-device',
    // No option ROM: direct kernel boot never network-boots, and loading iPXE costs boot time.
    'virtio-net-pci,netdev=n0,romfile=',
    '-device',
    // Free page reporting: the guest hands pages it freed (boot's page cache, exited units) back, and QEMU
    // drops them from its RSS, so an idle VM costs the host what it uses, not the most it ever touched.
    // udev loads virtio_balloon by the device's modalias; a guest without the driver ignores it.
    'virtio-balloon-pci,free-page-reporting=on',
    '-qmp',
    `unix:${optionValue(spec.qmpSocket)},server=on,wait=off`,
    '-pidfile',
    spec.pidFile,
  ];
}
