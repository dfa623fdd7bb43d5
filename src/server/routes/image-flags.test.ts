import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../test-app';
import { createOwners, serverGroup } from '../../db/test-builders';
import type { Repositories } from '../../db/types';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ seed: false }));
  await createOwners(repos);
}, 60_000);
afterAll(() => close());

const build = { builder: 'bundle' as const, tools: {}, packages: [] };
const img = (name: string, n: number, parentId?: string) =>
  repos.images.create({ name, build, digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, sizeBytes: 100, format: 'bundle', artifact: `${n}.tar.zst`, parentId }, 'ci');
const runs = (name: string, image: { name: string; version: string }) => repos.serverGroups.save({ ...serverGroup({ account: 'prod', region: 'east', name }), image });
const flags = async (application: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/applications/${application}/image-flags` });
  return { status: res.statusCode, body: res.json() };
};

describe('image flags', () => {
  it('flags groups running a revoked image or one behind the channel it came from; current and unknown images pass', async () => {
    const base = await img('base', 1);
    for (const n of [1, 2, 3, 4, 5]) await img('web', n, base.id);
    await app.inject({ method: 'PUT', url: '/api/images/web/channels/production', payload: { version: 'v3' } });
    await runs('web-prod-v001', { name: 'web', version: 'v3' });
    await runs('web-prod-v002', { name: 'web', version: 'v5' });
    await runs('web-prod-v003', { name: 'web', version: '1.0.0' }); // the built-in sample image: not in the registry
    expect((await flags('web')).body).toEqual([]);

    await app.inject({ method: 'PUT', url: '/api/images/web/channels/production', payload: { version: 'v5' } });
    expect((await flags('web')).body).toEqual([
      {
        account: 'prod',
        region: 'east',
        serverGroup: 'web-prod-v001',
        image: { name: 'web', version: 'v3' },
        kind: 'out-of-date',
        message: 'out of date: v3 running, channel production points at v5',
        channel: 'production',
        target: 'v5',
      },
    ]);

    await app.inject({ method: 'POST', url: '/api/images/base/versions/v1/revoke', payload: { reason: 'CVE-2026-0042 in openssl' } });
    const after = (await flags('web')).body as Array<{ serverGroup: string; message: string }>;
    expect(after.map((f) => [f.serverGroup, f.message]).sort()).toEqual([
      ['web-prod-v001', 'revoked: CVE-2026-0042 in openssl (via base:v1)'],
      ['web-prod-v002', 'revoked: CVE-2026-0042 in openssl (via base:v1)'],
    ]);
  });

  it('answers 404 for an unknown application and 400 for a malformed name, naming the field', async () => {
    expect(await flags('ghost')).toMatchObject({ status: 404, body: { field: 'application' } });
    expect(await flags('Bad%20App')).toMatchObject({ status: 400, body: { field: 'application' } });
  });
});
