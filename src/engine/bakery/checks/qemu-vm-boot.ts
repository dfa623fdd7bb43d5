import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUEST_METADATA_ADDRESS, guestMetadataUrl, SMBIOS_OEM_KEY } from '../../../shared/provisioning/metadata-protocol';
import { vmKernelCommandLine } from '../../../shared/provisioning/vm-boot';
import { createMetadataService } from '../../cloud/metadata-service';
import { guestPipe } from '../../cloud/qemu/metadata-pipe';
import { fastFirmware } from '../../cloud/qemu/qemu-args';
import { createConsoleReader } from './console-reader';
import { BakeError } from '../bake-error';
import { requireTool } from '../tools';

export interface VmBootResult {
  ready: boolean;
  /** What the instance reported, or why it never did with the last console lines. */
  detail: string;
  /** From QEMU's start to the Ready report (or to the failure). */
  seconds: number;
  /** QEMU's resident memory when the instance reported Ready. */
  rssMiB?: number | undefined;
  /** QEMU's CPU time until then: on a machine shared with other work this, not the wall time, says how long a boot costs. */
  cpuSeconds?: number | undefined;
}

/** A process's user + system CPU seconds (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface VmBootOptions {
  timeoutMs?: number;
  onLine?: (line: string) => void;
  userData?: string;
  hostname?: string;
  memoryMiB?: number;
  /** Called with QEMU's pid as soon as it runs (tests check that none is left behind). */
  onPid?: (pid: number) => void;
  /** The root disk's bus: virtio (the driver from the initramfs) unless NVMe (built into Debian's cloud kernel) is asked for. */
  rootDisk?: 'virtio' | 'nvme';
  /** More QEMU arguments (the boot bench tries firmware and device options with them). */
  qemuArgs?: string[];
  /** The whole kernel command line, or one made from the guest's metadata URL. */
  append?: string | ((guestUrl: string) => string);
}

/** What the kernel says when it gives up, kept apart from the call trace that follows it. */
const NOTABLE = /Kernel panic - not syncing|Requested init|No working init|VFS: |Failed to execute|Run .* as init process|Failed to start|emergency mode|kiln-report-ready: error/;

/**
 * Boots a VM image under QEMU TCG the way the VM provider does (a qcow2 overlay on the raw partition,
 * direct kernel boot, virtio disk and NIC, user networking with the metadata service forwarded to
 * 10.0.2.100:80, the URL on the kernel command line and in SMBIOS) with a throwaway metadata
 * service, and waits for the instance to report Ready. QEMU is always stopped and waited for.
 */
