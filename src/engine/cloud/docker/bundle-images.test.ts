import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleImage } from '../../../db/test-builders';
import { bakeryPaths } from '../../bakery/store';
import { until } from '../test-cloud';
import { bundleContainerImages } from './bundle-images';
import type { ContainerImageSource } from './container-images';
import { openDockerHarness, SKIP_REASON, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';

const SAMPLE_APP = join(import.meta.dirname, '..', 'images', 'sample-app.mjs');
let h: DockerHarness | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await h?.destroyAll();
  const left = await h?.close();
  h = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
  expect(left ?? []).toEqual([]);
});

// A bundle as the bakery stores it (a tar of the root, entrypoint server.mjs), registered like a bake does.
describe.skipIf(!TEST_DOCKER_HOST)(`bundle images on containers (${TEST_DOCKER_HOST ? 'Podman' : SKIP_REASON})`, { timeout: 180_000 }, () => {
  it('deploys a bundle the local cloud runs as containers too: wrapped with the host node runtime, healthy, answering', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiln-bundle-images-'));
    const paths = bakeryPaths(dataDir);
    let bundles: ContainerImageSource | undefined;
    h = await openDockerHarness({ images: { resolve: (ref) => bundles!.resolve(ref) } });
    bundles = bundleContainerImages({ repos: h.repos, paths, cacheDir: join(dataDir, 'bundle-images') });

    const root = join(dataDir, 'root');
    mkdirSync(root);
    copyFileSync(SAMPLE_APP, join(root, 'server.mjs'));
    const image = { ...bundleImage(7, 'shop'), artifact: 'shop-bundle.tar' };
    execFileSync('tar', ['-cf', join(paths.images, image.artifact), '-C', root, '.']);
    const stored = await h.repos.images.create(image, 'ci');

    const key = { account: h.account, region: h.region, name: 'web-bundle-v001' };
    await h.provider.createServerGroup({
      application: 'web',
      ...key,
      image: `shop:${stored.version}`,
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: [],
      disabled: false,
    });
    const sg = await until('the bundle container healthy', async () => {
      const g = await h!.provider.getServerGroup(key);
      return g?.instances.some((i) => i.health === 'up') && g;
    });
    expect(sg.image).toMatchObject({ name: 'shop', version: stored.version, digest: stored.digest });
    const res = await fetch(`http://${sg.instances[0]!.address}/`);
    expect(res.status).toBe(200);
    expect(await h.docker.listImages({ filters: { reference: [`kiln/shop:${stored.version}`] } })).toHaveLength(1);
  });

  it('leaves a bundle without a run section, or an oci image, to the other sources', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiln-bundle-images-'));
    const paths = bakeryPaths(dataDir);
    h = await openDockerHarness();
    const bundles = bundleContainerImages({ repos: h.repos, paths, cacheDir: join(dataDir, 'bundle-images') });
    const { run: _run, ...noRun } = bundleImage(8, 'tools');
    const stored = await h.repos.images.create(noRun, 'ci');
    expect(await bundles.resolve(`tools:${stored.version}`)).toBeUndefined();
    expect(await bundles.resolve('nothing:v1')).toBeUndefined();
  });
});
