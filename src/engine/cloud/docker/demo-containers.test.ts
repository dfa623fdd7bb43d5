import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NewApplication } from '../../../shared/domain/application';
import { demoContainerRecipe, demoContainersPipeline } from '../../../db/seed-demo-world';
import type { ImageVersion } from '../../../shared/domain/image';
import type { Recipe } from '../../../shared/domain/recipe';
import { bakeCacheKey } from '../../bakery/cache-key';
import { artifactPath, bakeryPaths } from '../../bakery/store';
import { createProviders } from '../providers';
import { until } from '../test-cloud';
import { deployEngine } from '../test-deploys';
import { LABEL } from './docker-engine';
import { registryContainerImages, type ContainerImageSource } from './container-images';
import { openDockerHarness, SKIP_REASON, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';

let h: DockerHarness | undefined;
let stopEngine: (() => Promise<void>) | undefined;
const previousData = process.env.KILN_DATA;
afterEach(async () => {
  await stopEngine?.();
  await h?.destroyAll();
  const left = await h?.close();
  h = undefined;
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
  expect(left ?? []).toEqual([]);
});

/** Every file whose change could change the image: the bakery's code, the recipe schema, the app. */
function bakeryInputsHash(): string {
  const hash = createHash('sha256').update(JSON.stringify(demoContainerRecipe()));
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(readFileSync(path));
    }
  };
  walk(join(import.meta.dirname, '../../bakery'));
  hash.update(readFileSync(join(import.meta.dirname, '../../../shared/domain/recipe.ts')));
  return hash.digest('hex').slice(0, 24);
}

/**
 * The test's Kiln data dir, kept per machine while the bakery and the recipe are unchanged: a Debian
 * bake takes minutes (six on a loaded 2-core machine), so the first run on a machine bakes for real
 * and the next ones find its image (registered again in their fresh database, with its cache key,
 * exactly as a restarted Kiln finds an earlier bake).
 */
function keptBakery() {
  const dir = join(process.env.KILN_TEST_BAKED_CACHE ?? join(tmpdir(), 'kiln-test-baked'), `storefront-container-${bakeryInputsHash()}`);
  const saved = join(dir, 'image.json');
  return {
    dir,
    async restore(repos: DockerHarness['repos'], recipe: Recipe): Promise<boolean> {
      if (!existsSync(saved)) return false;
      const kept = JSON.parse(readFileSync(saved, 'utf8')) as ImageVersion;
      if (!existsSync(artifactPath(bakeryPaths(dir), kept.artifact))) return false;
      const { name, build, digest, sizeBytes, format, artifact, run } = kept;
      const cacheKey = await bakeCacheKey(recipe, undefined);
      await repos.images.create(
        { name, recipe: { id: recipe.id, name: recipe.name, revision: recipe.revision }, build, digest, sizeBytes, format, artifact, run, cacheKey },
        'tester',
      );
      return true;
    },
    save: (image: ImageVersion) => writeFileSync(saved, JSON.stringify(image)),
  };
}

/** Runs `script` with /bin/sh in a container of `tag` (labelled as Kiln's, so none outlives the test); its output. */
async function runIn(harness: DockerHarness, tag: string, script: string): Promise<string> {
  const c = await harness.docker.createContainer({ Image: tag, Entrypoint: ['/bin/sh', '-c'], Cmd: [script], Labels: { [LABEL.kilnId]: harness.kilnId } });
  try {
    await c.start();
    await c.wait();
    const raw = (await c.logs({ stdout: true, stderr: true })) as Buffer;
    // Multiplexed frames: an 8-byte header before each piece.
    let text = '';
    for (let i = 0; i + 8 <= raw.length; i += 8 + raw.readUInt32BE(i + 4)) text += raw.subarray(i + 8, i + 8 + raw.readUInt32BE(i + 4)).toString();
    return text;
  } finally {
    await c.remove({ force: true });
  }
}

