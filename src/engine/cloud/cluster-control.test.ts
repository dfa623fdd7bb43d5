import { describe, expect, it } from 'vitest';
import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import { serverGroup } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { useEngineTest } from '../test-engine';
import type { CloudProvider, ServerGroupKey } from './provider';
import { StandingBy } from './stand-by';

const t = useEngineTest();
const PROD = { account: 'prod', region: 'east' };
const REF = { application: 'web', ...PROD, cluster: 'web-api' };

type Calls = Record<'enable' | 'disable' | 'resize', string[]>;

/** A cloud that only flips the stored rows, and counts what it was asked: enough to watch what the rollback swaps. */
export function rowCloud(repos: Repositories, calls: Calls = { enable: [], disable: [], resize: [] }, hang?: { disable?: Promise<void> }): CloudProvider {
  const change = async (key: ServerGroupKey, patch: Partial<ServerGroup>) => {
    const next = { ...(await repos.serverGroups.get(key))!, ...patch };
    await repos.serverGroups.save(next);
    return next;
  };
  return {
    enableServerGroup: (key: ServerGroupKey) => (calls.enable.push(key.name), change(key, { disabled: false })),
    disableServerGroup: async (key: ServerGroupKey) => {
      calls.disable.push(key.name);
      // A process frozen in the middle of this call (thought dead): it goes on only when the test says.
      if (hang?.disable) await hang.disable;
      return change(key, { disabled: true });
    },
    resizeServerGroup: (key: ServerGroupKey, capacity: Capacity) => (calls.resize.push(key.name), change(key, { capacity })),
  } as unknown as CloudProvider;
}

export async function twoGroups(repos: Repositories, restoreHealth: 'starting' | 'up' = 'starting') {
  await repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v001' }, { health: [restoreHealth], disabled: true }), managedBy: 'local' });
  await repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v002' }, { health: ['up'] }), managedBy: 'local' });
}
const healthy = (repos: Repositories) => repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v001' }, { health: ['up'], disabled: true }), managedBy: 'local' });
const enabled = async () =>
  (await t.repos.serverGroups.listByApplication('web'))
    .filter((g) => !g.disabled)
    .map((g) => g.name)
    .sort();
const stepsOf = async (id: string) => (await t.repos.clusterOperations.get(id))!.steps.map((s) => s.name);

