import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../shared/domain/account';
import { openTestDatabase, type TestDatabase } from '../db/test-database';
import { seedDemoIfEmpty } from '../db/seed-demo';
import { validatePipeline } from '../shared/domain/pipeline-validate';
import { startFakeDockerEngine } from '../engine/cloud/fake-docker-engine';
import { foundDockerHosts, isSocketFile, NO_ENGINE_HINT, offerDemoContainers, usualDockerHosts } from './demo-containers';

let t: TestDatabase;
let engine: Awaited<ReturnType<typeof startFakeDockerEngine>> | undefined;
let empty: string;
beforeEach(async () => {
  t = await openTestDatabase();
  empty = mkdtempSync(join(tmpdir(), 'kiln-no-engine-'));
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  rmSync(empty, { recursive: true, force: true });
  await t.close();
});

// Only sockets under this test's directories count: the machine's own /run/podman or /var/run/docker.sock must not.
const ours = (path: string) => path.startsWith(tmpdir()) && isSocketFile(path);
const offer = (env: NodeJS.ProcessEnv) => {
  const lines: string[] = [];
  return offerDemoContainers({ repos: t.repos, env, log: (l) => lines.push(l), isSocket: ours }).then((host) => ({ host, lines }));
};
/** An XDG_RUNTIME_DIR whose podman/podman.sock is `socketPath`, as rootless Podman's would be. */
const runtimeDirWith = (socketPath: string) => {
  mkdirSync(join(empty, 'podman'));
  symlinkSync(socketPath, join(empty, 'podman', 'podman.sock'));
  return empty;
};

