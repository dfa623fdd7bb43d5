import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { bakeryPaths } from '../../engine/index';
import { sampleAppArchive } from '../../engine/cloud/docker/test-image';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from '../../engine/registry-push/test-registry';
import { openNarrowRoleApp } from '../test-narrow-roles';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-image-push-'));
const WRONG = 'not-the-registry-password-42';
let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const stamp = { at: new Date().toISOString(), by: 'ana' };

beforeAll(async () => {
  // rita reads, eve runs the application's pipelines but has no grant on any account, dan may deploy to `reg`.
  ctx = await openNarrowRoleApp({ rita: ['READ'], eve: ['EXECUTE'], dan: ['READ'] }, { dataDir });
  await ctx.repos.users.saveRole({ name: 'reg-deployers', description: '', members: ['dan'], grants: [{ resourceType: 'account', resource: 'reg', permission: 'EXECUTE' }] });
  const archive = await sampleAppArchive();
  const hex = createHash('sha256').update(readFileSync(archive)).digest('hex');
  copyFileSync(archive, join(bakeryPaths(dataDir).images, `${hex}.oci.tar`));
  const build = { builder: 'oci' as const, tools: {}, packages: [] };
  await ctx.repos.images.create({ name: 'svc', build, digest: `sha256:${hex}`, sizeBytes: 1, format: 'oci', artifact: `${hex}.oci.tar` }, 'ci');
  await ctx.repos.images.create(
    { name: 'site', build: { ...build, builder: 'bundle' }, digest: `sha256:${'b'.repeat(64)}`, sizeBytes: 1, format: 'bundle', artifact: 'b.tar.zst' },
    'ci',
  );
  const registry = `${TEST_REGISTRY ?? '127.0.0.1:1'}/${uniqueName('team')}`;
  const account = (name: string, endpoint: Record<string, string>) =>
    Account.parse({ name, provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { dockerHost: 'unix:///nowhere.sock', ...endpoint } });
  await ctx.repos.accounts.create(account('reg', { registry }), { registryUsername: TEST_REGISTRY_USER, registryPassword: TEST_REGISTRY_PASSWORD }, stamp);
  await ctx.repos.accounts.create(account('wrong', { registry }), { registryUsername: TEST_REGISTRY_USER, registryPassword: WRONG }, stamp);
  await ctx.repos.accounts.create(account('plain', {}), undefined, stamp);
}, 120_000);
afterAll(async () => {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const push = (who: string, version: string, account: string, name = 'svc') => ctx.as(who, 'POST', `/api/images/${name}/versions/${version}/pushes`, { account });

describe('pushing an image version to an account’s registry on demand', () => {
  it('refuses someone who may not deploy to the account (403 naming it) and pushes nothing', async () => {
    for (const who of ['rita', 'eve']) {
      const res = await push(who, 'v1', 'reg');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', field: 'account', message: `${who} lacks EXECUTE permission on account 'reg'.` });
    }
    // EXECUTE on one account is not EXECUTE on another.
    expect((await push('dan', 'v1', 'wrong')).statusCode).toBe(403);
    expect(await ctx.repos.imagePushes.list('svc', 'v1')).toEqual([]);
  });

  it('names the field for an account without a registry, a missing version and a non-OCI image', async () => {
    expect((await push('ana', 'v1', 'plain')).json()).toMatchObject({
      error: 'bad_request',
      field: 'account',
      message: expect.stringContaining("account 'plain' names no registry"),
    });
    expect((await push('ana', 'v1', 'nope')).json()).toMatchObject({ error: 'not_found', field: 'account' });
    expect((await push('ana', 'v9', 'reg')).json()).toMatchObject({ error: 'not_found', field: 'version', message: "image 'svc' has no version 'v9'" });
    expect((await push('ana', 'v1', 'reg', 'site')).json()).toMatchObject({
      error: 'bad_request',
      field: 'version',
      message: 'site:v1 is a bundle image; only oci images go to a registry',
    });
    expect((await ctx.as('ana', 'POST', '/api/images/svc/versions/v1/pushes', {})).json()).toMatchObject({ error: 'bad_request', field: 'account' });
  });

  describe.skipIf(registryOrSkip())('to a real registry', () => {
    it('pushes with the account’s credentials, lists the push on the image, and the password is in no answer or log line', async () => {
      const res = await push('dan', 'v1', 'reg');
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ name: 'svc', version: 'v1', repository: expect.stringMatching(/\/svc$/), digest: expect.stringMatching(/^sha256:/) });
      expect(body.log.some((l: string) => l.includes('uploaded'))).toBe(true);
      const image = await ctx.as('rita', 'GET', '/api/images/svc');
      expect(image.json().pushes).toEqual([{ name: 'svc', version: 'v1', registry: body.registry, repository: body.repository, digest: body.digest, pushedAt: body.pushedAt }]);
      // Pushed again: every blob is already there.
      const again = (await push('dan', 'v1', 'reg')).json();
      expect(again.digest).toBe(body.digest);
      expect(again.log.filter((l: string) => l.includes('already in'))).toHaveLength(2);
      const everything = [
        res.body,
        image.body,
        JSON.stringify(again),
        (await ctx.as('ana', 'GET', '/api/accounts/reg')).body,
        JSON.stringify(await ctx.repos.audit.list({ limit: 50 })),
      ].join('\n');
      expect(everything).not.toContain(TEST_REGISTRY_PASSWORD);
    });

    it('a registry refusing the account’s credentials fails with 409 naming the account and the registry, without the password', async () => {
      const res = await push('ana', 'v1', 'wrong');
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ field: 'account', message: expect.stringMatching(/^account 'wrong' cannot push 'svc:v1': registry 127\.0\.0\.1:\d+ refused .*HTTP 401/) });
      expect(res.body).not.toContain(WRONG);
      expect(JSON.stringify(await ctx.repos.audit.list({ limit: 50 }))).not.toContain(WRONG);
    });
  });
});
