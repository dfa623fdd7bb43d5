import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClaims } from '../test-two-databases';
import { Account } from '../../shared/domain/account';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { Instance } from '../../shared/domain/instance';
import type { ServerGroup } from '../../shared/domain/server-group';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createOwners, createTestRunner } from '../../db/test-builders';
import type { Database, Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import { EngineError } from '../errors';
import { createLeadership } from './local-lease';
import type { ServerGroupKey } from './provider';
import { createProviders, type ClosableProvider, type Providers } from './providers';
import { newServerGroupRecord } from './server-group-core';
import { StandingBy } from './stand-by';
import { until } from './test-cloud';
import { startFakeDockerEngine } from './fake-docker-engine';

// Two Kiln processes on one database (on PostgreSQL: two connection pools), each with its own
// engine and its own provider for the docker account 'lab'. Like the real container provider, the
// stand-in below runs the account only while it holds the account's lease in the database
// (`docker:lab`, createLeadership) and otherwise stands by; its containers are kept in memory, so
// the test is about who takes the next step, not about Podman (docker-lease.test.ts covers that).
const LEASE_MS = 3000;
let db: TestDatabase | undefined;
let second: Database | undefined;
let engineApi: Awaited<ReturnType<typeof startFakeDockerEngine>> | undefined;
const engines: Engine[] = [];
const providers: Providers[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  for (const p of providers.splice(0)) await p.close();
  await second?.close();
  await db?.close();
  await engineApi?.close();
  engineApi = undefined;
  db = undefined;
  second = undefined;
});

const key = (k: ServerGroupKey) => `${k.account}/${k.region}/${k.name}`;

/** A container account run in memory under the real account lease; every create is counted. */
function standInProvider(repos: Repositories, owner: string, creates: string[]): ClosableProvider & { readonly leading: boolean } {
  const groups = new Map<string, ServerGroup>();
  const lease = 'docker:lab';
  const leadership = createLeadership({ repos, owner, leaseMs: LEASE_MS, lease, what: "account 'lab'", onLead: async () => {}, onLose: async () => {}, log: () => {} });
  // The real provider renews its lease after each round of health checks.
  const renewer = setInterval(() => void leadership.renew(), 250);
  const ready = () => {
    if (!leadership.leading) throw new StandingBy(lease, "Account 'lab'");
  };
  const get = (k: ServerGroupKey) => {
    ready();
    const g = groups.get(key(k));
    if (!g) throw new EngineError('not_found', `no ${k.name}`, 'serverGroup');
    return g;
  };
  const unsupported = () => Promise.reject(new Error('not used by these deploys'));
  return {
    kind: 'docker',
    lease,
    get leading() {
      return leadership.leading;
    },
    start: () => leadership.start(),
    async close() {
      clearInterval(renewer);
      await leadership.close();
    },
    async resolveImage(ref) {
      ready();
      const [name, version] = ref.split(':');
      return { name: name!, version: version! };
    },
    async createServerGroup(spec) {
      ready();
      creates.push(`${owner}: ${spec.name}`);
      const sg = newServerGroupRecord(spec, { name: 'sample-app', version: 'v1' }, spec.capacity, 'docker');
      const at = new Date().toISOString();
      sg.instances = [
        Instance.parse({
          id: `i-${spec.name.replaceAll('-', '')}`,
          serverGroup: spec.name,
          account: spec.account,
          region: spec.region,
          zone: 'a',
          health: 'up',
          healthDetail: 'ok',
          address: '127.0.0.1:1',
          launchedAt: at,
        }),
      ];
      groups.set(key(spec), sg);
      await repos.serverGroups.save(sg);
      return sg;
    },
    async getServerGroup(k) {
      ready();
      return groups.get(key(k));
    },
    async enableServerGroup(k) {
      const g = get(k);
      g.disabled = false;
      return g;
    },
    async disableServerGroup(k) {
      const g = get(k);
      g.disabled = true;
      return g;
    },
    async listInstances(k) {
      return get(k).instances;
    },
    resizeServerGroup: unsupported,
    destroyServerGroup: unsupported,
    rebootInstance: unsupported,
    terminateInstance: unsupported,
    instanceLog: unsupported,
    ensureLoadBalancer: unsupported,
    setTrafficWeights: unsupported,
    traffic: unsupported,
  };
}

