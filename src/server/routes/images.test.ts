import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../test-app';
import type { Repositories } from '../../db/types';
import { ImageDetail } from '../../shared/domain/image';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ seed: false }));
  const build = { builder: 'bundle' as const, tools: {}, packages: [] };
  const img = (name: string, n: number, parentId?: string) =>
    repos.images.create({ name, build, digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, sizeBytes: n * 100, format: 'bundle', artifact: `${n}.tar.zst`, parentId }, 'ci');
  const base = await img('base', 1);
  await img('web', 2, base.id);
  await img('web', 3, base.id);
}, 60_000);
afterAll(() => close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('images', () => {
  it('lists images, shows versions with ancestry, moves channels and revokes with a reason that spreads', async () => {
    expect((await call('GET', '/api/images')).json().map((s: { name: string; versions: number }) => `${s.name}:${s.versions}`)).toEqual(['base:1', 'web:2']);
    const moved = await call('PUT', '/api/images/web/channels/production', { version: 'v1' });
    expect(moved.json()).toMatchObject({ channel: 'production', version: 'v1' });

    const revoked = await call('POST', '/api/images/base/versions/v1/revoke', { reason: 'bad glibc' });
    expect(revoked.json()).toMatchObject({ version: 'v1', revoked: true, revocation: { reason: 'bad glibc', by: 'ana' } });
    const detail = ImageDetail.parse((await call('GET', '/api/images/web')).json());
    expect(detail.versions.map((v) => [v.version, v.revoked, v.revocation?.from])).toEqual([
      ['v2', true, 'base:v1'],
      ['v1', true, 'base:v1'],
    ]);
    expect(detail.ancestry['v2']).toEqual([{ ref: 'base:v1', revoked: true }]);
    expect(detail.channels).toEqual({ latest: 'v2', production: 'v1' });

    const scheduled = await call('POST', '/api/images/web/versions/v2/revoke', { reason: 'end of support', at: '2099-01-01T00:00:00Z' });
    expect(scheduled.json().revocation).toMatchObject({ from: 'base:v1' }); // the earlier, inherited one still counts first
  });

  it('looks up what a server group or instance runs: image, recipe revision and commit', async () => {
    const { createOwners, serverGroup } = await import('../../db/test-builders');
    await createOwners(repos);
    const sg = serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v004' });
    await repos.serverGroups.save({ ...sg, image: { name: 'web', version: 'v2' } });
    const bySg = await call('GET', '/api/image-lookup?account=prod&region=east&serverGroup=web-prod-v004');
    expect(bySg.json()).toMatchObject({
      serverGroup: { application: 'web', name: 'web-prod-v004' },
      image: { name: 'web', version: 'v2' },
      registry: { version: 'v2', parent: { ref: 'base:v1' } },
    });
    const byInstance = await call('GET', `/api/image-lookup?instanceId=${sg.instances[0]!.id}`);
    expect(byInstance.json()).toMatchObject({ instanceId: sg.instances[0]!.id, registry: { name: 'web', version: 'v2' } });
    // A group launched from an image the registry does not hold still answers, without a registry record.
    await repos.serverGroups.save(serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v005' }));
    const builtIn = (await call('GET', '/api/image-lookup?account=prod&region=east&serverGroup=web-prod-v005')).json();
    expect(builtIn.registry).toBeUndefined();
    expect(builtIn.image).toEqual({ name: 'web', version: '1.0.5' });
  });

  it('answers 4xx naming the field', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['GET', '/api/images/ghost', undefined, 404, 'name'],
      ['GET', '/api/images/Bad%20Name', undefined, 400, 'name'],
      ['PUT', '/api/images/web/channels/production', { version: 'v9' }, 404, 'version'],
      ['PUT', '/api/images/web/channels/production', { version: '9' }, 400, 'version'],
      ['PUT', '/api/images/web/channels/Prod!', { version: 'v1' }, 400, 'channel'],
      ['POST', '/api/images/web/versions/v1/revoke', { reason: '  ' }, 400, 'reason'],
      ['POST', '/api/images/web/versions/v1/revoke', { reason: 'x', at: 'tomorrow' }, 400, 'at'],
      ['POST', '/api/images/web/versions/v8/revoke', { reason: 'x' }, 404, 'version'],
      ['POST', '/api/images/ghost/versions/v1/revoke', { reason: 'x' }, 404, 'name'],
      ['GET', '/api/image-lookup?account=prod', undefined, 400, 'serverGroup'],
      ['GET', '/api/image-lookup?instanceId=bogus', undefined, 400, 'instanceId'],
      ['GET', '/api/image-lookup?instanceId=i-00000000ff', undefined, 404, 'instanceId'],
      ['GET', '/api/image-lookup?account=prod&region=east&serverGroup=ghost-v001', undefined, 404, 'serverGroup'],
    ];
    for (const [method, url, body, status, field] of cases) {
      const res = await call(method as 'GET', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(status);
      expect(res.json(), `${method} ${url}`).toMatchObject({ field });
    }
  });
});