describe('a rollback asked for through the API (a durable engine operation)', () => {
  it('is stored PENDING with who asked, then swaps traffic once the previous group is healthy, a step at a time', async () => {
    await twoGroups(t.repos);
    const engine = t.engine({ cloud: () => Promise.resolve(rowCloud(t.repos)) });
    const op = await engine.clusters.rollback(REF, 'ana');
    expect(op).toMatchObject({
      state: 'PENDING',
      requestedBy: 'ana',
      cluster: 'web-api',
      steps: [{ name: 'requested', message: 'ana asked to roll back web-api from web-api-v002 to web-api-v001' }],
    });
    await engine.clusters.sweep();
    expect(await engine.clusters.operation(op.id)).toMatchObject({ state: 'RUNNING', from: 'web-api-v002', to: 'web-api-v001' });
    for (let i = 0; i < 3; i += 1) {
      t.later(1);
      await engine.clusters.sweep();
      expect(await enabled()).toEqual(['web-api-v002']); // nothing swapped while it is not healthy
    }
    await healthy(t.repos);
    t.later(1);
    await engine.clusters.sweep();
    expect(await enabled()).toEqual(['web-api-v001']);
    const done = (await engine.clusters.operation(op.id))!;
    expect(done).toMatchObject({ state: 'SUCCEEDED', finishedAt: expect.any(String) });
    expect(done.steps.map((s) => s.name)).toEqual(['requested', 'restore', 'healthy', 'enable', 'disable']);
    // The dashboard hears of each step on the application's stream.
    const events = await t.repos.events.after(0, { application: 'web' }, 100);
    expect(events.filter((e) => e.type === 'cluster.operation').map((e) => e.type === 'cluster.operation' && e.data.state)).toEqual([
      'PENDING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'SUCCEEDED',
    ]);
  });

  it('fails after its timeout naming the group that was not healthy; the current group keeps serving', async () => {
    await twoGroups(t.repos);
    const engine = t.engine({ cloud: () => Promise.resolve(rowCloud(t.repos)) });
    const op = await engine.clusters.rollback(REF, 'ana');
    await engine.clusters.sweep();
    t.later(121);
    await engine.clusters.sweep();
    expect(await engine.clusters.operation(op.id)).toMatchObject({
      state: 'FAILED',
      error: "'web-api-v001' had only 0 of 1 healthy instances after 120 s; 'web-api-v002' keeps serving",
    });
    expect(await enabled()).toEqual(['web-api-v002']);
  });

  it('refuses an unknown cluster (404), a cluster with nothing to go back to (409) and a second rollback under way (409), storing nothing', async () => {
    const engine = t.engine({ cloud: () => Promise.resolve(rowCloud(t.repos)) });
    await expect(engine.clusters.rollback({ ...REF, cluster: 'web-ghost' }, 'ana')).rejects.toMatchObject({
      kind: 'not_found',
      field: 'cluster',
      message: "Cluster 'web-ghost' does not exist in prod/east for application 'web'.",
    });
    await t.repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v002' }, { health: ['up'] }), managedBy: 'local' });
    await expect(engine.clusters.rollback(REF, 'ana')).rejects.toMatchObject({
      kind: 'conflict',
      message: "Cluster 'web-api' has no server group older than 'web-api-v002' to roll back to.",
    });
    expect(await engine.clusters.operations('web', false)).toEqual([]);
    await twoGroups(t.repos);
    const first = await engine.clusters.rollback(REF, 'ana');
    await expect(engine.clusters.rollback(REF, 'bo')).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining(`already under way (operation ${first.id}, asked for by ana)`),
    });
    expect((await engine.clusters.operations('web', true)).map((o) => o.id)).toEqual([first.id]);
  });

  it('survives a crash after the enable step: a new engine on the same database finishes it, and no step runs twice', async () => {
    await twoGroups(t.repos, 'up');
    const calls: Calls = { enable: [], disable: [], resize: [] };
    let resume!: () => void;
    const crash = { disable: new Promise<void>((r) => (resume = r)) };
    const a = t.engine({ owner: 'a', cloud: () => Promise.resolve(rowCloud(t.repos, calls, crash)) });
    const op = await a.clusters.rollback(REF, 'ana');
    await a.clusters.sweep(); // A brings v001 back, and looks again at its health a moment later
    t.later(1);
    void a.clusters.sweep(); // A enables v001, then dies inside its call to disable v002
    await expect.poll(() => calls.disable.length).toBe(1);
    expect(await stepsOf(op.id)).toEqual(['requested', 'restore', 'healthy', 'enable']);
    expect(await enabled()).toEqual(['web-api-v001', 'web-api-v002']);

    const b = t.engine({ owner: 'b', cloud: () => Promise.resolve(rowCloud(t.repos, calls)) });
    expect(await b.clusters.sweep()).toBe(0); // A's lease still holds: A may only be slow
    t.later(31); // past A's lease (30 s in tests)
    await b.clusters.sweep();
    expect(await enabled()).toEqual(['web-api-v001']);
    expect(await b.clusters.operation(op.id)).toMatchObject({ state: 'SUCCEEDED' });
    expect(calls).toEqual({ enable: ['web-api-v001'], disable: ['web-api-v002', 'web-api-v002'], resize: [] });

    // A wakes up after all: its lease was taken over, so it records nothing.
    resume();
    await a.clusters.sweep();
    expect(await stepsOf(op.id)).toEqual(['requested', 'restore', 'healthy', 'enable', 'disable']);
  });

  it('is accepted by a Kiln that stands by for the local cloud, and run by the one that runs it', async () => {
    await twoGroups(t.repos, 'up');
    const standing = t.engine({ owner: 'a', leadsCloud: () => false, cloud: () => Promise.reject(new StandingBy()) });
    const op = await standing.clusters.rollback(REF, 'ana');
    await standing.clusters.sweep();
    expect(await stepsOf(op.id)).toEqual(['requested']); // left alone, not failed
    expect(await standing.clusters.sweep()).toBe(0); // and not claimed again just to be put back
    const leading = t.engine({ owner: 'b', cloud: () => Promise.resolve(rowCloud(t.repos)) });
    await leading.clusters.sweep();
    t.later(1);
    await leading.clusters.sweep();
    expect(await leading.clusters.operation(op.id)).toMatchObject({ state: 'SUCCEEDED' });
    expect(await enabled()).toEqual(['web-api-v001']);
  });
});
