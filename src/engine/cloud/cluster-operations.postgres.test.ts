import { describe, expect, it } from 'vitest';
import { useTwoDatabases } from '../test-two-databases';
import { serverGroup } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import type { Capacity } from '../../shared/domain/server-group';
import type { CloudProvider, ServerGroupKey } from './provider';

// Two Kiln engines on one database (on PostgreSQL: two connection pools, truly concurrent), both
// sweeping every 10 ms with short leases (300 ms, renewed while a step runs): every rollback must take
// each of its steps once, whichever engine claims it, and swap its cluster exactly once.
const env = useTwoDatabases();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLUSTERS = ['web-api', 'web-www', 'web-admin', 'web-jobs'];

describe('rollbacks with two engines on one database', () => {
  it('takes every step of every rollback once, whichever engine claims it', { timeout: 120_000 }, async () => {
    const calls: string[] = [];
    // Provider calls that take a while (up to 60 ms), so both engines are busy at once.
    const cloud = (db: Repositories) => (): Promise<CloudProvider> => {
      const change = async (what: string, key: ServerGroupKey, disabled?: boolean, capacity?: Capacity) => {
        calls.push(`${what} ${key.name}`);
        await sleep(Math.random() * 60);
        const sg = (await db.serverGroups.get(key))!;
        const next = { ...sg, ...(disabled === undefined ? {} : { disabled }), ...(capacity ? { capacity } : {}) };
        await db.serverGroups.save(next);
        return next;
      };
      return Promise.resolve({
        enableServerGroup: (key: ServerGroupKey) => change('enable', key, false),
        disableServerGroup: (key: ServerGroupKey) => change('disable', key, true),
        resizeServerGroup: (key: ServerGroupKey, capacity: Capacity) => change('resize', key, undefined, capacity),
      } as unknown as CloudProvider);
    };
    const make = (owner: string, db: Repositories) => {
      const e = createEngine({ repos: db, events: createEventBus(db), owner, leaseMs: 300, tickMs: 10, cloud: cloud(db) });
      env.track(e);
      return e;
    };
    const a = make('a', env.repos);
    const b = make('b', env.other());
    const at = { account: 'prod', region: 'east' };
    const ids: string[] = [];
    for (const cluster of CLUSTERS) {
      await env.repos.serverGroups.save({ ...serverGroup({ ...at, name: `${cluster}-v001` }, { health: ['up'], disabled: true }), managedBy: 'local' });
      await env.repos.serverGroups.save({ ...serverGroup({ ...at, name: `${cluster}-v002` }, { health: ['up'] }), managedBy: 'local' });
      ids.push((await (ids.length % 2 ? a : b).clusters.rollback({ application: 'web', ...at, cluster }, 'ana')).id);
    }
    a.run();
    b.run();
    const end = Date.now() + 60_000;
    for (;;) {
      const ops = await Promise.all(ids.map((id) => env.repos.clusterOperations.get(id)));
      if (ops.every((o) => o?.state === 'SUCCEEDED' || o?.state === 'FAILED')) break;
      if (Date.now() > end) throw new Error(`still running: ${ops.filter((o) => o?.state !== 'SUCCEEDED').length}`);
      await sleep(100);
    }
    const ops = await Promise.all(ids.map(async (id) => (await env.repos.clusterOperations.get(id))!));
    expect(ops.map((o) => [o.cluster, o.state, o.error ?? ''])).toEqual(CLUSTERS.map((c) => [c, 'SUCCEEDED', '']));
    for (const op of ops) expect(op.steps.map((s) => s.name)).toEqual(['requested', 'restore', 'healthy', 'enable', 'disable']);
    // The lease is renewed while a call runs, so neither engine ever starts a step the other has.
    const enabled = (await env.repos.serverGroups.listByApplication('web'))
      .filter((g) => !g.disabled)
      .map((g) => g.name)
      .sort();
    expect(enabled).toEqual(CLUSTERS.map((c) => `${c}-v001`).sort());
    expect(calls.sort()).toEqual(CLUSTERS.flatMap((c) => [`disable ${c}-v002`, `enable ${c}-v001`]).sort());
  });
});
