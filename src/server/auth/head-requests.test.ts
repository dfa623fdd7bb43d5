import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { allEndpoints } from '../../shared/api/all';
import { buildPath } from '../../shared/api/endpoint';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../test-app';
import { hashPassword } from './secrets';
import { createToken } from './sessions';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let admin: Record<string, string>;
let reader: Record<string, string>;
const samples: Record<string, string> = {
  application: 'web',
  project: 'shop',
  refId: 'w',
  account: 'prod',
  region: 'east',
  cluster: 'web-prod',
  serverGroup: 'web-prod-v002',
  name: 'web',
  channel: 'production',
  version: 'v1',
  recipeId: '00000000-0000-4000-8000-000000000001',
  recipe: 'shop-web',
  bakeId: '00000000-0000-4000-8000-000000000003',
  operationId: '00000000-0000-4000-8000-000000000002',
  server: 'ci',
};

beforeAll(async () => {
  let token: string;
  ({ app, repos, close, token } = await openTestApp({ signedIn: false }));
  admin = { authorization: `Bearer ${token}` };
  const pipeline = (await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', headers: admin, payload: { name: 'P', stages: [] } })).json();
  const execution = (await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline.id}/executions`, headers: admin, payload: {} })).json();
  samples.pipelineId = pipeline.id;
  samples.executionId = execution.id;
  samples.revision = '1';
  samples.instanceId = (await repos.serverGroups.listByApplication('web'))[0]!.instances[0]!.id;
  await repos.users.saveRole({ name: 'billing-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'billing', permission: 'READ' }] });
  await repos.users.create({ name: 'hal', displayName: 'Hal', passwordHash: await hashPassword('hal-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.update('hal', { roles: ['billing-readers'] });
  reader = { authorization: `Bearer ${(await createToken(repos, 'hal', 'test', new Date())).secret}` };
}, 60_000);
afterAll(() => close());

const gets = Object.entries(allEndpoints)
  .filter(([, e]) => e.method === 'GET')
  .map(([name, e]) => [name, e.path] as const);

describe('HEAD', () => {
  it.each(gets)('%s answers like GET without a body, for an admin, a narrow reader and a stranger', async (_name, path) => {
    const url = buildPath(path, samples);
    for (const headers of [admin, reader, {}]) {
      const get = await app.inject({ method: 'GET', url, headers });
      const head = await app.inject({ method: 'HEAD', url, headers });
      expect(head.statusCode, JSON.stringify(head.headers)).toBe(get.statusCode);
      expect(head.headers['content-type']).toBe(get.headers['content-type']);
      expect(head.body).toBe('');
    }
  });

  it('answers the event stream and the API description with their headers only', async () => {
    const events = await app.inject({ method: 'HEAD', url: '/api/events', headers: admin });
    expect(events.statusCode).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.body).toBe('');
    expect((await app.inject({ method: 'HEAD', url: '/api/events' })).statusCode).toBe(401);
    const openapi = await app.inject({ method: 'HEAD', url: '/api/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    expect(openapi.body).toBe('');
  });
});
