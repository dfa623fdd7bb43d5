import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../db/types';
import { openTestApp } from './test-app';
import { createToken } from './auth/sessions';

// An engineer who may edit and run one application's pipelines tries to use a webhook stage to
// reach what sits next to Kiln: the cloud metadata service, a service on loopback, Kiln itself.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let canary: Server;
let canaryPort: number;
let hits = 0;
let as: { authorization: string };

beforeAll(async () => {
  canary = createServer((_req, res) => {
    hits += 1;
    res.end('secret');
  });
  await new Promise<void>((ok) => canary.listen(0, '127.0.0.1', ok));
  canaryPort = (canary.address() as { port: number }).port;
  ({ app, repos, close } = await openTestApp({ signedIn: false }));
  await repos.users.saveRole({
    name: 'web-engineers',
    description: '',
    members: [],
    grants: (['READ', 'WRITE', 'EXECUTE'] as const).map((permission) => ({ resourceType: 'application' as const, resource: 'web', permission })),
  });
  await repos.users.create({ name: 'eve', displayName: 'Eve', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
  await repos.users.update('eve', { roles: ['web-engineers'] });
  as = { authorization: `Bearer ${(await createToken(repos, 'eve', 'test', new Date())).secret}` };
});
afterAll(async () => {
  await close();
  await new Promise<void>((ok) => canary.close(() => ok()));
});

async function runWebhook(url: string) {
  const stages = [{ refId: 'hook', type: 'webhook', name: 'Hook', config: { method: 'GET', url } }];
  const saved = await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', headers: as, payload: { name: `probe ${Math.random()}`, stages } });
  expect(saved.statusCode).toBe(201);
  const started = await app.inject({ method: 'POST', url: `/api/pipelines/${saved.json().id}/executions`, headers: as, payload: {} });
  expect(started.statusCode).toBe(201);
  for (let i = 0; i < 200; i += 1) {
    const e = (await app.inject({ url: `/api/executions/${started.json().id}`, headers: as })).json();
    if (e.status === 'TERMINAL' || e.status === 'SUCCEEDED') return e as { status: string; stages: Array<{ error?: string }> };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the webhook stage never finished');
}

describe('webhook stages cannot reach private addresses (narrow-role user)', { timeout: 30_000 }, () => {
  it('refuses the cloud metadata address, loopback by number and by name, and IPv4-mapped loopback', async () => {
    hits = 0;
    for (const [url, ip] of [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      [`http://127.0.0.1:${canaryPort}/`, '127.0.0.1'],
      [`http://[::ffff:127.0.0.1]:${canaryPort}/`, '::ffff:7f00:1'], // the URL parser's spelling of it
      [`http://localhost:${canaryPort}/`, undefined],
    ] as const) {
      const run = await runWebhook(url);
      expect(run.status, url).toBe('TERMINAL');
      expect(run.stages[0]!.error).toMatch(
        new RegExp(
          `^webhook URL ${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} resolves to a private address \\(${ip ? ip.replace(/[.:]/g, '\\$&') : '(127\\.0\\.0\\.1|::1)'}\\); set KILN_OUTBOUND_ALLOW to allow it$`,
        ),
      );
    }
    expect(hits).toBe(0);
  });
});
