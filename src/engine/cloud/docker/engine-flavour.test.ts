import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerArchiveOf } from './docker-archive';
import { containerNetwork, detectFlavour } from './engine-flavour';
import { TEST_DOCKER_HOST } from './docker-harness';
import { sampleAppArchive } from './test-image';

// with-podman.sh and with-dockerd.sh say which engine they started; the provider must find the same.
const EXPECTED = process.env.KILN_TEST_DOCKER_ENGINE;

describe.skipIf(!TEST_DOCKER_HOST || !EXPECTED)('which engine answers (skipped without with-podman.sh or with-dockerd.sh)', () => {
  it('tells Podman from Docker, and puts containers where they reach Kiln on the host', async () => {
    const docker = new Docker({ socketPath: TEST_DOCKER_HOST!.replace(/^unix:\/\//, '') });
    const flavour = await detectFlavour(docker);
    expect(flavour.engine).toBe(EXPECTED);
    const network = await containerNetwork(docker, flavour, true);
    const expected = {
      podman: { networkMode: 'slirp4netns:allow_host_loopback=true', metadataHost: '10.0.2.2', listenHost: '127.0.0.1' },
      docker: { networkMode: 'bridge', metadataHost: expect.stringMatching(/^\d+\.\d+\.\d+\.1$/), listenHost: expect.stringMatching(/^\d+\.\d+\.\d+\.1$/) },
    };
    expect(network).toEqual(expected[flavour.engine]);
    // A remote engine's containers cannot reach Kiln's loopback service at all.
    expect((await containerNetwork(docker, flavour, false)).metadataHost).toBeUndefined();
  });
});

describe('the OCI archive in Docker 20.10’s own format', () => {
  it('adds the manifest.json docker load reads: the config and layers by path, and the tag', async () => {
    const { stream, done } = await dockerArchiveOf(await sampleAppArchive(), 'kiln/sample-app:v7');
    const dir = mkdtempSync(join(tmpdir(), 'kiln-docker-archive-test-'));
    try {
      const tar = join(dir, 'out.tar');
      await writeFile(tar, stream);
      const names = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' }).split('\n');
      expect(names).toEqual(expect.arrayContaining(['./manifest.json', './index.json']));
      execFileSync('tar', ['-xf', tar, '-C', dir, './manifest.json']);
      const [entry] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string; RepoTags: string[]; Layers: string[] }[];
      expect(entry!.RepoTags).toEqual(['kiln/sample-app:v7']);
      for (const path of [entry!.Config, ...entry!.Layers]) expect(names).toContain(`./${path}`);
      expect(entry!.Layers.length).toBeGreaterThan(0);
    } finally {
      await done();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an archive without an image manifest, naming what is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-docker-archive-bad-'));
    try {
      execFileSync('sh', ['-c', `echo '{"manifests":[]}' > ${dir}/index.json && tar -cf ${dir}/bad.tar -C ${dir} index.json`]);
      await expect(dockerArchiveOf(join(dir, 'bad.tar'), 'x:y')).rejects.toThrow('the OCI archive has no manifest in its index.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
