import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageVersionDeletion } from '../../db/repositories/image-deletion';
import { createOwners, createTestRunner, serverGroup, testDigest } from '../../db/test-builders';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { CloudProvider } from '../cloud/provider';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { MANUAL } from '../test-engine';

// A deploy resolves its image in one step and creates its server group in a later one; a delete of
// the version in between must not leave the deploy launching from a missing artifact. Runs on PGlite,
// and on PostgreSQL through with-postgres.sh.
let t: TestDatabase;
let clock = new Date('2026-12-07T10:00:00.000Z');
beforeEach(async () => {
  t = await openTestDatabase();
  await createOwners(t.repos);
  await createTestRunner(t.repos);
});
afterEach(() => t.close());

/** A cloud that records what it launches; `onResolve` runs while the deploy resolves its image. */
function fakeCloud(onResolve: () => Promise<void> = async () => undefined) {
  const groups = new Map<string, ServerGroup>();
  const launched: string[] = [];
  const provider = {
    kind: 'local',
    async resolveImage(ref: string) {
      await onResolve();
      const at = ref.lastIndexOf(':');
      return { name: ref.slice(0, at), version: ref.slice(at + 1) };
    },
    async createServerGroup(spec: { account: string; region: string; name: string; image: string }) {
      launched.push(`${spec.name} from ${spec.image}`);
      const sg = { ...serverGroup(spec), disabled: true };
      groups.set(spec.name, sg);
      return sg;
    },
    getServerGroup: async (key: { name: string }) => groups.get(key.name),
    async enableServerGroup(key: { name: string }) {
      const sg = { ...groups.get(key.name)!, disabled: false };
      groups.set(key.name, sg);
      return sg;
    },
  } as unknown as CloudProvider;
  return { provider, launched };
}

async function twoVersions() {
  const build = { builder: 'oci' as const, tools: {}, packages: [] };
  for (const n of [1, 2]) await t.repos.images.create({ name: 'shop', build, digest: testDigest(n), sizeBytes: 1, format: 'oci', artifact: `${n}.oci.tar` }, 'ci');
}

/** Starts a deploy of shop:v1 on the fake cloud and runs it to its end on a clock moved by hand. */
async function deployShopV1(provider: CloudProvider, beforeEachStep: () => Promise<void> = async () => undefined, image = 'shop:v1') {
  const cloud = async () => (await beforeEachStep(), provider);
  const engine = createEngine({ repos: t.repos, events: createEventBus(t.repos), now: () => clock, owner: 'test', leaseMs: 30_000, cloud });
  const config = { account: 'prod', region: 'east', stack: 'claim', image, capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' };
  const pipeline = await t.repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: 'ship', stages: [{ refId: 'deploy', type: 'deploy', name: 'Deploy', config }] }),
    'ana',
  );
  const { id } = await engine.start(pipeline, MANUAL);
  for (let i = 0; i < 50; i++) {
    await engine.tick();
    const e = (await t.repos.executions.get(id))!;
    if (['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status)) return e;
    clock = new Date(clock.getTime() + 1000);
  }
  throw new Error('the deploy did not end');
}

const remaining = async () => (await t.repos.images.detail('shop'))?.versions.map((v) => v.version);

describe('deleting an image version while a deploy resolves it', () => {
  it('is refused, naming the execution, once the deploy holds the version; the deploy launches from the version it resolved', async () => {
    await twoVersions();
    let outcome: Awaited<ReturnType<ReturnType<typeof imageVersionDeletion>['delete']>>;
    // The delete lands after the deploy resolved shop:v1 and before it launches its group: the old window.
    const { provider, launched } = fakeCloud(async () => {
      outcome ??= await imageVersionDeletion(t.db).delete('shop', 'v1');
    });
    const done = await deployShopV1(provider);
    expect(outcome!).toMatchObject({ deleted: false, deploys: [{ executionId: done.id, application: 'web', pipeline: 'ship', stage: 'Deploy' }] });
    expect(done.status).toBe('SUCCEEDED');
    expect(launched).toEqual(['web-claim-v001 from shop:v1']);
    expect(await remaining()).toEqual(['v2', 'v1']);
  });

  it('no longer counts the claim once the deploy stage has ended', async () => {
    await twoVersions();
    const done = await deployShopV1(fakeCloud().provider);
    expect(done.status).toBe('SUCCEEDED');
    // The fake cloud keeps no server group record, so nothing else holds v1.
    expect(await imageVersionDeletion(t.db).delete('shop', 'v1')).toMatchObject({ deleted: true });
  });

  it('fails the deploy, naming the version, when the delete won; nothing is launched', async () => {
    await twoVersions();
    const { provider, launched } = fakeCloud();
    let deleted: unknown;
    // The delete commits after the stage started and just before it claims the version.
    const done = await deployShopV1(provider, async () => {
      deleted ??= await imageVersionDeletion(t.db).delete('shop', 'v1');
    });
    expect(deleted).toMatchObject({ deleted: true });
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toBe("image 'shop:v1' is not in the registry (deleted, or never baked): no version of 'shop' to deploy");
    expect(launched).toEqual([]);
  });

  it('launches the version its channel named when the deploy began, though the channel moves before the launch', async () => {
    await twoVersions();
    await t.repos.images.assignChannel('shop', 'production', 'v1', 'ana');
    const { provider, launched } = fakeCloud(async () => {
      await t.repos.images.assignChannel('shop', 'production', 'v2', 'ana');
    });
    const done = await deployShopV1(provider, undefined, 'shop@production');
    expect(done.status).toBe('SUCCEEDED');
    expect(launched).toEqual(['web-claim-v001 from shop:v1']);
    expect(done.stages[0]!.outputs).toMatchObject({ image: 'shop@production' });
  });
});
