import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Repositories } from '../../db/types';
import { serverGroup } from '../../db/test-builders';
import { ImageDetail } from '../../shared/domain/image';
import { InstanceId } from '../../shared/domain/ids';
import { openNarrowRoleApp } from '../test-narrow-roles';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let as: (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => Promise<LightMyRequestResponse>;

beforeAll(async () => {
  ({ app, repos, close, as } = await openNarrowRoleApp({ wes: ['READ', 'WRITE', 'EXECUTE'] }));
  void app;
  const build = { builder: 'bundle' as const, tools: {}, packages: [] };
  const img = (name: string, n: number, parentId?: string) =>
    repos.images.create({ name, build, digest: `sha256:${String(n).repeat(64).slice(0, 64)}`, sizeBytes: n * 100, format: 'bundle', artifact: `${n}.tar.zst`, parentId }, 'ci');
  const base1 = await img('base', 1);
  const mid = await img('mid', 2, base1.id);
  await img('web', 3, mid.id);
  await img('base', 4);
  const sg = serverGroup({ account: 'prod', region: 'east', name: 'web-lineage-v041' });
  await repos.serverGroups.save({ ...sg, image: { name: 'web', version: 'v1' }, instances: sg.instances.map((i) => ({ ...i, id: InstanceId.parse('i-lineage041') })) });
}, 60_000);
afterAll(() => close());

describe('image lineage in the registry', () => {
  it('shows, for a base image, the server groups running images built on it, and which image they run', async () => {
    const detail = ImageDetail.parse((await as('ana', 'GET', '/api/images/base')).json());
    expect(detail.usage).toEqual([expect.objectContaining({ version: 'v1', serverGroup: 'web-lineage-v041', through: 'web:v1', application: 'web' })]);
  });

  it('flags a child built on an older parent version, naming the newer one', async () => {
    const mid = ImageDetail.parse((await as('ana', 'GET', '/api/images/mid')).json());
    expect(mid.versions[0]!.staleParent).toEqual({ parent: 'base:v1', newest: 'base:v2' });
    const base = ImageDetail.parse((await as('ana', 'GET', '/api/images/base')).json());
    expect(base.versions.every((v) => v.staleParent === undefined)).toBe(true);
  });

  it('refuses a channel for a revoked version, and lets an admin restore it with a reason kept on record', async () => {
    await as('ana', 'POST', '/api/images/base/versions/v1/revoke', { reason: 'CVE-2026-1 in openssl' });
    const direct = await as('ana', 'PUT', '/api/images/base/channels/production', { version: 'v1' });
    expect(direct.statusCode).toBe(409);
    expect(direct.json()).toMatchObject({ field: 'version', message: "base:v1 cannot be put on channel 'production': it is revoked (CVE-2026-1 in openssl)" });
    const inherited = await as('ana', 'PUT', '/api/images/web/channels/production', { version: 'v1' });
    expect(inherited.json()).toMatchObject({ field: 'version', message: expect.stringContaining('its ancestor base:v1 is revoked') });
    // Restoring a child is refused: the revocation is its ancestor's.
    expect((await as('ana', 'POST', '/api/images/web/versions/v1/restore', { reason: 'x' })).json()).toMatchObject({
      field: 'version',
      message: 'web:v1 is revoked through its ancestor base:v1: restore that one',
    });
    // Not for a non-admin, however many application grants.
    expect((await as('wes', 'POST', '/api/images/base/versions/v1/restore', { reason: 'it does not apply' })).statusCode).toBe(403);
    expect((await as('ana', 'POST', '/api/images/base/versions/v1/restore', { reason: '' })).json()).toMatchObject({ field: 'reason' });

    const restored = await as('ana', 'POST', '/api/images/base/versions/v1/restore', { reason: 'the vulnerable module is not built' });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({
      revoked: false,
      restoration: { reason: 'the vulnerable module is not built', by: 'ana', lifted: { reason: 'CVE-2026-1 in openssl' } },
    });
    expect((await as('ana', 'GET', '/api/images/web')).json().versions[0]).toMatchObject({ revoked: false });
    expect((await as('ana', 'PUT', '/api/images/web/channels/production', { version: 'v1' })).statusCode).toBe(200);
    expect((await as('ana', 'POST', '/api/images/base/versions/v1/restore', { reason: 'again' })).json()).toMatchObject({ message: 'base:v1 is not revoked' });
  });
});
