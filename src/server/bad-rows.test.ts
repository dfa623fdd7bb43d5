import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { asTestAdmin } from './test-app';
import { sampleWebGroup } from './test-fixtures';
import { createToken } from './auth/sessions';
import { Health } from '../shared/api/system';
import { PipelineDraft } from '../shared/domain/pipeline';
import { quarantinedRows, resetQuarantine, setQuarantineLog } from '../db/quarantine';
import { scanStoredRows } from '../db/scan-rows';
import { createEventBus } from '../engine/events/event-bus';
import { createEngine, type Engine } from '../engine/index';
import { localProviders } from '../engine/cloud/providers';
import type { LocalCloud } from '../engine/cloud/local';
import { openTestCloud, until } from '../engine/cloud/test-cloud';

// Rows written by an older Kiln, a bug or a hand-edit, corrupted here with SQL: Kiln must start
// around them, serve everything else, keep good load balancers up, and say what it left out.
let t: Awaited<ReturnType<typeof openTestCloud>> | undefined;
let app: FastifyInstance | undefined;
let engine: Engine | undefined;
let restarted: LocalCloud | undefined;
afterEach(async () => {
  await engine?.stop();
  await app?.close();
  const left = await t?.close(...(restarted ? [restarted] : []));
  [t, app, engine, restarted] = [undefined, undefined, undefined, undefined];
  resetQuarantine();
  expect(left ?? []).toEqual([]);
});

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const image = (name: string, n: number) => ({
  name,
  build: { builder: 'bundle' as const, tools: {}, packages: [] },
  digest: digest(n),
  sizeBytes: 1000,
  format: 'bundle' as const,
  artifact: `${n}.tar.zst`,
});
const wait = (seconds: number) => [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds } }];