describe('the demo "containers" account', () => {
  it('is added on an engine that answers, as a demo docker account a deploy or a container job can use', async () => {
    engine = await startFakeDockerEngine();
    const { host, lines } = await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost });
    expect(host).toBe(engine.dockerHost);
    expect(await t.repos.accounts.get('containers')).toMatchObject({ provider: 'docker', demo: true, regions: ['local'], endpoint: { dockerHost: engine.dockerHost } });
    expect(lines).toEqual([
      `Demo: found a container engine at ${engine.dockerHost} (Podman Engine 5.4.2 (API 1.41)) and added the 'containers' environment: run "Ship to containers", or name it in deploys and run-job stages.`,
    ]);
  });

  it('comes with a pipeline that ships the demo storefront there, when the demo project is in the database', async () => {
    await seedDemoIfEmpty(t.repos, t.db);
    engine = await startFakeDockerEngine();
    await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost });
    const pipeline = (await t.repos.pipelines.listByApplication('storefront')).find((p) => p.name === 'Ship to containers');
    expect(pipeline?.stages.map((s) => `${s.type}:${String(s.config.account ?? s.config.recipe)}`)).toEqual(['bake:storefront-container', 'deploy:containers']);
    expect(validatePipeline(pipeline)).toMatchObject({ ok: true });
    // Its recipe: Debian's own nodejs in an OCI image, the app run by an unprivileged user.
    expect(await t.repos.recipes.getByName('storefront-container')).toMatchObject({
      builder: 'oci',
      base: { type: 'debian', suite: 'bookworm' },
      provisioners: expect.arrayContaining([{ type: 'packages', packages: ['nodejs'] }]),
      run: { entrypoint: 'app/server.mjs', user: 'storefront' },
    });
  });

  it('finds an engine at the usual sockets with KILN_DEMO_CONTAINERS=auto (DOCKER_HOST first)', async () => {
    engine = await startFakeDockerEngine();
    expect(usualDockerHosts({ DOCKER_HOST: engine.dockerHost, XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual([
      engine.dockerHost,
      'unix:///run/user/1000/podman/podman.sock',
      'unix:///run/podman/podman.sock',
      'unix:///var/run/docker.sock',
    ]);
    const { host } = await offer({ KILN_DEMO_CONTAINERS: 'auto', DOCKER_HOST: engine.dockerHost });
    expect(host).toBe(engine.dockerHost);
  });

  it('is offered by default when an engine answers at a socket found at start (rootless Podman here), and the start log says so', async () => {
    engine = await startFakeDockerEngine();
    const xdg = runtimeDirWith(engine.socketPath);
    const { host, lines } = await offer({ XDG_RUNTIME_DIR: xdg });
    expect(host).toBe(`unix://${xdg}/podman/podman.sock`);
    expect(await t.repos.accounts.get('containers')).toMatchObject({ provider: 'docker', endpoint: { dockerHost: host } });
    expect(lines).toEqual([
      `Demo: found a container engine at ${host} (Podman Engine 5.4.2 (API 1.41)) and added the 'containers' environment: run "Ship to containers", or name it in deploys and run-job stages (KILN_DEMO_CONTAINERS=off turns it off).`,
    ]);
  });

  it('asks nothing when no socket is there, and says in one line how to add an engine', async () => {
    engine = await startFakeDockerEngine();
    expect(foundDockerHosts({ XDG_RUNTIME_DIR: empty }, ours)).toEqual([]);
    const { host, lines } = await offer({ XDG_RUNTIME_DIR: empty });
    expect(host).toBeUndefined();
    expect(lines).toEqual([NO_ENGINE_HINT]);
    expect(NO_ENGINE_HINT).toContain('podman system service --time=0 unix:///run/podman/podman.sock');
    expect(await t.repos.accounts.get('containers')).toBeUndefined();
  });

  it('gives up on a socket whose engine never answers, without adding the account, naming the socket and why', { timeout: 20_000 }, async () => {
    const hung: Server = createServer(() => {}); // accepts, never answers
    const socketPath = join(empty, 'hung.sock');
    await new Promise<void>((resolve) => hung.listen(socketPath, resolve));
    try {
      const xdg = join(empty, 'xdg');
      mkdirSync(join(xdg, 'podman'), { recursive: true });
      symlinkSync(socketPath, join(xdg, 'podman', 'podman.sock'));
      const { host, lines } = await offer({ XDG_RUNTIME_DIR: xdg });
      expect(host).toBeUndefined();
      expect(lines).toEqual([
        `Demo: the container engine socket found did not answer, so there is no 'containers' environment (unix://${xdg}/podman/podman.sock: no answer from unix://${xdg}/podman/podman.sock within 3 s).`,
      ]);
      expect(await t.repos.accounts.get('containers')).toBeUndefined();
    } finally {
      hung.close();
    }
  });

  it('is never added when the engine named does not answer: the log says where it looked and why', async () => {
    const nobody = `unix://${join(empty, 'podman.sock')}`;
    const { host, lines } = await offer({ KILN_DEMO_CONTAINERS: nobody });
    expect(host).toBeUndefined();
    expect(await t.repos.accounts.get('containers')).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Demo: KILN_DEMO_CONTAINERS names an engine that did not answer, so there is no 'containers' environment \(unix:\/\/.*podman\.sock: .+\)\.$/);
  });

  it('does nothing with KILN_DEMO_CONTAINERS=off, and leaves an account of that name someone configured alone', async () => {
    engine = await startFakeDockerEngine();
    const xdg = runtimeDirWith(engine.socketPath);
    expect(await offer({ KILN_DEMO_CONTAINERS: 'off', DOCKER_HOST: engine.dockerHost, XDG_RUNTIME_DIR: xdg })).toEqual({ host: undefined, lines: [] });
    expect(engine.requests).toEqual([]);
    const theirs = Account.parse({ name: 'containers', provider: 'local', environment: 'prod', regions: ['east'], demo: false });
    await t.repos.accounts.upsert(theirs);
    expect(await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost })).toEqual({ host: undefined, lines: [] });
    expect(await offer({ XDG_RUNTIME_DIR: xdg })).toEqual({ host: undefined, lines: [] });
    expect(await t.repos.accounts.get('containers')).toMatchObject({ provider: 'local', demo: false });
  });
});