// What a newcomer does with the demo's "containers" account: run 'Ship to containers', which bakes
// the storefront's OCI image (Debian bookworm and its nodejs, for real, into KILN_DATA as npm start
// does) and deploys it red/black there; a second run reuses the bake.
describe.skipIf(!TEST_DOCKER_HOST)(`the demo storefront on containers (${TEST_DOCKER_HOST ? 'a real engine' : SKIP_REASON})`, { timeout: 900_000 }, () => {
  it("bakes the storefront on Debian with Debian's nodejs, runs it as a non-root user behind the pipeline's balancer, and reuses the bake", async () => {
    const kept = keptBakery();
    const dataDir = kept.dir;
    process.env.KILN_DATA = dataDir;
    // The .debs of Debian's base are kept per machine too (as KILN_DATA keeps them between bakes).
    mkdirSync(join(tmpdir(), 'kiln-test-debs'), { recursive: true });
    mkdirSync(join(dataDir, 'cache'), { recursive: true });
    if (!existsSync(join(dataDir, 'cache', 'debs'))) symlinkSync(join(tmpdir(), 'kiln-test-debs'), join(dataDir, 'cache', 'debs'));
    const paths = bakeryPaths(dataDir);
    let images: ContainerImageSource | undefined;
    h = await openDockerHarness({ images: { resolve: (ref) => images!.resolve(ref) } });
    const harness = h;
    // Only the registry's OCI images: nothing of this host (its node) is lent to the container.
    images = registryContainerImages({ repos: harness.repos, paths });
    await harness.repos.applications.create(NewApplication.parse({ name: 'storefront', project: 'shop', description: 'demo', ownerEmail: 'a@example.com' }));
    const recipe = await harness.repos.recipes.create(demoContainerRecipe(), 'ana');
    const bakedBefore = await kept.restore(harness.repos, recipe);
    const pipeline = await harness.repos.pipelines.create(demoContainersPipeline(harness.account, harness.region), 'ana');
    const run = deployEngine(harness.repos, createProviders(harness.repos, undefined, { docker: () => harness.provider }));
    stopEngine = () => run.engine.stop();
    const ship = async () => {
      const { id } = await run.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
      const done = await run.finish(id, 800_000);
      expect(done.stages.map((s) => `${s.name}: ${s.status}${s.error ? ` (${s.error})` : ''}`)).toEqual(['Bake: SUCCEEDED', 'Deploy to containers: SUCCEEDED']);
      const bakeLog = (await harness.repos.executionLogs.read(id, { refId: 'bake', after: 0, limit: 5000 })).map((l) => l.line);
      return bakeLog.filter((l) => /,(bake|cache),ui,say,.* in \d+\.\d+ s/.test(l));
    };
    const reused = /storefront-container:v1 already exists%!\(PACKER_COMMA\) reused in \d+\.\d+ s; its bake took \d+\.\d+ s/;

    const first = await ship();
    // A machine's first run bakes for real; later runs find that bake (see keptBakery).
    expect(first).toEqual([expect.stringMatching(bakedBefore ? reused : /baked storefront-container:v1 in \d+\.\d+ s \(later bakes of the same recipe and inputs reuse it\)$/)]);
    const image = (await harness.repos.images.resolve('storefront-container:v1'))!;
    if (!bakedBefore) kept.save(image);
    const lb = await harness.repos.loadBalancers.get({ account: harness.account, region: harness.region, name: 'storefront-containers' });
    const res = await until('the storefront through its balancer', async () => {
      const r = await fetch(`http://${lb!.address}/health`).catch(() => undefined);
      return r?.status === 200 && r;
    });
    expect(await res.json()).toMatchObject({ status: 'ok', version: 'v1' });
    const sg = (await harness.repos.serverGroups.listByApplication('storefront'))[0]!;
    expect(sg).toMatchObject({ managedBy: 'docker', name: 'storefront-containers-v001', image: { name: 'storefront-container', version: 'v1' } });

    // Inside the image: node is Debian's package (not this host's binary), and the app runs as 'storefront'.
    const tag = `kiln/storefront-container:v1`;
    expect((await harness.docker.getImage(tag).inspect()).Config.User).toBe('storefront');
    const inside = await runIn(harness, tag, 'node --version; dpkg -s nodejs | grep -E "^(Status|Version):"; dpkg -S "$(readlink -f /usr/bin/node)"; id -un');
    const [nodeVersion, status, version, owner, user] = inside.trim().split('\n');
    expect(status).toBe('Status: install ok installed');
    expect(version).toMatch(/^Version: \d+\.\d+\.\d+\+dfsg/);
    // Debian's version is node's own with Debian's suffix: v18.19.0 ↔ 18.19.0+dfsg-6~deb12u2.
    expect(version!.slice('Version: '.length).split('+')[0]).toBe(nodeVersion!.replace(/^v/, ''));
    expect(owner).toMatch(/^nodejs: \/usr\/bin\/node(js)?$/);
    expect(user).toBe('storefront');
    // The deployed container runs as the image says: no User is set over it.
    const [running] = await harness.docker.listContainers({ filters: { label: [`${LABEL.serverGroup}=storefront-containers-v001`] } });
    expect((await harness.docker.getContainer(running!.Id).inspect()).Config.User).toBe('storefront');

    // The second run reuses the image: its bake log says how long it took, and what the first bake took.
    const cached = await ship();
    expect(cached).toEqual([expect.stringMatching(reused)]);
    console.info(`[kiln] storefront-container: bake took ${((image.build.durationMs ?? 0) / 1000).toFixed(1)} s; ${cached[0]!.replace(/.*(reused in [^;]+).*/, '$1')}`);
  });
});
