import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../../shared/domain/pipeline';
import { createDatabase } from '../../../db/client';
import { createRepositories } from '../../../db/repositories';
import type { Database, Repositories } from '../../../db/types';
import { createEventBus } from '../../events/event-bus';
import { createEngine, type Engine } from '../../index';
import { countingClaims } from '../../test-two-databases';
import { until } from '../contract/contract-helpers';
import type { CloudProvider } from '../provider';
import { createProviders } from '../providers';
import { borrowed } from '../test-provider-harness';
import { openQemuHarness, QEMU_SKIP_REASON, type QemuHarness } from './qemu-harness';
import type { QemuProvider } from './qemu-provider-options';

// Two Kiln processes on one database (on PostgreSQL: two connection pools) on one machine, each
// with its own engine and its own VM provider for account 'vms' (the same state dir). The leader's
// provider holds the account's lease `qemu:vms`; the standby's engine is the one that claims the
// deploy. Every server group create that reaches a provider is counted; one VM boots per test.
const LEASE_MS = 3000;
let h: QemuHarness | undefined;
let second: Database | undefined;
const engines: Engine[] = [];
const providers: QemuProvider[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  const lead = providers.splice(0).find((p) => p.leading);
  for (const sg of (await h?.repos.serverGroups.listManaged('qemu')) ?? []) await lead?.destroyServerGroup(sg);
  const left = await h?.close();
  await second?.close();
  h = undefined;
  second = undefined;
  expect(left ?? []).toEqual([]);
});

async function twoProcesses() {
  h = await openQemuHarness({ owner: 'leader', leaseMs: LEASE_MS });
  second = h.url ? await createDatabase({ databaseUrl: h.url }) : undefined;
  const standbyRepos = second ? createRepositories(second) : h.repos;
  const standbyProvider = await h.fresh({ owner: 'standby', leaseMs: LEASE_MS, repos: standbyRepos });
  providers.push(h.provider, standbyProvider);
  expect([h.provider.leading, standbyProvider.leading]).toEqual([true, false]);
  const creates: string[] = [];
  const claims: Record<string, string[]> = { leader: [], standby: [] };
  const process = (name: 'leader' | 'standby', repos: Repositories, provider: QemuProvider) => {
    const counted: QemuProvider = Object.assign(Object.create(provider) as QemuProvider, {
      createServerGroup: (spec: Parameters<CloudProvider['createServerGroup']>[0]) => (creates.push(`${name}: ${spec.name}`), provider.createServerGroup(spec)),
    });
    const cloud = createProviders(repos, undefined, { qemu: () => borrowed(counted) });
    const engine = createEngine({
      repos: countingClaims(repos, claims[name]!),
      events: createEventBus(repos),
      owner: name,
      tickMs: 50,
      cloud,
      jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
    });
    engines.push(engine);
    return { engine, cloud };
  };
  const leader = process('leader', h.repos, h.provider);
  const standby = process('standby', standbyRepos, standbyProvider);
  // Each process has asked for the account's provider: the leader's holds the lease, the standby's does not.
  await leader.cloud('vms');
  await standby.cloud('vms');
  expect([leader.cloud.leases(), standby.cloud.leases()]).toEqual([['qemu:vms'], []]);
  const pipeline = await h.repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: 'to-vms',
      stages: [
        {
          refId: 's',
          type: 'deploy',
          name: 'Deploy',
          config: { account: 'vms', region: 'east', stack: 'vm', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' },
        },
      ],
    }),
    'ana',
  );
  // The process standing by is the one that starts the run and claims it first.
  standby.engine.run();
  const id = (await standby.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
  await until('the standby to claim the deploy', async () => claims.standby!.includes(id));
  const repos = h.repos;
  const finished = () =>
    until(
      `execution ${id} to end`,
      async () => {
        const e = await repos.executions.get(id);
        return e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
      },
      150_000,
    );
  return { h, id, leader, standbyProvider, creates, claims, finished };
}

describe.skipIf(QEMU_SKIP_REASON !== undefined)(
  `a deploy to a VM account claimed by a process that does not hold the account's lease${QEMU_SKIP_REASON ? ` (skipped: ${QEMU_SKIP_REASON})` : ''}`,
  { timeout: 200_000 },
  () => {
    it('is left to the process that holds qemu:<account>, not failed nor retried by the other, and boots its VM once', async () => {
      const { h, id, leader, creates, claims, finished } = await twoProcesses();
      // Long enough for a retry every second (what a failed step would do) to claim it twice more.
      await new Promise((r) => setTimeout(r, 2500));
      const waiting = (await h.repos.executions.get(id))!;
      expect(waiting.status).toBe('RUNNING');
      expect(waiting.stages[0]).toMatchObject({ status: 'RUNNING' });
      expect(waiting.stages[0]!.error).toBeUndefined();
      expect(creates).toEqual([]);
      expect(h.qemuPids()).toEqual([]);

      leader.engine.run();
      const done = await finished();
      expect(done.stages[0]!.error).toBeUndefined();
      expect(done.status).toBe('SUCCEEDED');
      expect(creates).toEqual(['leader: web-vm-v001']);
      expect(h.qemuPids()).toHaveLength(1);
      // The standby claimed it once and handed it over; it never came back to it.
      expect(claims.standby!.filter((c) => c === id)).toHaveLength(1);
    });

    it('is run by the process standing by once the holder is gone and it took the lease over', async () => {
      const { h, standbyProvider, creates, finished } = await twoProcesses();
      await new Promise((r) => setTimeout(r, 300));
      await h.provider.close(); // the holder's process goes: its lease is free
      const done = await finished();
      expect(done.stages[0]!.error).toBeUndefined();
      expect(done.status).toBe('SUCCEEDED');
      expect(standbyProvider.leading).toBe(true);
      expect(creates).toEqual(['standby: web-vm-v001']);
      expect(h.qemuPids()).toHaveLength(1);
    });
  },
);
