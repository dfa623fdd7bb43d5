import { describe, expect, it } from 'vitest';
import { type Actor, currentActor, withActor } from '../../db/actor-scope';
import type { Repositories } from '../../db/types';
import { serverGroup } from '../../db/test-builders';
import { groupSaver, type RuntimeGroup } from './group-healing';
import { createGroupTraffic, type TrackedGroup } from './group-traffic';
import type { Balancers } from './local-balancers';
import type { InstanceState } from './local-instance';

// Saves of a group are queued and take the group as it is when they run: a health save queued before
// someone's enable can be the one that writes it. The history must still say who enabled it.
describe('who enabled or disabled a group, across queued saves', () => {
  it('an enable or disable remembers who made it, and a save made outside their call is saved as theirs', async () => {
    const saves: Array<Actor | undefined> = [];
    const repos = { serverGroups: { save: async () => void saves.push(currentActor()) } } as unknown as Repositories;
    const g = {
      sg: { ...serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v001' }), loadBalancers: [] },
      instances: [] as InstanceState[],
      destroying: false,
      saved: '',
      crashes: 0,
      nextLaunchMs: 0,
      running: Promise.resolve(),
      queued: false,
    } as RuntimeGroup<InstanceState> & TrackedGroup;
    const traffic = createGroupTraffic<typeof g>({
      repos,
      balancers: { route: async () => {} } as unknown as Balancers,
      managedBy: 'local',
      ready: async () => {},
      reconcile: async () => {},
      persist: async () => {}, // the change's own save is left for later: the health save below writes it
      drainTimeoutMs: 0,
    });
    await withActor({ user: 'ana' }, () => traffic.enable(g, 100));
    const save = groupSaver(repos, () => {});
    await save(g); // a health pass, outside ana's call
    expect(saves).toEqual([{ user: 'ana' }]);
    await withActor({ user: 'kiln-run', execution: 'e1' }, () => traffic.disable(g));
    g.instances = [];
    await save(g);
    expect(saves.at(-1)).toEqual({ user: 'kiln-run', execution: 'e1' });
  });
});
