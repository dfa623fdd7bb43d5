import { describe, expect, it } from 'vitest';
import { Account } from '../../../shared/domain/account';
import { accountHealth } from '../account-health';
import { qemuHealth } from './qemu-health';
import { QEMU_SKIP_REASON } from './qemu-harness';

const now = new Date('2026-12-07T04:00:00Z');

describe('a qemu account’s health', () => {
  it.skipIf(QEMU_SKIP_REASON !== undefined)('is reachable with the QEMU version when this machine can boot VMs', async () => {
    const account = Account.parse({ name: 'vms', provider: 'qemu', environment: 'test', regions: ['east'], demo: false });
    expect(await accountHealth(account, undefined, { localCloud: false, version: '', now })).toMatchObject({
      status: 'reachable',
      version: expect.stringMatching(/^QEMU emulator version/),
    });
  });

  it('is unreachable, naming the binary, when QEMU is missing', async () => {
    expect(await qemuHealth(now, '/nonexistent/qemu-system-x86_64')).toEqual({
      status: 'unreachable',
      reason: '/nonexistent/qemu-system-x86_64 or qemu-img is not installed on this machine (src/tools/ensure-qemu.sh installs them)',
      checkedAt: now.toISOString(),
    });
  });
});
