import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDetail } from '../../shared/domain/image';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { bakeryPaths } from '../../engine/index';
import { openNarrowRoleApp } from '../test-narrow-roles';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-image-delete-'));
const paths = bakeryPaths(dataDir);
const build = { builder: 'disk' as const, tools: {}, packages: [] };
const hex = (c: string) => c.repeat(64);
let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;

/** A version whose artifact, exported kernel and initrd, and unpacked root are all on disk. */
async function version(name: string, c: string, parentId?: string) {
  const files = [join(paths.images, `${hex(c)}.img.zst`), join(paths.images, `${hex(c)}.vmlinuz`), join(paths.images, `${hex(c)}.initrd`)];
  for (const f of files) writeFileSync(f, c);
  mkdirSync(join(paths.roots, hex(c), 'etc'), { recursive: true });
  files.push(join(paths.roots, hex(c)));
  const image = await ctx.repos.images.create({ name, build, digest: `sha256:${hex(c)}`, sizeBytes: 1, format: 'disk', artifact: `${hex(c)}.img.zst`, parentId }, 'ci');
  return { image, files };
}

beforeAll(async () => {
  ctx = await openNarrowRoleApp({ rita: ['READ'] }, { dataDir });
}, 60_000);
afterAll(async () => {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const del = (who: string, name: string, v: string) => ctx.as(who, 'DELETE', `/api/images/${name}/versions/${v}`);
const versions = async (name: string) => ImageDetail.parse((await ctx.as('ana', 'GET', `/api/images/${name}`)).json()).versions.map((v) => v.version);

describe('deleting an image version', () => {
  it('removes the version and its artifact, kernel, initrd and unpacked root', async () => {
    const v1 = await version('os', 'a');
    await version('os', 'b'); // v2 takes `latest`
    expect(v1.files.every((f) => existsSync(f))).toBe(true);
    const res = await del('ana', 'os', 'v1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'os', version: 'v1', deleted: true, filesRemoved: true });
    expect(await versions('os')).toEqual(['v2']);
    expect(v1.files.filter((f) => existsSync(f))).toEqual([]);
    // The audit log says who deleted it.
    const audit = await ctx.repos.audit.list({ action: 'DELETE /api/images/:name/versions/:version', limit: 5 });
    expect(audit.map((e) => `${e.actor} ${e.target} ${e.status}`)).toContain('ana /api/images/os/versions/v1 200');
  });

  it('keeps the files when another version holds the same bytes', async () => {
    const first = await version('twin', 'c');
    await version('twin', 'c');
    await version('twin', 'd');
    expect((await del('ana', 'twin', 'v1')).json().filesRemoved).toBe(false);
    expect(first.files.every((f) => existsSync(f))).toBe(true);
  });

  it('is refused with 409 naming the server group that runs it, the channel and the child image', async () => {
    const base = await version('base', 'e');
    await version('base', 'f');
    const child = await version('app', '1', base.image.id);
    const group = (await ctx.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' }))!;
    await ctx.repos.serverGroups.save({ ...group, image: { name: 'app', version: child.image.version } });
    await ctx.as('ana', 'PUT', '/api/images/base/channels/production', { version: 'v1' });

    const res = await del('ana', 'base', 'v1');
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.field).toBe('version');
    expect(body.message).toContain('server group web/prod/east/web-prod-v002 (through app:v1) runs it');
    expect(body.message).toContain('channel production points at it');
    expect(body.message).toContain('image app:v1 is built on it');
    expect(await versions('base')).toEqual(['v2', 'v1']);
    expect(base.files.every((f) => existsSync(f))).toBe(true);

    const direct = await del('ana', 'app', 'v1');
    expect(direct.statusCode).toBe(409);
    expect(direct.json().message).toContain('server group web/prod/east/web-prod-v002 runs it');
  });

  it('refuses a user who may only read (403) and removes nothing', async () => {
    const v1 = await version('guarded', '2');
    await version('guarded', '3');
    const res = await del('rita', 'guarded', 'v1');
    expect(res.statusCode).toBe(403);
    expect(await versions('guarded')).toEqual(['v2', 'v1']);
    expect(v1.files.every((f) => existsSync(f))).toBe(true);
  });

  it('answers 404 naming the version for one the image does not have', async () => {
    await version('lonely', '4');
    const res = await del('ana', 'lonely', 'v9');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', field: 'version', message: "image 'lonely' has no version 'v9'" });
  });
});

describe('deleting an image version a running deploy holds', () => {
  it('is refused with 409 naming the execution, its pipeline and stage, until that stage ends', async () => {
    await version('held', '5');
    await version('held', '6');
    const pipeline = await ctx.repos.pipelines.create(
      PipelineDraft.parse({ application: 'web', name: 'Hold', stages: [{ refId: 'deploy', type: 'wait', name: 'Deploy', config: { seconds: 3600 } }] }),
      'ana',
    );
    const started = (await ctx.as('ana', 'POST', `/api/pipelines/${pipeline.id}/executions`, {})).json() as { id: string };
    // What the deploy stage does when it resolves its image (deploy-image-claim.test.ts runs the real stage).
    expect(await ctx.repos.imageClaims.claim('held:v1', { executionId: started.id, stageRefId: 'deploy' })).toEqual({ kind: 'claimed', name: 'held', version: 'v1' });

    const res = await del('ana', 'held', 'v1');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'version', details: { executions: [{ executionId: started.id, application: 'web', pipeline: 'Hold', stage: 'Deploy' }] } });
    expect(res.json().message).toBe(`held:v1 cannot be deleted: execution ${started.id} (web 'Hold', stage 'Deploy') is using it.`);
    expect(await versions('held')).toEqual(['v2', 'v1']);

    expect((await ctx.as('ana', 'POST', `/api/executions/${started.id}/cancel`, { reason: 'done' })).statusCode).toBe(200);
    expect((await del('ana', 'held', 'v1')).statusCode).toBe(200);
  });
});