export async function bootVmToReady(partition: string, boot: { kernel: string; initrd?: string | undefined }, options: VmBootOptions = {}): Promise<VmBootResult> {
  const qemu = requireTool('qemu-system-x86_64');
  const qemuImg = requireTool('qemu-img');
  const dir = mkdtempSync(join(tmpdir(), 'kiln-vm-boot-'));
  let report: ((r: { ready: boolean; detail: string }) => void) | undefined;
  const metadata = createMetadataService(
    () => report?.({ ready: true, detail: 'the instance reported Ready' }),
    (_, reason) => report?.({ ready: false, detail: `the instance reported NotReady: ${reason}` }),
  );
  try {
    await metadata.start();
    const url = metadata.register({
      instanceId: 'i-bake-check',
      hostname: options.hostname ?? 'bake-check',
      serverGroup: 'bake-check',
      account: 'bakery',
      region: 'local',
      userData: options.userData ?? '',
    });
    // One relay process per guest connection to 10.0.2.100:80, to the metadata service on loopback (socat, or Node without it).
    const pipe = guestPipe(dir, { port: Number(new URL(url).port) });
    const guestUrl = guestMetadataUrl(url);
    const overlay = join(dir, 'instance.qcow2');
    const bios = fastFirmware();
    // Half a GiB more than the image: the root grows into it at boot (x-systemd.growfs).
    const size = statSync(partition).size + 512 * 1024 * 1024;
    execFileSync(qemuImg, ['create', '-q', '-f', 'qcow2', '-b', partition, '-F', 'raw', overlay, String(size)]);
    const args = [
      '-machine',
      'q35',
      // TCG's translation cache defaults to 1 GiB and is most of QEMU's RSS; 64 MiB costs no measurable boot time.
      '-accel',
      'tcg,tb-size=64',
      '-cpu',
      'max',
      '-m',
      String(options.memoryMiB ?? 512),
      '-nodefaults',
      '-display',
      'none',
      '-serial',
      'stdio',
      '-no-reboot',
      ...(bios ? ['-bios', bios] : []),
      ...(options.qemuArgs ?? []),
      '-kernel',
      boot.kernel,
      ...(boot.initrd ? ['-initrd', boot.initrd] : []),
      '-append',
      typeof options.append === 'function' ? options.append(guestUrl) : (options.append ?? vmKernelCommandLine(guestUrl)),
      '-smbios',
      `type=11,value=${SMBIOS_OEM_KEY}=${guestUrl}`,
      '-drive',
      `if=none,id=root,file=${overlay},format=qcow2`,
      '-device',
      options.rootDisk === 'nvme' ? 'nvme,drive=root,serial=kiln-root' : 'virtio-blk-pci,drive=root',
      '-netdev',
      `user,id=net0,restrict=on,guestfwd=tcp:${GUEST_METADATA_ADDRESS}:80-cmd:${pipe.command.replaceAll(',', ',,')}`,
      '-device',
      'virtio-net-pci,netdev=net0,romfile=',
    ];
    return await runUntilReady(qemu, args, options, (fn) => (report = fn));
  } finally {
    await metadata.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runUntilReady(qemu: string, args: string[], options: VmBootOptions, onReport: (fn: (r: { ready: boolean; detail: string }) => void) => void): Promise<VmBootResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) options.onPid?.(child.pid);
    const serial = createConsoleReader({ tailLines: 8, notable: NOTABLE, onLine: options.onLine });
    const { tail, last } = serial;
    let outcome: VmBootResult | undefined;
    let exited = false;
    const finish = (result: Omit<VmBootResult, 'seconds'>) => {
      if (outcome) return;
      let rssMiB: number | undefined;
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        rssMiB = kb ? Math.round(Number(kb) / 1024) : undefined;
      } catch {
        rssMiB = undefined;
      }
      const cpuSeconds = cpuSecondsOf(child.pid);
      outcome = { ...result, seconds: (Date.now() - started) / 1000, ...(rssMiB ? { rssMiB } : {}), ...(cpuSeconds !== undefined ? { cpuSeconds } : {}) };
      clearTimeout(timer);
      // Resolved only once QEMU has exited, so no process outlives the check.
      if (exited) resolve(outcome);
      else child.kill('SIGKILL');
    };
    onReport((r) => finish(r.ready ? r : { ready: false, detail: `${r.detail}; last console lines: ${tail.join(' | ')}` }));
    const onText = serial.onText;
    child.stdout.on('data', onText);
    child.stderr.on('data', onText);
    // Generous: ~85 s for systemd + cloud-init on an idle machine, several times that on a loaded one.
    const timeoutMs = options.timeoutMs ?? 420_000;
    const timer = setTimeout(() => finish({ ready: false, detail: `the instance never reported ready within ${timeoutMs / 1000} s; last console lines: ${last()}` }), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      exited = true;
      reject(new BakeError('test: qemu boot', `could not run ${qemu}: ${err.message}`));
    });
    child.on('close', (code) => {
      exited = true;
      // A panic (no root, no init) reboots, and -no-reboot turns that into QEMU exiting: say what the kernel said.
      finish({ ready: false, detail: `the VM stopped (exit ${code}) before reporting ready: ${last()}` });
      resolve(outcome!);
    });
  });
}
