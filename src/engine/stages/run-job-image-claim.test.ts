import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageVersionDeletion } from '../../db/repositories/image-deletion';
import { createOwners, createTestRunner, testDigest } from '../../db/test-builders';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { Account } from '../../shared/domain/account';
import { startFakeDockerEngine } from '../cloud/fake-docker-engine';
import type { CloudProvider, ContainerJobs } from '../cloud/provider';
import { createProviders } from '../cloud/providers';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { MANUAL } from '../test-engine';

// A run-job stage on a docker account resolves a Kiln image in one step and starts its container in
// the same step, after other calls to the account: a delete of the version in between must not leave
// the job starting from a version that is gone. The race is forced by hooks in a recording account.
let t: TestDatabase;
let clock = new Date('2026-12-07T10:00:00.000Z');
let engineApi: Awaited<ReturnType<typeof startFakeDockerEngine>> | undefined;
beforeEach(async () => {
  t = await openTestDatabase();
  await createOwners(t.repos);
  await createTestRunner(t.repos);
  engineApi = await startFakeDockerEngine();
  await t.repos.accounts.upsert(
    Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: engineApi.dockerHost } }),
  );
  const build = { builder: 'oci' as const, tools: {}, packages: [] };
  for (const n of [1, 2]) await t.repos.images.create({ name: 'shop', build, digest: testDigest(n), sizeBytes: 1, format: 'oci', artifact: `${n}.oci.tar` }, 'ci');
});
afterEach(async () => {
  await engineApi?.close();
  engineApi = undefined;
  await t.close();
});

/** A docker account whose jobs record what they start; `beforeStart` runs just before a container starts, `beforeFind` before the stage looks for one. */
function recordingCloud(hooks: { beforeStart?: () => Promise<void>; beforeFind?: () => Promise<void> } = {}) {
  const started: string[] = [];
  let exited = false;
  const jobs: ContainerJobs = {
    start: async (spec) => (await hooks.beforeStart?.(), started.push(spec.image), 'c0ffee0000000000'),
    find: async () => (await hooks.beforeFind?.(), undefined),
    state: async () => (exited ? { running: false as const, exitCode: 0, oomKilled: false } : { running: true as const, startedAt: clock.toISOString() }),
    drained: async () => {},
    remove: async () => {},
  };
  const cloud = createProviders(t.repos, undefined, { docker: () => Object.assign({ kind: 'docker', jobs } as CloudProvider, { close: async () => {} }) });
  return { cloud, started, exit: () => (exited = true) };
}

async function runJob(cloud: ReturnType<typeof recordingCloud>, image = 'shop:v1') {
  const engine = createEngine({ repos: t.repos, events: createEventBus(t.repos), now: () => clock, owner: 'test', leaseMs: 30_000, cloud: cloud.cloud });
  const stage = { refId: 'j', type: 'runJob', name: 'Smoke test', config: { account: 'lab', image, command: 'echo hi' } };
  const pipeline = await t.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'smoke', stages: [stage] }), 'ana');
  const { id } = await engine.start(pipeline, MANUAL);
  await engine.tick();
  return { id, engine, run: async () => (await t.repos.executions.get(id))! };
}

const remaining = async () => (await t.repos.images.detail('shop'))?.versions.map((v) => v.version);
type Deletion = Awaited<ReturnType<ReturnType<typeof imageVersionDeletion>['delete']>>;

describe('deleting an image version while a run-job stage starts a container of it', () => {
  it('is refused, naming the execution, once the stage resolved the version; the container starts from it', async () => {
    let outcome: Deletion;
    const cloud = recordingCloud({ beforeStart: async () => void (outcome ??= await imageVersionDeletion(t.db).delete('shop', 'v1')) });
    const { id, run } = await runJob(cloud);
    expect(outcome!).toMatchObject({ deleted: false, deploys: [{ executionId: id, application: 'web', pipeline: 'smoke', stage: 'Smoke test' }] });
    expect((await run()).stages[0]!.status).toBe('RUNNING');
    expect(cloud.started).toEqual(['shop:v1']);
    expect(await remaining()).toEqual(['v2', 'v1']);
  });

  it('lets the version go once the job has ended', async () => {
    const cloud = recordingCloud();
    const { engine, run } = await runJob(cloud);
    cloud.exit();
    clock = new Date(clock.getTime() + 2000);
    await engine.tick();
    expect((await run()).status).toBe('SUCCEEDED');
    expect(await imageVersionDeletion(t.db).delete('shop', 'v1')).toMatchObject({ deleted: true });
  });

  it('fails the stage, naming the version, when the delete won; no container is started', async () => {
    let deleted: Deletion;
    const cloud = recordingCloud({ beforeFind: async () => void (deleted ??= await imageVersionDeletion(t.db).delete('shop', 'v1')) });
    const { run } = await runJob(cloud);
    expect(deleted!).toMatchObject({ deleted: true });
    const done = await run();
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toBe("image 'shop:v1' is not in the registry (deleted, or never baked): no version of 'shop' to run");
    expect(cloud.started).toEqual([]);
  });

  it('starts the version its channel named when the stage resolved it, though the channel moves before the start', async () => {
    await t.repos.images.assignChannel('shop', 'production', 'v1', 'ana');
    const cloud = recordingCloud({ beforeStart: () => t.repos.images.assignChannel('shop', 'production', 'v2', 'ana').then(() => undefined) });
    await runJob(cloud, 'shop@production');
    expect(cloud.started).toEqual(['shop:v1']);
  });

  it('leaves a reference that is not a Kiln image to the engine, unclaimed', async () => {
    const cloud = recordingCloud();
    await runJob(cloud, 'debian:12');
    expect(cloud.started).toEqual(['debian:12']);
  });
});
