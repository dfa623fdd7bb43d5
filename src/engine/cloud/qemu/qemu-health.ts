import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AccountHealth } from '../../../shared/domain/account';

const run = promisify(execFile);

/** A qemu account is reachable when this machine can boot VMs: QEMU and qemu-img answer. */
export async function qemuHealth(now: Date, qemu = 'qemu-system-x86_64', qemuImg = 'qemu-img'): Promise<AccountHealth> {
  const checkedAt = now.toISOString();
  try {
    const { stdout } = await run(qemu, ['--version'], { timeout: 5000 });
    await run(qemuImg, ['--version'], { timeout: 5000 });
    return { status: 'reachable', version: stdout.split('\n')[0]?.trim() || qemu, checkedAt };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      status: 'unreachable',
      reason: missing ? `${qemu} or ${qemuImg} is not installed on this machine (src/tools/ensure-qemu.sh installs them)` : `QEMU does not run: ${(err as Error).message}`,
      checkedAt,
    };
  }
}
