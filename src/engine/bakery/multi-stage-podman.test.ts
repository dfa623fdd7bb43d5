import Docker from 'dockerode';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { demuxLogs, loadOciArchive } from '../cloud/docker/docker-engine';
import { SKIP_REASON, TEST_DOCKER_HOST } from '../cloud/docker/docker-harness';
import { detectFlavour } from '../cloud/docker/engine-flavour';
import { putNodeRuntime } from '../cloud/docker/node-runtime';
import { bake } from './bake';
import { artifactPath } from './store';
import { saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 180_000 });

describe.skipIf(!TEST_DOCKER_HOST)(`a multi-stage image on a container engine (${TEST_DOCKER_HOST ? 'Podman' : SKIP_REASON})`, () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('runs the artifact its build stage made on a node-only base, without the build tools', async () => {
    const { repos } = db();
    const f = bakery();
    // The slim base: this machine's node and the libraries it links, nothing else.
    const slim = join(f.dir, 'node-only');
    putNodeRuntime(slim);
    const build = join(f.dir, 'build-root');
    mkdirSync(join(build, 'usr/bin'), { recursive: true });
    writeFileSync(join(build, 'usr/bin/cc'), '#!/bin/sh\necho "export const answer = $(( 6 * 7 ));" > "$1"\n');
    const recipe = await saveRecipe(repos, {
      name: 'answer',
      builder: 'oci',
      base: { type: 'directory', path: slim },
      stages: [{ name: 'build', base: { type: 'directory', path: build }, provisioners: [{ type: 'shell', script: 'mkdir -p dist && sh usr/bin/cc dist/answer.mjs' }] }],
      copy: [{ from: 'build', source: '/dist', destination: '/app' }],
      tests: { files: ['/app/answer.mjs'], boot: false },
    });
    const { image } = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' });

    const docker = new Docker({ socketPath: TEST_DOCKER_HOST!.replace(/^unix:\/\//, '') });
    const tag = `kiln-multi-stage-test:${process.pid}`;
    await loadOciArchive(docker, artifactPath(f.paths, image.artifact), tag, await detectFlavour(docker));
    const script = "import('/app/answer.mjs').then((m) => console.log(`answer ${m.answer}; cc ${require('node:fs').existsSync('/usr/bin/cc')}`))";
    const container = await docker.createContainer({ Image: tag, Entrypoint: ['/usr/bin/node'], Cmd: ['-e', script], HostConfig: { NetworkMode: 'none' } });
    try {
      await container.start();
      expect(await container.wait()).toMatchObject({ StatusCode: 0 });
      expect(demuxLogs((await container.logs({ stdout: true, stderr: true })) as unknown as Buffer)).toBe('answer 42; cc false\n');
    } finally {
      await container.remove({ force: true });
      await docker.getImage(tag).remove({ force: true });
    }
  });
});