async function twoProcesses() {
  db = await openTestDatabase();
  await createOwners(db.repos);
  await createTestRunner(db.repos);
  // A deploy asks the account's engine whether it answers before anything else.
  engineApi = await startFakeDockerEngine();
  await db.repos.accounts.upsert(
    Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: engineApi.dockerHost } }),
  );
  second = db.url ? await createDatabase({ databaseUrl: db.url }) : undefined;
  const creates: string[] = [];
  const claims: Record<string, string[]> = { leader: [], standby: [] };
  const made: Record<string, ClosableProvider & { readonly leading: boolean }> = {};
  const process = (name: 'leader' | 'standby', repos: Repositories) => {
    const cloud = createProviders(repos, undefined, { docker: () => (made[name] = standInProvider(repos, name, creates)) });
    providers.push(cloud);
    const seen = countingClaims(repos, claims[name]!);
    const engine = createEngine({ repos: seen, events: createEventBus(repos), owner: name, tickMs: 50, cloud, jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')) });
    engines.push(engine);
    return { engine, cloud };
  };
  const leader = process('leader', db.repos);
  const standby = process('standby', second ? createRepositories(second) : db.repos);
  // The leader's process has run the account since before the deploy: it holds the lease.
  await leader.cloud('lab');
  const pipeline = await db.repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: 'to-containers',
      stages: [
        {
          refId: 's',
          type: 'deploy',
          name: 'Deploy',
          config: { account: 'lab', region: 'east', stack: 'lab', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' },
        },
      ],
    }),
    'ana',
  );
  // The process standing by is the one that starts the run and claims it first.
  standby.engine.run();
  const id = (await standby.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
  await until('the standby to claim the deploy', async () => claims.standby!.includes(id));
  await until("the standby to ask for the account's provider", async () => made.standby !== undefined);
  expect([made.leader?.leading, made.standby?.leading]).toEqual([true, false]);
  expect(standby.cloud.leases()).toEqual([]);
  expect(leader.cloud.leases()).toEqual(['docker:lab']);
  const finished = () =>
    until(
      `execution ${id} to end`,
      async () => {
        const e = await db!.repos.executions.get(id);
        return e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
      },
      60_000,
    );
  return { repos: db.repos, id, leader, made, creates, claims, finished };
}

describe('a deploy to a docker account claimed by a process that does not hold the account lease', { timeout: 90_000 }, () => {
  it('is left to the process that holds it: never advanced or claimed again by the other, deployed once by the holder', async () => {
    const { repos, id, leader, creates, claims, finished } = await twoProcesses();
    // Long enough for a retry every second (the old behaviour) to claim it twice more.
    await new Promise((r) => setTimeout(r, 2500));
    const waiting = (await repos.executions.get(id))!;
    expect(waiting.status).toBe('RUNNING');
    expect(waiting.stages[0]).toMatchObject({ status: 'RUNNING' });
    expect(waiting.stages[0]!.error).toBeUndefined();
    expect(creates).toEqual([]);
    expect(claims.standby!.filter((c) => c === id)).toHaveLength(1);

    leader.engine.run();
    const done = await finished();
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(creates).toEqual(['leader: web-lab-v001']);
    // The holder took every step after the hand-over; the standby never came back to it.
    expect(claims.standby!.filter((c) => c === id)).toHaveLength(1);
    expect(claims.leader!.filter((c) => c === id).length).toBeGreaterThan(0);
  });

  it('is run by the process standing by once the holder is gone and it took the lease over', async () => {
    const { made, creates, finished } = await twoProcesses();
    await new Promise((r) => setTimeout(r, 300));
    await made.leader!.close(); // the holder's process goes: its lease is free
    const done = await finished();
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(made.standby!.leading).toBe(true);
    expect(creates).toEqual(['standby: web-lab-v001']);
  });
});
