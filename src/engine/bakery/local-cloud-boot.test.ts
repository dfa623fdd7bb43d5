import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createOwners, useTestDatabase } from '../../db/test-builders';
import { createLocalCloud } from '../cloud/local';
import { bake } from './bake';
import { createRegistryCatalog } from './registry-catalog';
import { SAMPLE_APP, saveRecipe, useBakery } from './test-bakery';

const FAST = { readyTimeoutMs: 20_000, healthIntervalMs: 250, unhealthyThreshold: 2, healthTimeoutMs: 2000, goneLingerMs: 500 };

// Bakes and a fresh database each test: generous hooks on a machine shared with other suites.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });
describe('a baked bundle on the local cloud', { timeout: 60_000 }, () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('launches as a server group whose instances pass the health check and serve from the image', async () => {
    const { repos } = db();
    const { paths, log, dir } = bakery();
    await createOwners(repos);
    const recipe = await saveRecipe(repos, { name: 'shop-web', artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' }, run: { entrypoint: 'app/server.mjs' } });
    const { image } = await bake({ repos, paths, log }, { recipe, by: 'tester' });

    const images = createRegistryCatalog({ repos, paths });
    await images.load();
    const from = 24000 + (process.pid % 40) * 20;
    const cloud = createLocalCloud({ repos, dataDir: join(dir, 'cloud'), images, ports: { from, to: from + 19 }, timings: FAST, drainTimeoutMs: 2000 });
    await cloud.start();
    try {
      const sg = await cloud.createServerGroup({
        application: 'web',
        account: 'prod',
        region: 'east',
        name: 'web-prod-v001',
        image: 'shop-web@latest',
        capacity: { min: 1, desired: 1, max: 1 },
        loadBalancers: [],
        disabled: false,
      });
      expect(sg.image).toEqual({ name: 'shop-web', version: 'v1', digest: image.digest });
      const end = Date.now() + 30_000;
      let up = await repos.serverGroups.get(sg);
      while (up?.instances[0]?.health !== 'up' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 200));
        up = await repos.serverGroups.get(sg);
      }
      const instance = up!.instances[0]!;
      expect(instance.health).toBe('up');
      const res = await fetch(`http://${instance.address}/health`);
      expect(await res.json()).toMatchObject({ status: 'ok', version: 'v1' });
      expect((await repos.images.detail('shop-web'))!.usage).toEqual([expect.objectContaining({ version: 'v1', serverGroup: 'web-prod-v001', instances: 1 })]);
    } finally {
      await cloud.close();
      images.close();
    }
  });
});
