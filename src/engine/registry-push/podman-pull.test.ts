import Docker from 'dockerode';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { SKIP_REASON, TEST_DOCKER_HOST } from '../cloud/docker/docker-harness';
import { pushOciArchive } from './push-image';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from './test-registry';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(registryOrSkip() || !TEST_DOCKER_HOST)(`a pushed image runs where it is pulled (${TEST_DOCKER_HOST ? 'Podman' : SKIP_REASON})`, () => {
  const docker = new Docker({ socketPath: (TEST_DOCKER_HOST ?? '').replace(/^unix:\/\//, '') });
  const made: string[] = [];
  afterAll(async () => {
    for (const id of made)
      await docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('Podman pulls the pushed image by digest with the registry credentials and runs the baked app', async () => {
    const name = uniqueName('sample-app');
    const pushed = await pushOciArchive(await sampleAppArchive(), { registry: TEST_REGISTRY!, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD, name, tag: 'v1' });
    const reference = `${pushed.repository}@${pushed.digest}`;

    // libpod's own pull: the compat API has no way to say the loopback registry speaks plain HTTP.
    const pull = (password: string) =>
      new Promise<string>((resolve, reject) => {
        docker.modem.dial(
          {
            path: '/v4.0.0/libpod/images/pull?',
            method: 'POST',
            options: { reference, tlsVerify: false, quiet: true },
            authconfig: { username: TEST_REGISTRY_USER, password, serveraddress: TEST_REGISTRY },
            statusCodes: { 200: true, 400: 'bad request', 401: 'unauthorized', 404: 'not found', 500: 'server error' },
          },
          (err: unknown, data: unknown) => (err ? reject(err) : resolve(typeof data === 'string' ? data : JSON.stringify(data))),
        );
      });
    // libpod streams its answer: a refused pull is an `error` line in a 200.
    expect(await pull('wrong-password')).toMatch(/"error":.*unauthorized: authentication required/);
    const answer = await pull(TEST_REGISTRY_PASSWORD);
    expect(answer).not.toMatch(/"error"/);

    const image = await docker.getImage(reference).inspect();
    expect(image.RepoDigests).toContain(reference);

    const container = await docker.createContainer({
      Image: reference,
      Env: ['PORT=8080', 'KILN_IMAGE_VERSION=v1', 'KILN_INSTANCE_ID=pulled-1'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    made.push(container.id);
    await container.start();
    const port = (await container.inspect()).NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort;
    let body: unknown;
    for (let i = 0; i < 100 && body === undefined; i++) {
      body = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);
      if (body === undefined) await sleep(200);
    }
    expect(body).toEqual({ status: 'ok', instanceId: 'pulled-1', version: 'v1' });
  });
});