describe('a bad row in any table Kiln reads at start', { timeout: 120_000 }, () => {
  it('is quarantined and named in health, while Kiln starts, serves the rest and keeps good load balancers serving', async () => {
    const logged: string[] = [];
    setQuarantineLog((line) => logged.push(line));
    t = await openTestCloud();
    const { cloud, repos, db } = t;
    const good = await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
    await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-bad' });
    await cloud.createServerGroup(sampleWebGroup({ name: 'web-prod-v001', loadBalancers: ['web-prod'] }));
    await cloud.createServerGroup(sampleWebGroup({ name: 'web-bad-v001', loadBalancers: ['web-bad'] }));
    await until('the good balancer serving', async () => (await fetch(`http://${good.address}/`).catch(() => undefined))?.status === 200);
    await repos.images.create(image('shop', 1), 'ci');
    await repos.images.create(image('broken', 2), 'ci');
    const quick = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Quick', stages: wait(1) }), 'ana');
    const bad = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Bad', stages: wait(1) }), 'ana');
    const long = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Long', stages: wait(600) }), 'ana');
    const first = createEngine({ repos, events: createEventBus(repos), owner: 'before' });
    const stuck = await first.start(long, { type: 'manual', user: 'ana', parameters: {} });
    await first.stop();
    t.track();
    await cloud.close();

    await db.exec(`
      update images set build = jsonb_set(build, '{git}', '{"commit": "${'a'.repeat(65)}"}') where name = 'broken';
      update pipelines set config = jsonb_set(config, '{stages}', '"oops"') where name = 'Bad';
      update executions set trigger = '{"type": 42}' where id = '${stuck.id}';
      update server_groups set user_data = repeat('x', 70000) where name = 'web-bad-v001';
      update load_balancers set health_check_path = 'health' where name = 'web-bad';
    `);

    // Start again as main.ts does: the start-up scan, the local cloud (adoption, balancers), the engine, the API.
    expect((await scanStoredRows(repos)).length).toBe(5);
    restarted = t.make();
    await restarted.start();
    engine = createEngine({ repos, events: createEventBus(repos), cloud: localProviders(repos, restarted), owner: 'after', tickMs: 100 });
    app = await buildApp({ db, repos, version: '0.0.0-test', engine, cloud: restarted });
    await asTestAdmin(app, repos);
    engine.run();

    const health = await app.inject('/api/health');
    expect(health.statusCode).toBe(200);
    const body = Health.parse(health.json());
    expect(body.status).toBe('degraded');
    expect(body.quarantined.map((q) => `${q.table} ${q.key}`)).toEqual([
      `executions ${stuck.id}`,
      'images broken:v1',
      'load_balancers prod/east/web-bad',
      `pipelines ${bad.id}`,
      'server_groups prod/east/web-bad-v001',
    ]);
    expect(body.quarantined.find((q) => q.table === 'images')!.message).toBe('build.git.commit: Too big: expected string to have <=64 characters');
    expect(logged.filter((l) => l.includes('broken:v1'))).toHaveLength(1);
    // Health is public: strangers and non-admins learn that Kiln is degraded, not which rows (they name apps, images, accounts).
    const stranger = Health.parse((await app.inject({ url: '/api/health', headers: { authorization: '' } })).json());
    expect(stranger).toMatchObject({ status: 'degraded', quarantinedCount: 5, quarantined: [] });
    await repos.users.saveRole({ name: 'web-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
    await repos.users.create({ name: 'rita', displayName: 'Rita', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
    await repos.users.update('rita', { roles: ['web-readers'] });
    const rita = (await createToken(repos, 'rita', 'test', new Date())).secret;
    const reader = Health.parse((await app.inject({ url: '/api/health', headers: { authorization: `Bearer ${rita}` } })).json());
    expect(reader).toMatchObject({ status: 'degraded', quarantinedCount: 5, quarantined: [] });

    // The rest is served, once.
    const images = await app.inject('/api/images');
    expect(images.statusCode).toBe(200);
    expect(images.json().map((i: { name: string }) => i.name)).toEqual(['shop']);
    const pipelines = await app.inject('/api/applications/web/pipelines');
    expect(pipelines.statusCode).toBe(200);
    expect(
      pipelines
        .json()
        .map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['Long', 'Quick']);
    const balancers = await app.inject('/api/applications/web/load-balancers');
    expect(balancers.json().map((b: { name: string }) => b.name)).toEqual(['web-prod']);
    const clusters = await app.inject('/api/applications/web/clusters');
    expect(clusters.statusCode).toBe(200);
    expect(clusters.body).toContain('web-prod-v001');
    expect(clusters.body).not.toContain('web-bad-v001');

    // A bad row asked for by itself answers a clear error naming it.
    const broken = await app.inject('/api/images/broken');
    expect(broken.statusCode).toBe(500);
    expect(broken.json().message).toBe(
      'stored image broken:v1 is invalid: build.git.commit: Too big: expected string to have <=64 characters. The row is quarantined (see /api/health); repair or delete it.',
    );
    const one = await app.inject(`/api/pipelines/${bad.id}`);
    expect(one.statusCode).toBe(500);
    expect(one.json().message).toMatch(new RegExp(`^stored pipeline ${bad.id} is invalid: stages: .*quarantined \\(see /api/health\\)`));

    // Pipelines still run, and the good balancer serves again from its relaunched group.
    const run = await engine.start(quick, { type: 'manual', user: 'ana', parameters: {} });
    await until('the quick run to finish', async () => (await repos.executions.get(run.id))?.status === 'SUCCEEDED');
    const executions = await app.inject('/api/applications/web/executions');
    expect(executions.statusCode).toBe(200);
    expect(executions.json().executions.map((e: { id: string }) => e.id)).toEqual([run.id]);
    // What the balancer last answered, for the failure message if it never serves again.
    let answer = '';
    await until(
      'the good balancer serving after the restart',
      async () => {
        const res = await fetch(`http://${good.address}/`, { signal: AbortSignal.timeout(5000) }).catch((e: Error) => e);
        answer = res instanceof Error ? `${res.message} (${String(res.cause)})` : `HTTP ${res.status}`;
        return answer === 'HTTP 200';
      },
      60_000,
    ).catch(async (err: Error) => {
      const now = (await app!.inject('/api/applications/web/load-balancers')).body;
      throw new Error(
        `${err.message}; ${good.address} last answered ${answer}; balancers now: ${now}; clusters: ${(await app!.inject('/api/applications/web/clusters')).body.slice(0, 800)}`,
      );
    });
    expect(quarantinedRows()).toHaveLength(5);
  });
});
