import { describe, expect, it } from 'vitest';
import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import { serverGroup } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { useEngineTest } from '../test-engine';
import type { CloudProvider, ServerGroupKey } from './provider';

const t = useEngineTest();
const PROD = { account: 'prod', region: 'east' };
const REF = { application: 'web', ...PROD, cluster: 'web-api' };

/** A cloud that only flips the stored rows: enough to watch what the rollback swaps. */
function rowCloud(repos: Repositories): CloudProvider {
  const change = async (key: ServerGroupKey, patch: Partial<ServerGroup>) => {
    const next = { ...(await repos.serverGroups.get(key))!, ...patch };
    await repos.serverGroups.save(next);
    return next;
  };
  return {
    enableServerGroup: (key: ServerGroupKey) => change(key, { disabled: false }),
    disableServerGroup: (key: ServerGroupKey) => change(key, { disabled: true }),
    resizeServerGroup: (key: ServerGroupKey, capacity: Capacity) => change(key, { capacity }),
  } as unknown as CloudProvider;
}

async function twoGroups() {
  await t.repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v001' }, { health: ['starting'], disabled: true }), managedBy: 'local' });
  await t.repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v002' }, { health: ['up'] }), managedBy: 'local' });
}
const enabled = async () => (await t.repos.serverGroups.listByApplication('web')).filter((g) => !g.disabled).map((g) => g.name);

describe('a rollback asked for through the API (engine.clusters.rollback)', () => {
  it('swaps traffic to the previous group once it is healthy, waiting on the engine clock', async () => {
    await twoGroups();
    let waits = 0;
    const engine = t.engine({
      cloud: () => Promise.resolve(rowCloud(t.repos)),
      sleep: async (ms) => {
        t.later(ms / 1000);
        waits += 1;
        expect(await enabled()).toEqual(['web-api-v002']); // nothing swapped while it is not healthy
        if (waits === 3) await t.repos.serverGroups.save({ ...serverGroup({ ...PROD, name: 'web-api-v001' }, { health: ['up'], disabled: true }), managedBy: 'local' });
      },
    });
    await expect(engine.clusters.rollback(REF)).resolves.toEqual({ serverGroup: 'web-api-v001', rolledBackFrom: 'web-api-v002' });
    expect(await enabled()).toEqual(['web-api-v001']);
  });

  it('gives up after its timeout with a 409 naming the cluster; the current group keeps serving', async () => {
    await twoGroups();
    const engine = t.engine({ cloud: () => Promise.resolve(rowCloud(t.repos)), sleep: async (ms) => void t.later(ms / 1000) });
    await expect(engine.clusters.rollback(REF)).rejects.toMatchObject({
      kind: 'conflict',
      field: 'cluster',
      message: "'web-api-v001' had 0 of 1 healthy instances after 120 s; 'web-api-v002' keeps serving",
    });
    expect(await enabled()).toEqual(['web-api-v002']);
  });
});
