import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BakeError } from '../bake-error';
import { requireTool } from '../tools';
import { defineCheck } from './check';
import { createConsoleReader } from './console-reader';
import { bootVmToReady } from './qemu-vm-boot';

const STEP = 'test: qemu boot';
export const READY_MARKER = 'KILN-SMOKE-READY';

/** The newest `/boot/vmlinuz-<version>` of a root and its initrd, if it has one. */
export function findKernel(root: string): { kernel: string; initrd?: string; version: string } | undefined {
  const boot = join(root, 'boot');
  if (!existsSync(boot)) return undefined;
  const version = readdirSync(boot)
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
  if (!version) return undefined;
  const initrd = join(boot, `initrd.img-${version}`);
  return { kernel: join(boot, `vmlinuz-${version}`), version, ...(existsSync(initrd) ? { initrd } : {}) };
}

/**
 * The kernel command line: the serial console, the root filesystem on the NVMe disk QEMU attaches
 * (Debian's cloud kernel has NVMe and ext4 built in, so no initrd is needed), read-only, and as init
 * a shell that reads the image's hostname and reports ready on the console. Everything after `--`
 * goes to init; the kernel keeps a double-quoted word whole.
 */
export function smokeCommandLine(): string {
  const script = `h=unset; read h < /etc/hostname; echo ${READY_MARKER} hostname=$h`;
  return `console=ttyS0 root=/dev/nvme0n1 rootfstype=ext4 ro panic=-1 quiet init=/bin/sh -- -c "${script}"`;
}

export interface QemuBootResult {
  ready: boolean;
  /** The ready line, or the last console lines when it never came. */
  detail: string;
  seconds: number;
}

/** Boots `disk` (a raw ext4 filesystem image) with QEMU's TCG emulator and waits for the ready line. */
export function qemuBoot(
  disk: string,
  kernel: { kernel: string; initrd?: string | undefined },
  options: { timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<QemuBootResult> {
  const qemu = requireTool('qemu-system-x86_64');
  const started = Date.now();
  const args = [
    '-machine',
    'q35,accel=tcg',
    '-cpu',
    'max',
    '-m',
    '256',
    '-nodefaults',
    '-display',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
    '-kernel',
    kernel.kernel,
    ...(kernel.initrd ? ['-initrd', kernel.initrd] : []),
    '-append',
    smokeCommandLine(),
    // Read-only: the check must not change the image it tests.
    '-drive',
    `if=none,id=root,file=${disk},format=raw,readonly=on`,
    '-device',
    'nvme,drive=root,serial=kiln-root',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const serial = createConsoleReader({
      tailLines: 6,
      notable: /Kernel panic - not syncing|Requested init|No working init|VFS: |Failed to execute|Run .* as init process/,
      onLine: (line) => {
        options.onLine?.(line);
        if (line.includes(READY_MARKER)) finish({ ready: true, detail: line.slice(line.indexOf(READY_MARKER)) });
      },
    });
    const { tail } = serial;
    let settled = false;
    const finish = (result: Omit<QemuBootResult, 'seconds'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ ...result, seconds: (Date.now() - started) / 1000 });
    };
    const onText = serial.onText;
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    const timeoutMs = options.timeoutMs ?? 120_000;
    const timer = setTimeout(() => finish({ ready: false, detail: `no ready line within ${timeoutMs / 1000} s; last console lines: ${tail.join(' | ') || '(none)'}` }), timeoutMs);
    child.on('error', (err) => {
      settled = true;
      clearTimeout(timer);
      reject(new BakeError(STEP, `could not run ${qemu}: ${err.message}`));
    });
    child.on('close', (code) => {
      // A panic (no root, no init) reboots, and -no-reboot turns that into QEMU exiting: say what the kernel said.
      finish({ ready: false, detail: `the VM stopped (exit ${code}) before reporting ready: ${serial.last()}` });
    });
  });
}

/** The check's user data for cloud-init images: proof on the console that cloud-init ran it. */
export const CLOUD_INIT_MARKER = 'KILN-CLOUD-INIT-RAN';
const CHECK_USER_DATA = `#cloud-config\nruncmd:\n  - echo ${CLOUD_INIT_MARKER} > /dev/ttyS0\n`;

/**
 * Optional boot test of disk images (`tests.qemuBoot`) under QEMU TCG (no KVM needed). A VM image
 * (recipe `vm`) boots as the VM provider boots it, with its own systemd, and passes when its
 * first-boot agent reports Ready to a throwaway metadata service (cloud-init images also run the
 * check's user data). Other disk images keep the older smoke test: their /bin/sh prints a marker.
 */
export const qemuBootCheck = defineCheck({
  name: 'qemu boot',
  applies: (image) => image.format === 'disk' && image.recipe.tests.qemuBoot && image.diskImage !== undefined && image.root !== undefined,
  async run({ root, diskImage, log, recipe }) {
    try {
      requireTool('qemu-system-x86_64');
      if (recipe.vm) requireTool('qemu-img');
    } catch (err) {
      return (err as Error).message;
    }
    const kernel = findKernel(root!);
    if (!kernel) return 'the image has no kernel (/boot/vmlinuz-<version>) to boot: install one, e.g. linux-image-cloud-amd64 with a packages provisioner';
    if (recipe.vm) {
      log.say(STEP, `booting vmlinuz-${kernel.version} with systemd under QEMU TCG, waiting for report-ready`);
      const cloudInit = recipe.vm.firstBoot === 'cloud-init';
      let ranUserData = false;
      const result = await bootVmToReady(diskImage!, kernel, {
        ...(cloudInit ? { userData: CHECK_USER_DATA } : {}),
        onLine: (line) => {
          if (line.includes(CLOUD_INIT_MARKER)) ranUserData = true;
          log.event(STEP, 'output', line);
        },
      });
      if (!result.ready) return result.detail;
      if (cloudInit && !ranUserData) return `the instance reported Ready but cloud-init never ran the user data (no ${CLOUD_INIT_MARKER} on the console)`;
      log.say(STEP, `reported Ready after ${result.seconds.toFixed(1)} s${cloudInit ? ' (cloud-init ran the user data)' : ''}; QEMU RSS ${result.rssMiB ?? '?'} MiB`);
      return undefined;
    }
    log.say(STEP, `booting vmlinuz-${kernel.version}${kernel.initrd ? ' with its initrd' : ''} under QEMU TCG, root on NVMe`);
    const result = await qemuBoot(diskImage!, kernel, { onLine: (line) => log.event(STEP, 'output', line) });
    if (!result.ready) return result.detail;
    log.say(STEP, `${result.detail} after ${result.seconds.toFixed(1)} s`);
    return undefined;
  },
});
