import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { firstBootAgent } from '../../shared/provisioning/first-boot-agent';
import {
  CLOUD_DATASOURCE_CONFIG,
  CLOUD_SEED_SCRIPT,
  CLOUD_SEED_UNIT,
  CLOUD_SEED_UNIT_TEXT,
  cloudSeedScript,
  NETWORKD_CONFIG,
  VM_BAKED_METADATA_URL,
  type VmBoot,
} from '../../shared/provisioning/vm-boot';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { findKernel } from './checks/qemu-boot';
import { aptInstallScript } from './debian-packages';
import { insideRoot } from './image-root';
import { runCommand } from './run-command';
import { artifactPath, type BakeryPaths } from './store';

const STEP = 'vm boot';

/** udev loads virtio_net by its modalias; curl is the agent's HTTP client. */
export const VM_PACKAGES = ['linux-image-cloud-amd64', 'initramfs-tools', 'systemd-sysv', 'udev', 'curl'] as const;

/**
 * Units that cost boot time and do nothing for a short-lived cloud instance (timers for apt, man-db,
 * fstrim, e2scrub; the network-online wait; gettys; module loads and mounts of debugging file systems).
 * Masked, so no dependency pulls them back in.
 */
export const MASKED_UNITS = [
  'systemd-networkd-wait-online.service',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'man-db.timer',
  'fstrim.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'systemd-timesyncd.service',
  'getty.target',
  'getty-static.service',
  'serial-getty@ttyS0.service',
  'dpkg-db-backup.timer',
  'systemd-tmpfiles-clean.timer',
  // The root is shrunk to its minimum (resize2fs -M) and grows only later at boot (x-systemd.growfs).
  'systemd-random-seed.service',
  'modprobe@dm_mod.service',
  'modprobe@efi_pstore.service',
  'modprobe@fuse.service',
  'modprobe@loop.service',
  'modprobe@drm.service',
  'sys-kernel-debug.mount',
  'sys-kernel-tracing.mount',
  'sys-fs-fuse-connections.mount',
  // Seen costing CPU in a boot profile (bench/vm-boot.ts --timeline) and useless to a cloud instance with no logins:
  // utmp records, login sessions, hugepage/mqueue/configfs/binfmt mounts, static device nodes for modules never
  // loaded, and copying the journal from /run to disk (it stays in memory).
  'systemd-update-utmp.service',
  'systemd-update-utmp-runlevel.service',
  'systemd-user-sessions.service',
  'dev-hugepages.mount',
  'dev-mqueue.mount',
  'sys-kernel-config.mount',
  'modprobe@configfs.service',
  'kmod-static-nodes.service',
  'proc-sys-fs-binfmt_misc.automount',
  'systemd-journal-flush.service',
] as const;

/**
 * Turns a Debian root into one that boots as a VM: apt-get installs the cloud kernel with an
 * initramfs that holds only the virtio drivers (so root=/dev/vda mounts; every other module loads
 * later from the root), systemd, udev and curl (plus cloud-init when asked); then networkd DHCP,
 * the first-boot agent, the cloud-init seed, and masks for slow units. Needs root (apt in a chroot).
 */
export async function prepareVmBoot(log: BakeLog, vm: VmBoot, root: string, signal?: AbortSignal): Promise<string[]> {
  const write = (path: string, content: string, mode = 0o644) => {
    const target = insideRoot(root, path, STEP);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    chmodSync(target, mode);
  };
  // Before the kernel package: its postinst builds the initramfs with these settings.
  write('/etc/initramfs-tools/conf.d/kiln.conf', 'MODULES=list\nCOMPRESS=zstd\n');
  write('/etc/initramfs-tools/modules', 'virtio_pci\nvirtio_blk\nvirtio_scsi\next4\n');
  write('/etc/modules-load.d/kiln-virtio.conf', 'virtio_net\n');
  const packages = [...VM_PACKAGES, ...(vm.firstBoot === 'cloud-init' ? ['cloud-init'] : [])];
  log.say(STEP, `installing ${packages.join(' ')} for a VM boot`);
  await runCommand(log, STEP, '/bin/sh', ['-e', '-c', aptInstallScript(packages)], { cwd: root, env: { IMAGE_ROOT: root }, signal, timeoutMs: 30 * 60_000 });
  if (!findKernel(root)) throw new BakeError(STEP, 'linux-image-cloud-amd64 installed no /boot/vmlinuz-<version>');

  write('/etc/systemd/network/20-kiln-dhcp.network', NETWORKD_CONFIG);
  write('/etc/fstab', '# written by the Kiln bakery: the root grows to the instance disk at boot\n/dev/root\t/\text4\trw,x-systemd.growfs\t0\t0\n');
  const agent = firstBootAgent({ metadataUrl: VM_BAKED_METADATA_URL, initialDelaySeconds: 1, maxDelaySeconds: 5, maxAttempts: 12 });
  for (const f of agent.intent.files ?? []) write(f.path, f.content, f.mode ?? 0o644);
  write(`/etc/systemd/system/${agent.unitName}`, agent.unit);
  const enable = ['systemd-networkd.service', agent.unitName];
  if (vm.firstBoot === 'cloud-init') {
    write('/etc/cloud/cloud.cfg.d/95-kiln-datasource.cfg', CLOUD_DATASOURCE_CONFIG);
    write(CLOUD_SEED_SCRIPT, cloudSeedScript(), 0o755);
    write(`/etc/systemd/system/${CLOUD_SEED_UNIT}`, CLOUD_SEED_UNIT_TEXT);
    enable.push(CLOUD_SEED_UNIT);
  }
  // systemctl works offline on a root: it only makes the wants/alias symlinks and the mask links.
  await runCommand(log, STEP, '/usr/sbin/chroot', [root, '/bin/systemctl', 'enable', ...enable]);
  await runCommand(log, STEP, '/usr/sbin/chroot', [root, '/bin/systemctl', 'mask', ...MASKED_UNITS]);
  log.say(STEP, `enabled ${enable.join(', ')}; masked ${MASKED_UNITS.length} slow units`);
  return packages;
}

/**
 * The kernel and initramfs beside the stored partition, for direct kernel boot: for the artifact
 * `<sha256>.img.zst`, `<sha256>.vmlinuz` and `<sha256>.initrd`.
 */
export function vmBootFiles(paths: BakeryPaths, artifact: string): { kernel: string; initrd: string } {
  const stem = artifactPath(paths, artifact).replace(/\.img\.[a-z]+$/, '');
  return { kernel: `${stem}.vmlinuz`, initrd: `${stem}.initrd` };
}

export function exportBootFiles(log: BakeLog, root: string, paths: BakeryPaths, artifact: string): void {
  const found = findKernel(root);
  if (!found?.initrd) throw new BakeError(STEP, 'the image has no kernel and initramfs in /boot to export');
  const target = vmBootFiles(paths, artifact);
  if (!existsSync(target.kernel)) copyFileSync(found.kernel, target.kernel);
  if (!existsSync(target.initrd)) copyFileSync(found.initrd, target.initrd);
  log.say(STEP, `exported vmlinuz-${found.version} and its initrd beside the image`);
}
