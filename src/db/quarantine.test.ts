import { afterEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../shared/domain/pipeline';
import type { LoadBalancer } from '../shared/domain/load-balancer';
import { quarantinedRows, resetQuarantine, setQuarantineLog } from './quarantine';
import { createOwners, useTestDatabase } from './test-builders';
import { testDriver } from './test-database';

const digest = `sha256:${'1'.repeat(64)}`;
const image = (commit: string) => ({
  name: 'shop',
  build: { builder: 'bundle' as const, tools: {}, packages: [], git: { commit } },
  digest,
  sizeBytes: 10,
  format: 'bundle' as const,
  artifact: 'a.tar.zst',
});
afterEach(() => resetQuarantine());

describe(`rows that do not parse (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('refuses to store an image its reads would refuse, naming the field, and moves no channel', async () => {
    const { repos, db } = current();
    await expect(repos.images.create(image('a'.repeat(65)), 'ci')).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'build.git.commit',
      message: "image: 'build.git.commit' Too big: expected string to have <=64 characters",
    });
    expect(await repos.images.all()).toEqual([]);
    expect((await db.query('select count(*)::int as n from image_channels')).rows[0]).toEqual({ n: 0 });
    expect((await repos.images.create(image('a'.repeat(64)), 'ci')).version).toBe('v1');
  });

  it('refuses users, roles and load balancers its reads would refuse, naming the field', async () => {
    const { repos } = current();
    await expect(repos.users.create({ name: 'Not A Name!', displayName: 'x', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'name',
    });
    await expect(repos.users.saveRole({ name: 'ops', description: 'x'.repeat(501), members: [], grants: [] })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'description',
    });
    const lb = {
      name: 'web-prod',
      application: 'web',
      account: 'prod',
      region: 'east',
      protocol: 'http',
      address: '127.0.0.1:1',
      healthCheckPath: 'health',
      targets: [],
    } as unknown as LoadBalancer;
    await expect(repos.loadBalancers.save(lb)).rejects.toMatchObject({ name: 'ValidationError', field: 'healthCheckPath' });
    expect((await repos.users.list()).map((u) => u.name)).not.toContain('Not A Name!');
  });

  it('leaves a bad row out of lists, logs it once, answers a read of it by name with its fault, and lets it go once repaired', async () => {
    const { repos, db } = current();
    const logged: string[] = [];
    setQuarantineLog((line) => logged.push(line));
    await createOwners(repos);
    const draft = (name: string) => PipelineDraft.parse({ application: 'web', name, stages: [{ refId: 'w', type: 'wait', name: 'w', config: { seconds: 1 } }] });
    const good = await repos.pipelines.create(draft('Good'), 'ana');
    const bad = await repos.pipelines.create(draft('Bad'), 'ana');
    await db.query(`update pipelines set config = jsonb_set(config, '{stages,0,refId}', '42') where id = $1`, [bad.id]);

    expect((await repos.pipelines.listByApplication('web')).map((p) => p.id)).toEqual([good.id]);
    expect((await repos.pipelines.listByApplication('web')).map((p) => p.id)).toEqual([good.id]);
    expect(quarantinedRows()).toMatchObject([{ table: 'pipelines', key: bad.id, message: expect.stringContaining('stages.0') }]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(new RegExp(`^quarantined pipelines row ${bad.id}: it does not match the schema \\(stages\\.0`));
    await expect(repos.pipelines.get(bad.id)).rejects.toMatchObject({ name: 'StoredRowError', table: 'pipelines', key: bad.id });

    await db.query(`update pipelines set config = jsonb_set(config, '{stages,0,refId}', '"w"') where id = $1`, [bad.id]);
    expect((await repos.pipelines.listByApplication('web')).map((p) => p.name)).toEqual(['Bad', 'Good']);
    expect(quarantinedRows()).toEqual([]);
  });
});
