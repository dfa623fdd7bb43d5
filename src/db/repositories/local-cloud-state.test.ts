import { describe, expect, it } from 'vitest';
import { createOwners, loadBalancer, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const prodEast = (name: string) => ({ account: 'prod', region: 'east', name });

describe(`local cloud state (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('tells managed groups from display-only ones and keeps their user-data', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.serverGroups.save(serverGroup(prodEast('web-v001')));
    const managed = { ...serverGroup(prodEast('web-v002')), managedBy: 'local' as const, userData: '#cloud-config\n' };
    await repos.serverGroups.save(managed);
    expect(await repos.serverGroups.get(prodEast('web-v001'))).not.toHaveProperty('managedBy');
    expect(await repos.serverGroups.get(prodEast('web-v002'))).toEqual(managed);
    expect((await repos.serverGroups.listManaged('local')).map((g) => g.name)).toEqual(['web-v002']);
    expect(await repos.serverGroups.delete(prodEast('web-v002'))).toBe(true);
    expect(await repos.serverGroups.delete(prodEast('web-v002'))).toBe(false);
    expect(await repos.serverGroups.get(prodEast('web-v002'))).toBeUndefined();
  });

  it('stores managed balancers and finds one by key', async () => {
    const { repos } = current();
    await createOwners(repos);
    const lb = { ...loadBalancer(prodEast('web-prod'), [{ serverGroup: 'web-v001', weight: 100 }]), managedBy: 'local' as const };
    await repos.loadBalancers.save(lb);
    expect(await repos.loadBalancers.get(prodEast('web-prod'))).toEqual(lb);
    expect(await repos.loadBalancers.listManaged('local')).toEqual([lb]);
    expect(await repos.loadBalancers.get(prodEast('nope'))).toBeUndefined();
  });

  it('remembers the process behind each instance until it is forgotten', async () => {
    const { repos } = current();
    const p = { instanceId: 'i-abc123', account: 'prod', region: 'east', serverGroup: 'web-v001', pid: 4242, port: 21001, workDir: '/tmp/x' };
    await repos.cloudProcesses.record(p);
    await repos.cloudProcesses.record({ ...p, pid: 4343 });
    expect(await repos.cloudProcesses.list()).toEqual([{ ...p, pid: 4343 }]);
    await repos.cloudProcesses.forget('i-abc123');
    expect(await repos.cloudProcesses.list()).toEqual([]);
  });

  it('keeps one lease per container account beside the local cloud’s, each held by one owner at a time', async () => {
    const { repos } = current();
    expect(await repos.cloudProcesses.acquireLease('a', 60_000)).toBe(true);
    // Another process may run a container account while the first runs the local cloud…
    expect(await repos.cloudProcesses.acquireLease('b', 60_000, undefined, 'docker:lab')).toBe(true);
    // …but not the same account twice.
    expect(await repos.cloudProcesses.acquireLease('a', 60_000, undefined, 'docker:lab')).toBe(false);
    expect(await repos.cloudProcesses.leaseHolder('docker:lab')).toBe('b');
    expect(await repos.cloudProcesses.leaseHolder()).toBe('a');
    await repos.cloudProcesses.releaseLease('b', 'docker:lab');
    expect(await repos.cloudProcesses.acquireLease('a', 60_000, undefined, 'docker:lab')).toBe(true);
    expect(await repos.cloudProcesses.leaseHolder()).toBe('a');
  });

  it('lets one owner at a time hold the local-cloud lease until it expires or is released', async () => {
    const { repos } = current();
    expect(await repos.cloudProcesses.acquireLease('a', 60_000)).toBe(true);
    expect(await repos.cloudProcesses.acquireLease('b', 60_000)).toBe(false);
    expect(await repos.cloudProcesses.acquireLease('a', 60_000)).toBe(true);
    await repos.cloudProcesses.releaseLease('b');
    expect(await repos.cloudProcesses.acquireLease('b', 60_000)).toBe(false);
    await repos.cloudProcesses.releaseLease('a');
    expect(await repos.cloudProcesses.acquireLease('b', 1)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    // b's lease has run out: a takes over.
    expect(await repos.cloudProcesses.acquireLease('a', 60_000)).toBe(true);
    expect(await repos.cloudProcesses.leaseHolder()).toBe('a');
    // A holder known to be dead can be taken over before its lease runs out.
    expect(await repos.cloudProcesses.acquireLease('c', 60_000, 'x')).toBe(false);
    expect(await repos.cloudProcesses.acquireLease('c', 60_000, 'a')).toBe(true);
  });

  it('guards a cluster until the guard is lifted', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.trafficGuards.set({ application: 'web', account: 'prod', cluster: 'web-prod' }, true);
    await repos.trafficGuards.set({ application: 'web', account: 'prod', cluster: 'web-prod' }, true);
    expect(await repos.trafficGuards.isProtected('prod', 'web-prod')).toBe(true);
    expect(await repos.trafficGuards.isProtected('staging', 'web-prod')).toBe(false);
    expect(await repos.trafficGuards.list('web')).toEqual([{ account: 'prod', cluster: 'web-prod' }]);
    await repos.trafficGuards.set({ application: 'web', account: 'prod', cluster: 'web-prod' }, false);
    expect(await repos.trafficGuards.isProtected('prod', 'web-prod')).toBe(false);
  });
});
