import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

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

/** This host as it is; one probe per QEMU binary and kernel for the whole process. */
export const realKvmHost = (qemu: string): KvmHost => ({
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
    if (!answer) probed.set(key, (answer = probeKvmBoot(qemu, kernel)));
    return answer;
  },
});
