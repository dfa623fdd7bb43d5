import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { Execution } from '../../shared/domain/execution';
import { SearchResults } from '../../shared/domain/search';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const executionIds: Record<string, string> = {};
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ wendy: ['READ'] });
  const { repos } = ctx;
  const build = { builder: 'bundle' as const, tools: {}, packages: [] };
  await repos.images.create({ name: 'storefront', build, digest: `sha256:${'1'.repeat(64)}`, sizeBytes: 100, format: 'bundle', artifact: '1.tar.zst' }, 'ci');
  await repos.images.create({ name: 'storefront', build, digest: `sha256:${'2'.repeat(64)}`, sizeBytes: 100, format: 'bundle', artifact: '2.tar.zst' }, 'ci');
  // One stored (never run) execution per application, so ids can be looked up.
  for (const [application, id] of [
    ['web', 'abcdef01-0000-4000-8000-000000000001'],
    ['billing', 'abcdef02-0000-4000-8000-000000000002'],
  ] as const) {
    const draft = PipelineDraft.parse({ application, name: `Ship ${application}`, disabled: true, stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] });
    const pipeline = await repos.pipelines.create(draft, 'ana');
    await repos.executions.create(
      Execution.parse({
        id,
        application,
        pipelineId: pipeline.id,
        pipelineName: pipeline.name,
        pipelineRevision: 1,
        status: 'SUCCEEDED',
        trigger: { type: 'manual', user: 'ana' },
        stages: [],
        createdAt: '2026-11-02T10:00:00.000Z',
      }),
    );
    executionIds[application] = id;
  }
}, 60_000);
afterAll(() => ctx.close());

const search = async (who: string, q: string) => {
  const res = await ctx.as(who, 'GET', `/api/search?q=${encodeURIComponent(q)}`);
  expect(res.statusCode).toBe(200);
  return SearchResults.parse(res.json()).hits;
};
const labels = (hits: Awaited<ReturnType<typeof search>>, kind: string) => hits.filter((h) => h.kind === kind).map((h) => h.label);

describe('global search', () => {
  it('finds server groups by image:version as the cluster cards print it, and instances by address and port', async () => {
    const byVersion = await search('ana', 'web:1.0.2');
    expect(byVersion.filter((h) => h.kind === 'serverGroup').map((h) => `${h.account}/${h.region}/${h.serverGroup}`)).toEqual([
      'prod/east/web-prod-v002',
      'prod/west/web-prod-v002',
    ]);
    const byAddress = await search('ana', '127.0.0.1:41002');
    expect(byAddress.filter((h) => h.kind === 'instance').map((h) => h.detail)).toEqual(['127.0.0.1:41002 · web-prod-v002 · prod/east']);
    const byPort = await search('ana', ':41000');
    expect(labels(byPort, 'instance')).toHaveLength(5);
  });

  it('groups clusters, applications, pipelines, load balancers, images and executions by kind', async () => {
    const hits = await search('ana', 'web');
    expect(labels(hits, 'application')).toEqual(['web']);
    expect(labels(hits, 'cluster')).toEqual(['web-prod', 'web-staging-canary-eu']);
    expect(labels(hits, 'pipeline')).toEqual(['Ship web']);
    expect(labels(hits, 'loadBalancer')).toEqual(['web-prod-frontend']);
    // Grouped in a fixed order: a client can show each group as it comes.
    const kinds = hits.map((h) => h.kind).filter((k, i, all) => all.indexOf(k) === i);
    expect(kinds).toEqual(['application', 'pipeline', 'cluster', 'serverGroup', 'loadBalancer']);
    expect(labels(await search('ana', 'storefront:v2'), 'image')).toEqual(['storefront:v2']);
    expect(labels(await search('ana', 'storefront'), 'image')).toEqual(['storefront']);
    expect((await search('ana', executionIds.web!.slice(0, 8))).filter((h) => h.kind === 'execution').map((h) => [h.executionId, h.application])).toEqual([
      [executionIds.web, 'web'],
    ]);
  });

  it("never shows someone who may read only 'web' anything of another application", async () => {
    expect(await search('wendy', 'billing')).toEqual([]);
    const instances = (await search('wendy', ':41000')).filter((h) => h.kind === 'instance');
    expect(instances.map((h) => h.application)).toEqual(['web', 'web', 'web', 'web']);
    expect(labels(await search('wendy', executionIds.billing!.slice(0, 8)), 'execution')).toEqual([]);
    expect(labels(await search('wendy', 'abcdef0'), 'execution')).toEqual([executionIds.web]);
    // Images belong to no application: everyone signed in sees them.
    expect(labels(await search('wendy', 'storefront'), 'image')).toEqual(['storefront']);
  });

  it('refuses an empty query naming q, and strangers', async () => {
    const empty = await ctx.as('ana', 'GET', '/api/search?q=%20');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'bad_request', field: 'q' });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/search?q=web' })).statusCode).toBe(401);
  });
});
