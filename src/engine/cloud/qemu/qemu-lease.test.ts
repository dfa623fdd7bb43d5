import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../db/test-database';
import { get, healthy, until } from '../contract/contract-helpers';
import type { NewServerGroup } from '../provider';
import { StandingBy } from '../stand-by';
import { openQemuHarness, QEMU_SKIP_REASON, type QemuHarness } from './qemu-harness';

const LEASE_MS = 1500;
let h: QemuHarness | undefined;
afterEach(async () => {
  await h?.destroyAll().catch(() => undefined);
  const left = await h?.close();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

const spec = (over: Partial<NewServerGroup> = {}): NewServerGroup => ({
  application: 'web',
  account: 'vms',
  region: 'east',
  name: 'web-vm-v001',
  image: 'sample-app:v1',
  capacity: { min: 1, desired: 1, max: 1 },
  loadBalancers: ['web-front'],
  disabled: false,
  ...over,
});
const key = { account: 'vms', region: 'east', name: 'web-vm-v001' };

// Two Kiln processes on one database (one PostgreSQL in production), each with its own VM provider
// for the account and the same state dir (the same machine), as kilnProviders makes them.
describe.skipIf(QEMU_SKIP_REASON !== undefined)(`the lease on a VM account${QEMU_SKIP_REASON ? ` (skipped: ${QEMU_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  it('lets one Kiln process at a time run the account: the other stands by naming qemu:<account>, then takes over and adopts without booting another VM', async () => {
    h = await openQemuHarness({ owner: 'kiln-a', leaseMs: LEASE_MS });
    const a = h.provider;
    expect([a.lease, a.leading]).toEqual(['qemu:vms', true]);
    const lb = await a.ensureLoadBalancer({ application: 'web', account: 'vms', region: 'east', name: 'web-front' });
    await a.createServerGroup(spec());
    const [vm] = (await healthy(a, key, 1)).instances;

    const b = await h.fresh({ owner: 'kiln-b', leaseMs: LEASE_MS });
    expect(b.leading).toBe(false);
    // The process standing by refuses to touch the account's VMs and balancers, naming the lease…
    const refused = b.createServerGroup(spec({ name: 'web-vm-v002' }));
    await expect(refused).rejects.toBeInstanceOf(StandingBy);
    await expect(refused).rejects.toMatchObject({ kind: 'conflict', lease: 'qemu:vms', message: expect.stringContaining("Account 'vms' is run by another Kiln process") });
    await expect(b.getServerGroup(key)).rejects.toMatchObject({ lease: 'qemu:vms' });
    await expect(b.ensureLoadBalancer({ application: 'web', account: 'vms', region: 'east', name: 'web-back' })).rejects.toMatchObject({ lease: 'qemu:vms' });
    await expect(b.instanceLog(vm!.id, 1000)).rejects.toBeInstanceOf(StandingBy);
    // …and boots nothing while the leader keeps the group at one VM.
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(h.qemuPids()).toHaveLength(1);

    // The leader goes away without stopping its VM (an upgrade, or a crash once its lease lapses).
    await a.detach();
    await until('b leads', async () => b.leading, 10_000);
    const adopted = await until('b sees the VM healthy', async () => {
      const g = await b.getServerGroup(key);
      return g?.instances.length === 1 && g.instances[0]!.health === 'up' && g;
    });
    expect(adopted.instances[0]!.id).toBe(vm!.id);
    expect(h.qemuPids()).toHaveLength(1);
    expect((await get(lb.address)).status).toBe(200);
  });

  it('refuses the account to a Kiln on another database given the same state dir while the first runs its VMs', async () => {
    h = await openQemuHarness({ owner: 'kiln-a', leaseMs: LEASE_MS });
    const other = await openTestDatabase();
    try {
      await other.repos.accounts.upsert((await h.repos.accounts.get('vms'))!);
      await expect(h.fresh({ repos: other.repos, owner: 'kiln-elsewhere' })).rejects.toMatchObject({
        kind: 'conflict',
        field: 'account',
        message: expect.stringContaining('another Kiln process'),
      });
    } finally {
      await other.close();
    }
    expect(h.provider.leading).toBe(true);
  });
});
