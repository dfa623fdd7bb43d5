import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../shared/domain/account';
import { openTestDatabase, type TestDatabase } from '../db/test-database';
import { seedDemoIfEmpty } from '../db/seed-demo';
import { validatePipeline } from '../shared/domain/pipeline-validate';
import { startFakeDockerEngine } from '../engine/cloud/fake-docker-engine';
import { offerDemoContainers, usualDockerHosts } from './demo-containers';

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

const offer = (env: NodeJS.ProcessEnv) => {
  const lines: string[] = [];
  return offerDemoContainers({ repos: t.repos, env, log: (l) => lines.push(l) }).then((host) => ({ host, lines }));
};

describe('the demo "containers" account', () => {
  it('is added on an engine that answers, as a demo docker account a deploy or a container job can use', async () => {
    engine = await startFakeDockerEngine();
    const { host, lines } = await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost });
    expect(host).toBe(engine.dockerHost);
    expect(await t.repos.accounts.get('containers')).toMatchObject({ provider: 'docker', demo: true, regions: ['local'], endpoint: { dockerHost: engine.dockerHost } });
    expect(lines).toEqual([
      `Demo: added the 'containers' account on ${engine.dockerHost} (Podman Engine 5.4.2 (API 1.41)): deploys and run-job stages can run there as containers.`,
    ]);
  });

  it('comes with a pipeline that ships the demo storefront there, when the demo project is in the database', async () => {
    await seedDemoIfEmpty(t.repos, t.db);
    engine = await startFakeDockerEngine();
    await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost });
    const pipeline = (await t.repos.pipelines.listByApplication('storefront')).find((p) => p.name === 'Ship to containers');
    expect(pipeline?.stages.map((s) => `${s.type}:${String(s.config.account ?? s.config.recipe)}`)).toEqual(['bake:storefront', 'deploy:containers']);
    expect(validatePipeline(pipeline)).toMatchObject({ ok: true });
  });

  it('finds an engine at the usual sockets with KILN_DEMO_CONTAINERS=auto (DOCKER_HOST first)', async () => {
    engine = await startFakeDockerEngine();
    expect(usualDockerHosts({ DOCKER_HOST: engine.dockerHost, XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual([
      engine.dockerHost,
      'unix:///run/podman/podman.sock',
      'unix:///run/user/1000/podman/podman.sock',
      'unix:///var/run/docker.sock',
    ]);
    const { host } = await offer({ KILN_DEMO_CONTAINERS: 'auto', DOCKER_HOST: engine.dockerHost });
    expect(host).toBe(engine.dockerHost);
  });

  it('is never added when no engine answers: the log says where it looked and why', async () => {
    const nobody = `unix://${join(empty, 'podman.sock')}`;
    const { host, lines } = await offer({ KILN_DEMO_CONTAINERS: nobody });
    expect(host).toBeUndefined();
    expect(await t.repos.accounts.get('containers')).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Demo: KILN_DEMO_CONTAINERS is set, but no container engine answered, so there is no 'containers' account \(unix:\/\/.*podman\.sock: .+\)\.$/);
  });

  it('does nothing unless asked, and leaves an account of that name someone configured alone', async () => {
    engine = await startFakeDockerEngine();
    expect(await offer({ DOCKER_HOST: engine.dockerHost })).toEqual({ host: undefined, lines: [] });
    expect(engine.requests).toEqual([]);
    const theirs = Account.parse({ name: 'containers', provider: 'local', environment: 'prod', regions: ['east'], demo: false });
    await t.repos.accounts.upsert(theirs);
    expect(await offer({ KILN_DEMO_CONTAINERS: engine.dockerHost })).toEqual({ host: undefined, lines: [] });
    expect(await t.repos.accounts.get('containers')).toMatchObject({ provider: 'local', demo: false });
  });
});
