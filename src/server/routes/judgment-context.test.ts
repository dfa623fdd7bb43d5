import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { JudgmentContext } from '../../shared/domain/judgment-context';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { ServerGroup } from '../../shared/domain/server-group';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { createToken } from '../auth/sessions';
import { serverGroup } from '../../db/test-builders';
import { openNarrowRoleApp } from '../test-narrow-roles';

const AT = '2026-11-23T10:00:00.000Z';
const STAGING_DONE = '2026-11-23T10:05:00.000Z';
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];
let id: string;

/** Instance ids of its own: the test app's other groups took the builder's first ones. */
const own = (sg: ReturnType<typeof serverGroup>, version: string) =>
  ServerGroup.parse({ ...sg, image: { name: 'web', version }, instances: sg.instances.map((i, n) => ({ ...i, id: `i-jc${sg.name.slice(-4)}${n}` })) });
const stage = (refId: string, type: string, name: string, after: string[], extra: Record<string, unknown> = {}) => ({
  refId,
  type,
  name,
  requisiteStageRefIds: after,
  failPolicy: 'halt_pipeline',
  config: {},
  status: 'NOT_STARTED',
  ...extra,
});

beforeAll(async () => {
  ({ app, repos, close, as } = await openNarrowRoleApp({ rita: ['READ'] }));
  await repos.users.create({ name: 'nobody', displayName: 'nobody', passwordHash: 'x', admin: false, createdAt: AT });
  const pipeline = await repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: 'Ship web', disabled: true, stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] }),
    'ana',
  );
  // Production runs web v1 (3 instances); staging runs the v2 this run baked from commit c03f5e6.
  const base = await repos.images.create(
    { name: 'web', build: { builder: 'bundle', tools: {}, packages: [] }, digest: `sha256:${'a'.repeat(64)}`, sizeBytes: 1, format: 'bundle', artifact: 'a' },
    'ana',
  );
  await repos.images.create(
    {
      name: 'web',
      build: { builder: 'bundle', tools: {}, packages: [], git: { commit: 'c03f5e6d91', ref: 'main' } },
      digest: `sha256:${'b'.repeat(64)}`,
      sizeBytes: 1,
      format: 'bundle',
      artifact: 'b',
      parentId: base.id,
    },
    'ana',
  );
  const prod = serverGroup({ account: 'prod', region: 'east', name: 'web-shop-v001' }, { health: ['up', 'up', 'up'], launchedAt: '2026-11-21T10:00:00.000Z' });
  await repos.serverGroups.save(own(prod, 'v1'));
  await repos.serverGroups.save(own(serverGroup({ account: 'prod', region: 'east', name: 'web-shop-v000' }, { disabled: true }), 'v0'));
  const staging = serverGroup({ account: 'staging', region: 'east', name: 'web-staging-v004' }, { health: ['up', 'up'] });
  await repos.serverGroups.save(own(staging, 'v2'));
  const execution = Execution.parse({
    id: crypto.randomUUID(),
    pipelineId: pipeline.id,
    application: 'web',
    pipelineName: 'Ship web',
    pipelineRevision: 1,
    status: 'RUNNING',
    trigger: { type: 'manual', user: 'ana', parameters: {} },
    createdAt: AT,
    startedAt: AT,
    stages: [
      stage('bake', 'bake', 'Bake', [], { status: 'SUCCEEDED', outputs: { image: 'web:v2' }, startedAt: AT, endedAt: AT }),
      stage('stg', 'deploy', 'Deploy to staging', ['bake'], {
        status: 'SUCCEEDED',
        startedAt: AT,
        endedAt: STAGING_DONE,
        outputs: {
          serverGroup: 'web-staging-v004',
          image: 'web:v2',
          account: 'staging',
          region: 'east',
          cluster: 'web-staging',
          loadBalancers: [{ name: 'web-staging', address: '127.0.0.1:9911' }],
        },
      }),
      stage('smoke', 'runJob', 'Smoke test', ['stg'], { status: 'SUCCEEDED', startedAt: STAGING_DONE, endedAt: STAGING_DONE }),
      stage('ok', 'manualJudgment', 'Approve', ['smoke'], { status: 'SUSPENDED', startedAt: STAGING_DONE, context: { waitingSince: STAGING_DONE } }),
      stage('prod', 'deploy', 'Deploy to production', ['ok'], { config: { account: 'prod', region: 'east', stack: 'shop', image: '${ stages["Bake"].outputs.image }' } }),
    ],
  });
  await repos.executions.create(execution);
  for (const s of execution.stages) {
    await repos.executions.updateStage(execution.id, s.refId, {
      status: s.status,
      outputs: s.outputs,
      context: s.context,
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      ...(s.endedAt ? { endedAt: s.endedAt } : {}),
    });
  }
  id = execution.id;
}, 60_000);
afterAll(() => close());

describe('GET /api/executions/:id/stages/:refId/judgment-context', () => {
  it('says what production runs now, what this run promotes and from which commit, how staging does and which checks passed — to a READ-only user', async () => {
    const res = await as('rita', 'GET', `/api/executions/${id}/stages/ok/judgment-context`);
    expect(res.statusCode).toBe(200);
    const context = JudgmentContext.parse(res.json());
    expect(context.target).toEqual({
      stageName: 'Deploy to production',
      account: 'prod',
      region: 'east',
      cluster: 'web-shop',
      // Only the enabled group: the disabled v000 serves nothing.
      current: [{ account: 'prod', region: 'east', name: 'web-shop-v001', image: 'web:v1', instances: 3, healthy: 3, launchedAt: '2026-11-21T10:00:00.000Z' }],
    });
    expect(context.promotes).toMatchObject({ image: 'web:v2', name: 'web', version: 'v2', known: true, commit: 'c03f5e6d91', ref: 'main', parent: 'web:v1' });
    expect(context.staging).toMatchObject({
      stageName: 'Deploy to staging',
      serverGroup: 'web-staging-v004',
      status: 'SUCCEEDED',
      since: STAGING_DONE,
      address: '127.0.0.1:9911',
      group: { name: 'web-staging-v004', image: 'web:v2', instances: 2, healthy: 2 },
    });
    expect(context.checks).toEqual([{ refId: 'smoke', stageName: 'Smoke test', type: 'runJob', status: 'SUCCEEDED', endedAt: STAGING_DONE }]);
  });

  it('is a 404 naming the field for a stage that is no judgment, and for someone who may not read the application', async () => {
    const notJudgment = await as('rita', 'GET', `/api/executions/${id}/stages/smoke/judgment-context`);
    expect(notJudgment.statusCode).toBe(404);
    expect(notJudgment.json()).toMatchObject({ error: 'not_found', field: 'refId' });
    // Someone signed in with no grant on `web`: the same 404 as for an execution that does not exist.
    const token = (await createToken(repos, 'nobody', 'test', new Date())).secret;
    const outsider = await app.inject({ method: 'GET', url: `/api/executions/${id}/stages/ok/judgment-context`, headers: { authorization: `Bearer ${token}` } });
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json()).toMatchObject({ field: 'executionId' });
    expect(JSON.stringify(outsider.json())).not.toContain('web-shop');
  });
});
