import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const digest = (c: string) => `sha256:${c.repeat(64)}`;
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ rita: ['READ'] });
  const build = { builder: 'oci' as const, tools: {}, packages: [] };
  for (const c of ['1', '2']) await ctx.repos.images.create({ name: 'svc', build, digest: digest(c), sizeBytes: 10, format: 'oci', artifact: `${c}.oci.tar` }, 'ci');
  await ctx.repos.imagePushes.record({ name: 'svc', version: 'v1', registry: 'registry.example.com/team', repository: 'registry.example.com/team/svc', digest: digest('a') });
  await ctx.repos.imagePushes.record({ name: 'svc', version: 'v2', registry: '127.0.0.1:5000', repository: '127.0.0.1:5000/svc', digest: digest('b') });
}, 60_000);
afterAll(() => ctx.close());

describe('where an image version was pushed', () => {
  it('lists registry, repository, digest and when for each version, to anyone who may read images', async () => {
    const res = await ctx.as('rita', 'GET', '/api/images/svc');
    expect(res.statusCode).toBe(200);
    const pushes = res.json().pushes as Record<string, unknown>[];
    expect(pushes.map((p) => `${p.version} ${p.registry} ${p.repository} ${p.digest}`).sort()).toEqual([
      `v1 registry.example.com/team registry.example.com/team/svc ${digest('a')}`,
      `v2 127.0.0.1:5000 127.0.0.1:5000/svc ${digest('b')}`,
    ]);
    // Exactly these fields: a push never carries the account's registry credentials.
    for (const p of pushes) expect(Object.keys(p).sort()).toEqual(['digest', 'name', 'pushedAt', 'registry', 'repository', 'version']);
    expect(Number.isNaN(Date.parse(String(pushes[0]!.pushedAt)))).toBe(false);
  });

  it('forgets the pushes of a deleted version', async () => {
    await ctx.as('ana', 'PUT', '/api/images/svc/channels/latest', { version: 'v2' });
    expect((await ctx.as('ana', 'DELETE', '/api/images/svc/versions/v1')).statusCode).toBe(200);
    const pushes = (await ctx.as('rita', 'GET', '/api/images/svc')).json().pushes as { version: string }[];
    expect(pushes.map((p) => p.version)).toEqual(['v2']);
  });
});
