import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get, healthy, until } from '../contract/contract-helpers';
import type { NewServerGroup } from '../provider';
import { openQemuHarness, QEMU_SKIP_REASON, type QemuHarness } from './qemu-harness';

const spec = (h: QemuHarness, over: Partial<NewServerGroup> = {}): NewServerGroup => ({
  application: 'web',
  account: h.account,
  region: h.region,
  name: 'web-vm-v001',
  image: 'sample-app:v1',
  capacity: { min: 1, desired: 1, max: 1 },
  loadBalancers: [],
  disabled: true,
  ...over,
});
const key = (h: QemuHarness, name = 'web-vm-v001') => ({ account: h.account, region: h.region, name });

describe.skipIf(QEMU_SKIP_REASON !== undefined)(`VM provider${QEMU_SKIP_REASON ? ` (skipped: ${QEMU_SKIP_REASON})` : ''}`, { timeout: 120_000 }, () => {
  let h: QemuHarness;
  beforeEach(async () => {
    h = await openQemuHarness();
  });
  afterEach(async () => {
    await h.destroyAll().catch(() => undefined);
    expect(await h.close()).toEqual([]);
  });

  it('refuses an image with no kernel, saying so, and boots nothing', async () => {
    await expect(h.provider.createServerGroup(spec(h, { image: 'nokernel-app:v1' }))).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'image',
      message: expect.stringContaining('has no kernel to boot'),
    });
    expect(await h.provider.getServerGroup(key(h))).toBeUndefined();
    expect(h.qemuPids()).toEqual([]);
  });

  it('refuses an image that asks for more vCPUs than this machine has, naming run.resources.cpu, and boots nothing', async () => {
    await expect(h.provider.createServerGroup(spec(h, { image: 'huge-app:v1' }))).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'image',
      message: expect.stringMatching(/^image 'huge-app:v1' asks for \d+ CPU \(run.resources.cpu\) but this machine has \d+/),
    });
    expect(await h.provider.getServerGroup(key(h))).toBeUndefined();
    expect(h.qemuPids()).toEqual([]);
  });

  it('fails a create whose kernel panics with the panic line and the last console lines, and leaves no QEMU process', async () => {
    const failure = h.provider.createServerGroup(spec(h, { image: 'panic-app:v1' }));
    await expect(failure).rejects.toMatchObject({ kind: 'bad_request', field: 'image', message: expect.stringContaining('kernel panic: Kernel panic - not syncing') });
    await expect(failure).rejects.toMatchObject({ message: expect.stringContaining('last console lines:') });
    expect(await h.provider.getServerGroup(key(h))).toBeUndefined();
    expect(h.qemuPids()).toEqual([]);
  });

  it('fails a create whose VM never reports ready within its timeout, with its console, and leaves no QEMU process', async () => {
    const provider = await h.restart({ timings: { readyTimeoutMs: 15_000, healthIntervalMs: 250 } });
    const failure = provider.createServerGroup(spec(h, { image: 'silent-app:v1' }));
    await expect(failure).rejects.toMatchObject({ kind: 'bad_request', field: 'image', message: expect.stringContaining('did not report ready within 15 s') });
    // The console shows how far it got (on a loaded machine it may still be in the kernel's boot).
    await expect(failure).rejects.toMatchObject({ message: expect.stringMatching(/last console lines: .*(\[\s*\d+\.\d+\]|not reporting ready)/) });
    expect(h.qemuPids()).toEqual([]);
  });

  it('fails a create when the QEMU binary is missing, naming it, and leaves nothing behind', async () => {
    const provider = await h.restart({ vm: { qemu: '/nonexistent/qemu-system-x86_64' } });
    await expect(provider.createServerGroup(spec(h))).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'image',
      message: expect.stringContaining('could not run /nonexistent/qemu-system-x86_64'),
    });
    expect(await provider.getServerGroup(key(h))).toBeUndefined();
    expect(h.qemuPids()).toEqual([]);
  });

  it('reboots an adopted instance in place after a Kiln restart (same id, out of the balancer until ready again) and replaces a terminated one', async () => {
    const lb = await h.provider.ensureLoadBalancer({ application: 'web', account: h.account, region: h.region, name: 'web-front' });
    await h.provider.createServerGroup(spec(h, { loadBalancers: ['web-front'], disabled: false }));
    const [first] = (await healthy(h.provider, key(h), 1)).instances;
    expect((await get(lb.address)).status).toBe(200);
    // Its record holds its metadata token: no other local user may read it.
    expect(statSync(join(h.stateDir, 'vms', first!.id, 'vm.json')).mode & 0o077).toBe(0);
    // A new Kiln adopts the VM: its guestfwd still names what the first one set up, and must still reach Kiln.
    const provider = await h.restart();
    const bootsBefore = ((await provider.instanceLog(first!.id, 1_000_000)) ?? '').split('Linux version').length;

    await provider.rebootInstance!(key(h), first!.id);
    const rebooting = await provider.getServerGroup(key(h));
    expect(rebooting?.instances.map((i) => [i.id, i.health])).toEqual([[first!.id, 'starting']]);
    expect((await get(lb.address)).status).toBe(503);
    const back = await until(
      'the instance up again',
      async () => {
        const g = await provider.getServerGroup(key(h));
        return g?.instances.length === 1 && g.instances[0]!.health === 'up' && g;
      },
      60_000,
    );
    expect(back.instances[0]!.id).toBe(first!.id);
    // It really booted again and reported to the new Kiln: the console shows a second kernel and a second report.
    const log = (await provider.instanceLog(first!.id, 1_000_000)) ?? '';
    expect(log.split('Linux version').length).toBe(bootsBefore + 1);
    expect(log.split('kiln: reported ready').length).toBe(3);

    await provider.terminateInstance!(key(h), first!.id);
    const replaced = await until(
      'a replacement up',
      async () => {
        const g = await provider.getServerGroup(key(h));
        return g?.instances.length === 1 && g.instances[0]!.id !== first!.id && g.instances[0]!.health === 'up' && g;
      },
      60_000,
    );
    expect(replaced.capacity.desired).toBe(1);
    expect((await get(first!.address, '/health', 1000)).status).not.toBe(200);
    expect((await get(lb.address)).status).toBe(200);
  });
});
