import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { EngineError } from '../errors';
import { bake } from './bake';
import { checkDeployable } from './deploy-guard';
import { createRegistryCatalog } from './registry-catalog';
import { SAMPLE_APP, saveRecipe, useBakery } from './test-bakery';

// Bakes and a fresh database each test: generous hooks on a machine shared with other suites.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });
describe('registry catalog and deploy guard', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('resolves built-in and baked images for the local cloud, and sees a new bake at once', async () => {
    const { repos } = db();
    const { paths, log } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'shop',
      artifact: { source: SAMPLE_APP, destination: 'server.mjs' },
      run: { entrypoint: 'server.mjs', healthPath: '/ready', resources: { cpu: 0.5, memoryMiB: 128 } },
      tests: { boot: false },
    });
    const { image } = await bake({ repos, paths, log }, { recipe, by: 't' });
    // The image's metadata keeps how its recipe said to run it: where health is asked, what it may use.
    expect(image.run).toEqual({ entrypoint: 'server.mjs', healthPath: '/ready', resources: { cpu: 0.5, memoryMiB: 128 } });
    const catalog = createRegistryCatalog({ repos, paths, refreshMs: 60_000 });
    try {
      await catalog.load();
      expect(catalog.names()).toEqual(expect.arrayContaining(['sample-app', 'shop']));
      expect(catalog.resolve('sample-app:v2').ref).toEqual({ name: 'sample-app', version: 'v2' });
      const resolved = catalog.resolve('shop:v1');
      expect(resolved.ref).toEqual({ name: 'shop', version: 'v1', digest: image.digest });
      expect(existsSync(resolved.entrypoint)).toBe(true);
      expect(resolved).toMatchObject({ healthPath: '/ready', resources: { cpu: 0.5, memoryMiB: 128 } });
      expect(catalog.resolve('shop@latest').ref.version).toBe('v1');

      // A data dir copied without its unpacked roots: the bundle is unpacked again from its artifact.
      rmSync(paths.roots, { recursive: true, force: true });
      expect(existsSync(catalog.resolve('shop:v1').entrypoint)).toBe(true);

      const unknown = (() => {
        try {
          catalog.resolve('nope:v1', 'config.image');
        } catch (e) {
          return e;
        }
      })();
      expect(unknown).toBeInstanceOf(EngineError);
      expect(unknown).toMatchObject({ kind: 'bad_request', field: 'config.image' });
      expect(() => catalog.resolve('shop:v7')).toThrow(/names no version of 'shop'.*v1/);

      await bake({ repos, paths, log }, { recipe, by: 't', rebake: true });
      await new Promise((r) => setTimeout(r, 300));
      expect(catalog.resolve('shop:v2').ref.version).toBe('v2');
    } finally {
      catalog.close();
    }
  });

  it('refuses to deploy a revoked image unless an override reason is given', async () => {
    const { repos } = db();
    const { paths, log } = bakery();
    const recipe = await saveRecipe(repos, { name: 'shop', tests: { boot: false } });
    await bake({ repos, paths, log }, { recipe, by: 't' });
    expect((await checkDeployable(repos, 'shop:v1')).image?.version).toBe('v1');
    expect(await checkDeployable(repos, 'sample-app:v3')).toEqual({ image: undefined });

    await repos.images.revoke('shop', 'v1', { at: new Date(Date.now() - 1000).toISOString(), reason: 'leaks memory', by: 'ops' });
    const refused = await checkDeployable(repos, 'shop@latest', { field: 'config.image' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'conflict', field: 'config.image' });
    expect((refused as Error).message).toMatch(/shop:v1 is revoked .* by ops: leaks memory; give an override reason/);
    const forced = await checkDeployable(repos, 'shop:v1', { overrideReason: 'hotfix needs the old build' });
    expect(forced.overridden?.reason).toBe('hotfix needs the old build');
  });
});
