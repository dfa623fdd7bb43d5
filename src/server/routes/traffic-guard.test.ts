import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TRAFFIC_GUARD_CASES, trafficGuardGroups } from '../../shared/domain/traffic-guard-cases';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../test-app';

// The same table mocks/handlers/server-groups.test.ts runs through the MSW mocks. The groups are
// display-only, so what the guard lets through is then refused for that reason instead.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp());
}, 60_000);
afterAll(() => close());
beforeEach(async () => {
  for (const g of (await repos.serverGroups.listByApplication('web')).filter((g) => g.cluster === 'web-guard')) await repos.serverGroups.delete(g);
});

describe('the server refuses what the traffic guard table refuses', () => {
  it.each(TRAFFIC_GUARD_CASES)('$name', async (c) => {
    for (const g of trafficGuardGroups(c)) await repos.serverGroups.save(g);
    const guard = await app.inject({ method: 'PUT', url: '/api/applications/web/clusters/prod/web-guard/traffic-guard', payload: { enabled: c.protected } });
    expect(guard.statusCode, guard.body).toBe(200);
    const url = `/api/applications/web/server-groups/prod/east/${c.target}`;
    const res =
      c.action === 'disable' ? await app.inject({ method: 'POST', url: `${url}/disable`, payload: {} }) : await app.inject({ method: 'DELETE', url: `${url}?confirm=${c.target}` }); // the name typed: only the guard may refuse
    const body = res.json<{ message: string; field?: string }>();
    const byGuard = res.statusCode === 409 && body.field === 'serverGroup' && body.message.startsWith('Traffic guard');
    expect(byGuard, body.message).toBe(c.refused);
    // Nothing the guard refused was touched (what an allowed action did is the other tests' subject).
    // oxlint-disable-next-line vitest/no-conditional-expect -- only a refused row has an untouched group to check
    if (c.refused) expect((await repos.serverGroups.get({ account: 'prod', region: 'east', name: c.target }))?.disabled).toBe(false);
  });
});
