import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { delimiter, join } from 'node:path';

export type Accel = 'tcg' | 'kvm';

/** What choosing an accelerator needs to know about the host; tests inject both answers. */
export interface KvmHost {
  /** /dev/kvm exists and this process may open it. */
  hasDevice(): boolean;
  /** A probe boot under KVM with this kernel got all the way through (see probeKvmBoot). */
  probe(kernel: string): Promise<boolean>;
}

/**
 * KVM only where a boot proved it works, TCG everywhere else: /dev/kvm being there is not enough (a
 * nested kvm-pvm host has it, and stock Debian kernels abort there with "failed to set MSR" or hang).
 * The probe runs once, at the first boot (it needs a kernel), and its answer holds for the process.
 */
export function createAccelChooser(setting: Accel | 'auto', host: KvmHost, log: (line: string) => void = () => {}) {
  let chosen: Promise<Accel> | undefined;
  return (kernel: string): Promise<Accel> => {
    if (setting !== 'auto') return Promise.resolve(setting);
    chosen ??= (async () => {
      if (!host.hasDevice()) return 'tcg';
      const works = await host.probe(kernel).catch(() => false);
      log(works ? 'KVM works here (a probe boot reached its end): VMs run under KVM' : 'KVM is present but a probe boot failed: VMs run under TCG');
      return works ? 'kvm' : 'tcg';
    })();
    return chosen;
  };
}

/**
 * Boots `kernel` under KVM with no root disk: a kernel that runs through its whole start-up ends in
 * "VFS: Unable to mount root fs" and a panic, which -no-reboot turns into QEMU exiting. Anything
 * else (QEMU refusing the accelerator, a crash, a hang past the timeout) means KVM does not work.
 * Under KVM that takes a second or two; a slow answer only costs TCG, the safe choice.
 * The QEMU process is always gone when this resolves.
 */
export function probeKvmBoot(qemu: string, kernel: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const args = ['-machine', 'q35', '-accel', 'kvm', '-cpu', 'host', '-m', '128', '-nodefaults', '-display', 'none', '-serial', 'stdio', '-no-reboot'];
    const child = spawn(qemu, [...args, '-kernel', kernel, '-append', 'console=ttyS0 panic=-1 root=/dev/kiln-probe-none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const keep = (c: Buffer) => (text = (text + c.toString('latin1')).slice(-8192));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(/Kernel panic - not syncing/.test(text));
    });
  });
}

const probed = new Map<string, Promise<boolean>>();

/** Where a QEMU binary is, with its size and time: an upgraded QEMU is probed again. */
function binaryIdentity(qemu: string): string {
  const candidates = qemu.includes('/') ? [qemu] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, qemu));
  for (const path of candidates) {
    try {
      const st = statSync(path);
      return `${path}:${st.size}:${st.mtimeMs}`;
    } catch {
      // not here
    }
  }
  return qemu;
}

/**
 * A probe's answer kept in `dir` (an account's state dir), keyed by the QEMU binary, the host kernel's
 * release and the guest kernel's bytes (every image of a recipe carries the same Debian kernel): a
 * restarted Kiln, or a new image version, does not pay the probe again at its first boot, which on a
 * host whose KVM hangs is the probe's whole 5 s timeout before QEMU even starts. Delete the file to probe again.
 */
export async function rememberedProbe(dir: string, qemu: string, kernel: string, probe: (qemu: string, kernel: string) => Promise<boolean> = probeKvmBoot): Promise<boolean> {
  const file = join(dir, 'kvm-probe.json');
  const key = createHash('sha256')
    .update(`${binaryIdentity(qemu)}\0${release()}\0`)
    .update(readFileSync(kernel))
    .digest('hex');
  const known = (): Record<string, boolean> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, boolean>;
    } catch {
      return {};
    }
  };
  const kept = known()[key];
  if (typeof kept === 'boolean') return kept;
  const works = await probe(qemu, kernel);
  try {
    writeFileSync(`${file}.${process.pid}`, JSON.stringify({ ...known(), [key]: works }));
    renameSync(`${file}.${process.pid}`, file);
  } catch {
    // Not kept: the next process probes again.
  }
  return works;
}

/** This host as it is; one probe per QEMU binary and kernel for the whole process, and across processes when `dir` keeps the answers. */
export const realKvmHost = (qemu: string, dir?: string): KvmHost => ({
  hasDevice() {
    try {
      accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  probe(kernel) {
    const key = `${qemu}\0${kernel}`;
    let answer = probed.get(key);
    if (!answer) probed.set(key, (answer = dir ? rememberedProbe(dir, qemu, kernel) : probeKvmBoot(qemu, kernel)));
    return answer;
  },
});
