import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRAFFIC_GUARD_CASES, trafficGuardGroups } from '../../src/shared/domain/traffic-guard-cases';
import { db, resetDb } from '../db';
import { server } from '../node';

// The same table src/server/routes/traffic-guard.test.ts runs through the real BFF.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await fetch('http://kiln.test/api/applications/web/clusters/prod/web-guard/traffic-guard', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: '{"enabled":false}',
  });
  resetDb();
});
afterAll(() => server.close());

describe('mock mode refuses what the traffic guard table refuses, as the server does', () => {
  it.each(TRAFFIC_GUARD_CASES)('$name', async (c) => {
    db.serverGroups = [...trafficGuardGroups(c), ...db.serverGroups];
    const json = { 'content-type': 'application/json' };
    await fetch('http://kiln.test/api/applications/web/clusters/prod/web-guard/traffic-guard', { method: 'PUT', headers: json, body: JSON.stringify({ enabled: c.protected }) });
    const url = `http://kiln.test/api/applications/web/server-groups/prod/east/${c.target}`;
    const res =
      c.action === 'disable' ? await fetch(`${url}/disable`, { method: 'POST', headers: json, body: '{}' }) : await fetch(`${url}?confirm=${c.target}`, { method: 'DELETE' }); // the name typed: only the guard may refuse
    const body = (await res.json()) as { message?: string; field?: string };
    expect({ status: res.status, field: body.field }, body.message).toEqual(c.refused ? { status: 409, field: 'serverGroup' } : { status: 200, field: undefined });
    // oxlint-disable-next-line vitest/no-conditional-expect -- only a refusal has a message to read
    if (c.refused) expect(body.message).toMatch(/^Traffic guard/);
  });
});
