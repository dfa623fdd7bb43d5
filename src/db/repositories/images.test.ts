import { describe, expect, it } from 'vitest';
import { RecipeDraft } from '../../shared/domain/recipe';
import { RevisionConflictError } from '../errors';
import { createOwners, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';
import type { NewImage } from './images';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const image = (name: string, n: number, parentId?: string): NewImage => ({
  name,
  build: { builder: 'bundle', tools: { tar: 'tar 1.34' }, packages: [] },
  digest: digest(n),
  sizeBytes: 1000 + n,
  format: 'bundle',
  artifact: `${digest(n).slice(7)}.tar.zst`,
  parentId,
  run: { entrypoint: 'server.mjs', healthPath: '/health' },
});

describe(`image registry (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('numbers versions per name, points latest at the newest and keeps every channel move', async () => {
    const { repos } = current();
    const v1 = await repos.images.create(image('web', 1), 'ci');
    const v2 = await repos.images.create(image('web', 2), 'ci');
    const other = await repos.images.create(image('api', 3), 'ci');
    expect([v1.version, v2.version, other.version]).toEqual(['v1', 'v2', 'v1']);
    expect((await repos.images.get(v1.id))!.channels).toEqual([]);

    const moved = await repos.images.assignChannel('web', 'production', 'v1', 'alice');
    expect(moved).toMatchObject({ channel: 'production', version: 'v1', by: 'alice' });
    const again = await repos.images.assignChannel('web', 'production', 'v2', 'bob');
    expect(again).toMatchObject({ version: 'v2', previous: 'v1', by: 'bob' });
    await expect(repos.images.assignChannel('web', 'production', 'v9', 'bob')).rejects.toMatchObject({ field: 'version' });

    const detail = (await repos.images.detail('web'))!;
    expect(detail.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(detail.channels).toEqual({ latest: 'v2', production: 'v2' });
    expect(detail.history.filter((h) => h.channel === 'production').map((h) => `${h.previous ?? '-'}→${h.version}`)).toEqual(['v1→v2', '-→v1']);
    expect((await repos.images.resolve('web@production'))!.id).toBe(v2.id);
    expect((await repos.images.list()).map((s) => [s.name, s.versions, s.latest.version])).toEqual([
      ['api', 1, 'v1'],
      ['web', 2, 'v2'],
    ]);
  });

  it('spreads a revocation to descendants, and a scheduled one takes effect at its time', async () => {
    const { repos } = current();
    const base = await repos.images.create(image('base', 1), 'ci');
    const mid = await repos.images.create(image('mid', 2, base.id), 'ci');
    const app = await repos.images.create(image('app', 3, mid.id), 'ci');
    const at = '2030-01-01T00:00:00.000Z';
    await repos.images.revoke('base', 'v1', { at, reason: 'kernel CVE', by: 'sec' });

    const before = (await repos.images.get(app.id, new Date('2029-12-31T00:00:00Z')))!;
    expect(before).toMatchObject({ revoked: false, revocation: { at, reason: 'kernel CVE', from: 'base:v1' } });
    const after = (await repos.images.get(app.id, new Date('2030-01-02T00:00:00Z')))!;
    expect(after.revoked).toBe(true);
    expect((await repos.images.detail('app', new Date('2030-01-02T00:00:00Z')))!.ancestry['v1']).toEqual([
      { ref: 'mid:v1', revoked: true },
      { ref: 'base:v1', revoked: true },
    ]);
    await expect(repos.images.revoke('base', 'v7', { at, reason: 'x', by: 'y' })).rejects.toMatchObject({ field: 'version' });
  });

  it('shows where each version runs from the server groups launched from it', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.images.create(image('web', 1), 'ci');
    const sg = serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v003' }, { health: ['up', 'up'] });
    await repos.serverGroups.save({ ...sg, image: { name: 'web', version: 'v1' } });
    await repos.serverGroups.save(serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v002' }));
    const usage = (await repos.images.detail('web'))!.usage;
    expect(usage).toEqual([
      { version: 'v1', application: 'web', account: 'prod', region: 'east', cluster: 'web-prod', serverGroup: 'web-prod-v003', instances: 2, disabled: false },
    ]);
  });

  it('keeps every recipe revision and refuses a save based on a stale one', async () => {
    const { repos } = current();
    const r1 = await repos.recipes.create(RecipeDraft.parse({ name: 'web' }), 'alice');
    const r2 = await repos.recipes.save(r1.id, 1, RecipeDraft.parse({ name: 'web', description: 'second' }), 'bob');
    expect(r2).toMatchObject({ revision: 2, description: 'second', updatedBy: 'bob' });
    const stale = await repos.recipes.save(r1.id, 1, RecipeDraft.parse({ name: 'web', description: 'lost' }), 'carol').catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(RevisionConflictError);
    expect((stale as RevisionConflictError<{ revision: number }>).current.revision).toBe(2);
    expect((await repos.recipes.revisions(r1.id)).map((r) => r.revision)).toEqual([2, 1]);
    await expect(repos.recipes.create(RecipeDraft.parse({ name: 'web' }), 'x')).rejects.toMatchObject({ field: 'name' });
  });
});
