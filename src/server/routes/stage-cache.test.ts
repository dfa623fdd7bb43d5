import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageCache } from '../../shared/api/stage-cache';
import { bakeryPaths } from '../../engine/index';
import { pinStageEntries } from '../../engine/bakery/stage-cache';
import { openNarrowRoleApp } from '../test-narrow-roles';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-stage-cache-'));
const paths = bakeryPaths(dataDir);
const hex = (c: string) => c.repeat(64);
let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;

/** A cached stage of `bytes` bytes, last used `daysAgo` days ago. */
function entry(c: string, bytes: number, daysAgo: number): string {
  const file = join(paths.stages!, `${hex(c)}.tar`);
  writeFileSync(file, Buffer.alloc(bytes));
  const at = new Date(Date.now() - daysAgo * 24 * 3600_000);
  utimesSync(file, at, at);
  return file;
}

beforeAll(async () => {
  // rita may do everything on application `web`, and is still no admin.
  ctx = await openNarrowRoleApp({ rita: ['READ', 'WRITE', 'EXECUTE'] }, { dataDir });
}, 60_000);
afterAll(async () => {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the stage cache API', () => {
  it('shows admins each entry with its size, last use and why it is kept, and clears all but what a running bake uses', async () => {
    const built = entry('a', 3000, 1);
    const old = entry('b', 5000, 12);
    const running = entry('c', 700, 0);
    await ctx.repos.images.create(
      {
        name: 'api',
        build: { builder: 'oci', tools: {}, packages: [], stages: [{ name: 'build', key: hex('a') }] },
        digest: `sha256:${hex('d')}`,
        sizeBytes: 1,
        format: 'oci',
        artifact: `${hex('d')}.oci.tar`,
      },
      'ci',
    );
    const release = pinStageEntries([hex('c')]);
    try {
      const res = await ctx.as('ana', 'GET', '/api/bakery/stage-cache');
      expect(res.statusCode).toBe(200);
      const cache = StageCache.parse(res.json());
      expect(cache.totalBytes).toBe(8700);
      expect(cache.policy).toEqual({ maxBytes: 10 * 1024 ** 3, maxAgeDays: 30 });
      expect(cache.entries.map((e) => [e.key[0], e.sizeBytes, e.keptFor ?? null, e.usedBy ?? null])).toEqual([
        ['c', 700, 'in-use', null],
        ['a', 3000, 'newest', 'api:v1'],
        ['b', 5000, null, null],
      ]);

      const cleared = await ctx.as('ana', 'DELETE', '/api/bakery/stage-cache');
      expect(cleared.json()).toEqual({ removed: 2, removedBytes: 8000, kept: 1, keptBytes: 700 });
      expect([built, old, running].map((f) => existsSync(f))).toEqual([false, false, true]);
    } finally {
      release();
    }
  });

  it('refuses anyone but an admin, with 403, and removes nothing', async () => {
    const file = entry('e', 100, 40);
    expect((await ctx.as('rita', 'GET', '/api/bakery/stage-cache')).statusCode).toBe(403);
    const res = await ctx.as('rita', 'DELETE', '/api/bakery/stage-cache');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
    expect(existsSync(file)).toBe(true);
  });
});
