import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NewApplication } from '../../../shared/domain/application';
import { demoContainersPipeline, demoRecipe } from '../../../db/seed-demo-world';
import { bakeryPaths } from '../../bakery/store';
import { createProviders } from '../providers';
import { until } from '../test-cloud';
import { deployEngine } from '../test-deploys';
import { bundleContainerImages } from './bundle-images';
import { anyOf, registryContainerImages, type ContainerImageSource } from './container-images';
import { openDockerHarness, SKIP_REASON, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';

let h: DockerHarness | undefined;
let stopEngine: (() => Promise<void>) | undefined;
const previousData = process.env.KILN_DATA;
let dataDir: string | undefined;
afterEach(async () => {
  await stopEngine?.();
  await h?.destroyAll();
  const left = await h?.close();
  h = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
  expect(left ?? []).toEqual([]);
});

// What a newcomer does with the demo's "containers" account: run 'Ship to containers', which bakes
// the storefront bundle (for real, into KILN_DATA as npm start does) and deploys it red/black there.
describe.skipIf(!TEST_DOCKER_HOST)(`the demo storefront on containers (${TEST_DOCKER_HOST ? 'Podman' : SKIP_REASON})`, { timeout: 300_000 }, () => {
  it("bakes the storefront and serves it from containers behind the pipeline's load balancer", async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiln-demo-containers-'));
    process.env.KILN_DATA = dataDir;
    const paths = bakeryPaths(dataDir);
    let images: ContainerImageSource | undefined;
    h = await openDockerHarness({ images: { resolve: (ref) => images!.resolve(ref) } });
    const harness = h;
    images = anyOf(registryContainerImages({ repos: harness.repos, paths }), bundleContainerImages({ repos: harness.repos, paths, cacheDir: join(dataDir, 'bundle-images') }));
    await harness.repos.applications.create(NewApplication.parse({ name: 'storefront', project: 'shop', description: 'demo', ownerEmail: 'a@example.com' }));
    await harness.repos.recipes.create(demoRecipe(), 'ana');
    const pipeline = await harness.repos.pipelines.create(demoContainersPipeline(harness.account, harness.region), 'ana');
    const run = deployEngine(harness.repos, createProviders(harness.repos, undefined, { docker: () => harness.provider }));
    stopEngine = () => run.engine.stop();
    const { id } = await run.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
    const done = await run.finish(id, 240_000);
    expect(done.stages.map((s) => `${s.name}: ${s.status}${s.error ? ` (${s.error})` : ''}`)).toEqual(['Bake: SUCCEEDED', 'Deploy to containers: SUCCEEDED']);
    const lb = await harness.repos.loadBalancers.get({ account: harness.account, region: harness.region, name: 'storefront-containers' });
    const res = await until('the storefront through its balancer', async () => {
      const r = await fetch(`http://${lb!.address}/`).catch(() => undefined);
      return r?.status === 200 && r;
    });
    expect(await res.text()).toMatch(/storefront/i);
    const sg = (await harness.repos.serverGroups.listByApplication('storefront'))[0]!;
    expect(sg).toMatchObject({ managedBy: 'docker', name: 'storefront-containers-v001', image: { name: 'storefront' } });
  });
});
