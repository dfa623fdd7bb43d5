import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterOperation } from '../../shared/domain/cluster-operation';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const stored = (id: string, application: string, cluster: string) =>
  ctx.repos.clusterOperations.create({
    id,
    kind: 'rollback',
    application,
    account: 'prod',
    region: 'east',
    cluster,
    requestedBy: 'ana',
    params: { healthyTimeoutSec: 120 },
    steps: [{ name: 'requested', at: '2026-11-23T10:00:00.000Z', message: `ana asked to roll back ${cluster}` }],
    createdAt: '2026-11-23T10:00:00.000Z',
  } as Parameters<typeof ctx.repos.clusterOperations.create>[0]);
const WEB_OP = '11111111-1111-4111-8111-111111111111';
const BILLING_OP = '22222222-2222-4222-8222-222222222222';

beforeAll(async () => {
  // rita reads web; ed may operate web in prod; otto may operate billing (and read it), nothing of web.
  ctx = await openNarrowRoleApp({ rita: ['READ'], ed: ['READ', 'EXECUTE'], otto: [] });
  const role = (name: string, grants: Array<{ resourceType: 'application' | 'account'; resource: string; permission: 'READ' | 'EXECUTE' }>) =>
    ctx.repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants });
  await role('ed', [
    { resourceType: 'application', resource: 'web', permission: 'READ' },
    { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
    { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' },
  ]);
  await role('otto', [
    { resourceType: 'application', resource: 'billing', permission: 'READ' },
    { resourceType: 'application', resource: 'billing', permission: 'EXECUTE' },
    { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' },
  ]);
  await stored(WEB_OP, 'web', 'web-prod');
  await stored(BILLING_OP, 'billing', 'billing');
}, 60_000);
afterAll(() => ctx.close());

const rollback = (cluster: string, at = 'prod/east') => `/api/applications/web/clusters/${at}/${cluster}/rollback`;

describe('rolling back a cluster through the API', () => {
  it('is refused (403) to someone who may only read the application, or who operates another one, and nothing is stored', async () => {
    const read = await ctx.as('rita', 'POST', rollback('web-prod'), {});
    expect(read.statusCode).toBe(403);
    expect(read.json().message).toContain('EXECUTE');
    expect((await ctx.as('otto', 'POST', rollback('web-prod'), {})).statusCode).toBe(403);
    expect((await ctx.repos.clusterOperations.list('web', { activeOnly: false, limit: 10 })).map((o) => o.id)).toEqual([WEB_OP]);
  });

  it('refuses bad input naming the field: an unknown cluster (404), nothing to go back to (409), a malformed name (400)', async () => {
    const unknown = await ctx.as('ed', 'POST', rollback('web-ghost'), {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: "Cluster 'web-ghost' does not exist in prod/east for application 'web'.", field: 'cluster' });
    const alone = await ctx.as('ed', 'POST', rollback('web-prod', 'prod/west'), {});
    expect(alone.statusCode).toBe(409);
    expect(alone.json()).toEqual({ error: 'conflict', message: "Cluster 'web-prod' has no server group older than 'web-prod-v002' to roll back to.", field: 'cluster' });
    const malformed = await ctx.as('ed', 'POST', rollback('Web Prod!'), {});
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().field).toBe('cluster');
    const body = await ctx.as('ed', 'POST', rollback('web-prod'), { timeoutSec: 5 });
    expect(body.statusCode).toBe(400);
  });
});

describe('a cluster operation (GET /api/cluster-operations/:id)', () => {
  it("shows its steps and who asked to someone who may read the application; another application's is a 404 like an unknown id", async () => {
    const mine = await ctx.as('rita', 'GET', `/api/cluster-operations/${WEB_OP}`);
    expect(mine.statusCode).toBe(200);
    expect(ClusterOperation.parse(mine.json())).toMatchObject({ id: WEB_OP, state: 'PENDING', requestedBy: 'ana', steps: [{ name: 'requested' }] });
    const theirs = await ctx.as('rita', 'GET', `/api/cluster-operations/${BILLING_OP}`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toEqual({ error: 'not_found', message: `Cluster operation '${BILLING_OP}' does not exist.`, field: 'operationId' });
    expect((await ctx.as('otto', 'GET', `/api/cluster-operations/${WEB_OP}`)).statusCode).toBe(404);
    expect((await ctx.as('otto', 'GET', `/api/cluster-operations/${BILLING_OP}`)).statusCode).toBe(200);
    expect((await ctx.as('rita', 'GET', '/api/cluster-operations/not-a-uuid')).json()).toMatchObject({ error: 'bad_request', field: 'operationId' });
  });

  it("lists an application's operations under way to its readers only", async () => {
    const list = await ctx.as('rita', 'GET', '/api/applications/web/cluster-operations?active=true');
    expect(list.json().map((o: { id: string }) => o.id)).toEqual([WEB_OP]);
    expect((await ctx.as('rita', 'GET', '/api/applications/billing/cluster-operations')).statusCode).toBe(403);
    expect((await ctx.as('rita', 'GET', '/api/applications/web/cluster-operations?active=yes')).json().field).toBe('active');
  });
});
