import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { allEndpoints } from '../../shared/api/all';
import { triggerWebhook } from '../../shared/api/triggers';
import type { Endpoint } from '../../shared/api/endpoint';
import { openTestApp } from '../test-app';
import { findUnsafeInput, MAX_JSON_DEPTH } from './input-guard';

let app: FastifyInstance;
let close: () => Promise<void>;
const samples: Record<string, string> = {
  application: 'web',
  project: 'shop',
  refId: 'w',
  revision: '1',
  account: 'prod',
  region: 'east',
  cluster: 'web-prod',
  serverGroup: 'web-prod-v002',
  name: 'web',
  role: 'ops',
  channel: 'production',
  version: 'v1',
  tokenId: '00000000-0000-4000-8000-000000000000',
  instanceId: 'i-00000001',
  recipe: 'shop-web',
  bakeId: '00000000-0000-4000-8000-000000000003',
};

const stages = [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 3600 } }];
const RECIPE_YAML = 'name: shop-web\nbuilder: bundle\nbase: { type: scratch }\nprovisioners: []\nrun:\n  entrypoint: app/server.mjs\n';

/** A body each route would accept (or refuse only on business grounds); the junk is put into it. */
const BODIES: Record<string, Record<string, unknown>> = {
  createProject: { name: 'ops', displayName: 'Operations', description: 'Ops', ownerEmail: 'ops@example.com' },
  createApplication: { name: 'search', project: 'shop', description: 'Search', ownerEmail: 's@example.com' },
  updateProject: { description: 'Operations, renamed' },
  updateApplication: { description: 'Search, described' },
  enableServerGroup: {},
  disableServerGroup: {},
  rebootInstance: {},
  terminateInstance: {},
  resizeServerGroup: { capacity: { desired: 1 } },
  rollbackCluster: {},
  setTrafficGuard: { enabled: true },
  translateButaneToIgnition: { butane: 'variant: flatcar\nversion: 1.0.0\n' },
  renderProvisioning: { intent: { hostname: 'web-1' }, format: 'cloud-init' },
  createPipeline: { name: 'Second', description: 'Another', stages },
  savePipeline: { baseRevision: 1, pipeline: { name: 'First', description: 'Saved', stages } },
  validatePipelineEndpoint: { name: 'Check', stages },
  convertSpinnakerPipeline: { pipeline: { name: 'Imported', stages: [{ refId: '1', type: 'wait', waitTime: 5 }] }, accounts: {} },
  restorePipelineRevision: { baseRevision: 1 },
  renamePipeline: { name: 'Renamed' },
  duplicatePipeline: {},
  startExecution: { parameters: { env: 'prod' } },
  pauseExecution: { reason: 'lunch' },
  resumeExecution: {},
  cancelExecution: { reason: 'wrong build' },
  judgeStage: { decision: 'approve', comment: 'fine', input: 'go' },
  restartStage: {},
  skipStage: { reason: 'not needed' },
  ignoreStageFailure: { reason: 'flaky' },
  assignImageChannel: { version: 'v1' },
  revokeImage: { reason: 'vulnerable' },
  restoreImage: { reason: 'the vulnerable module is not built' },
  createRecipe: { yaml: RECIPE_YAML },
  startBake: {},
  saveRecipe: { baseRevision: 1, recipe: { name: 'shop-web', builder: 'bundle', base: { type: 'scratch' }, provisioners: [], run: { entrypoint: 'app/server.mjs' } } },
  setupAdmin: { token: 'a-setup-token-of-some-length', name: 'root', displayName: 'Root', password: 'root-password-long' },
  login: { name: 'ana', password: 'test-admin-password' },
  logout: {},
  createApiToken: { name: 'laptop' },
  createUser: { name: 'zed', displayName: 'Zed', password: 'zed-password-long', roles: ['ops'] },
  updateUser: { displayName: 'Zed Z' },
  saveRole: { description: 'Operators', members: ['ana'], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] },
  triggerWebhook: { parameters: { env: 'prod' } },
  createAccount: { name: 'lab', provider: 'local', environment: 'test', regions: ['local'] },
  updateAccount: { environment: 'staging', regions: ['east'] },
  pushImageVersion: { account: 'lab' },
  createCiServer: { name: 'ci', url: 'https://ci.example.com', username: 'kiln', token: 'tok' },
  updateCiServer: { username: 'deployer' },
};

beforeAll(async () => {
  ({ app, close } = await openTestApp());
  const pipeline = (await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', payload: { name: 'First', stages } })).json();
  samples.pipelineId = pipeline.id;
  samples.executionId = (await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline.id}/executions`, payload: {} })).json().id;
  samples.recipeId = (await app.inject({ method: 'POST', url: '/api/recipes', payload: { yaml: RECIPE_YAML } })).json().id;
}, 60_000);
afterAll(() => close());

const endpoints: Array<[string, Endpoint]> = [...Object.entries(allEndpoints), ['triggerWebhook', triggerWebhook]];
const withBody = endpoints.filter(([, e]) => e.method !== 'GET' && e.method !== 'DELETE');

/** Fills a path template, putting `raw` (already URL-encoded) in place of one parameter. */
function url(e: Endpoint, replace?: { key: string; raw: string }): string {
  return e.path.replace(/::|:([A-Za-z]+)/g, (_, key: string | undefined) => {
    if (key === undefined) return ':';
    return key === replace?.key ? replace.raw : encodeURIComponent(samples[key]!);
  });
}

function paramsOf(e: Endpoint): string[] {
  return [...e.path.matchAll(/::|:([A-Za-z]+)/g)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/** `body` (a JSON object's text) with one more member in front. */
const withMember = (body: string, member: string) => (body === '{}' ? `{${member}}` : `{${member},${body.slice(1)}`);

function stringLeaves(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withLeaf(value: unknown, path: string[], next: (s: string) => string): unknown {
  if (path.length === 0) return next(value as string);
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[head!] = withLeaf(copy[head!], rest, next);
  return copy;
}

const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const send = (e: Endpoint, target: string, payload: string) => app.inject({ method: e.method, url: target, payload, headers: { 'content-type': 'application/json' } });

function expectRefused(res: { statusCode: number; body: string; json: () => { message?: unknown } }, field: string, problem: RegExp) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json()).toMatchObject({ error: 'bad_request', field });
  expect(res.json().message).toMatch(problem);
}

describe('junk input on every route', () => {
  it('has a body for every route that takes one', () => {
    expect(withBody.map(([name]) => name).filter((name) => !BODIES[name])).toEqual([]);
  });

  it.each(withBody)('%s: a NUL or a lone surrogate in any body field is a 400 naming it', async (name, e) => {
    const body = BODIES[name]!;
    for (const leaf of stringLeaves(body)) {
      for (const [junk, problem] of [
        ['\u0000', /null character/],
        ['\ud800', /lone UTF-16 surrogate/],
        ['\udfff', /lone UTF-16 surrogate/],
      ] as const) {
        const payload = JSON.stringify(withLeaf(body, leaf, (s) => `${s}${junk}${s}`));
        expectRefused(await send(e, url(e), payload), leaf.join('.'), problem);
      }
    }
  });

  it.each(withBody)('%s: JSON nested thousands of levels deep, or a key with a NUL, is a 400', async (_name, e) => {
    const body = JSON.stringify(BODIES[_name]!);
    const deepField = withMember(body, `"deep":${nested(5000)}`);
    expectRefused(await send(e, url(e), deepField), `deep.${Array.from({ length: MAX_JSON_DEPTH - 1 }, () => '0').join('.')}`, /nested more than 64 levels deep/);
    expectRefused(await send(e, url(e), nested(100_000)), Array.from({ length: MAX_JSON_DEPTH }, () => '0').join('.'), /nested more than 64/);
    expectRefused(await send(e, url(e), withMember(body, '"a\\u0000b":1')), 'a\\u0000b', /has a name that must not contain a null character/);
  });

  it.each(endpoints)('%s: a NUL in a path or query parameter is a 400 naming it, never a 500', async (_name, e) => {
    const payload = e.method === 'GET' || e.method === 'DELETE' ? {} : { payload: {} };
    for (const key of paramsOf(e)) {
      const res = await app.inject({ method: e.method, url: url(e, { key, raw: `x%00y` }), ...payload });
      expectRefused(res, key, /null character/);
      // Not valid UTF-8 once decoded: refused one way or another, never a 500.
      const surrogate = await app.inject({ method: e.method, url: url(e, { key, raw: `x%ED%A0%80y` }), ...payload });
      expect(surrogate.statusCode, surrogate.body).toBeGreaterThanOrEqual(400);
      expect(surrogate.statusCode, surrogate.body).toBeLessThan(500);
      expect(surrogate.json().message).toBeTruthy();
    }
    expectRefused(await app.inject({ method: e.method, url: `${url(e)}?q=a%00b`, ...payload }), 'q', /null character/);
    const surrogate = await app.inject({ method: e.method, url: `${url(e)}?q=%ED%A0%80`, ...payload });
    expect(surrogate.statusCode, surrogate.body).toBeLessThan(500);
  });
});

describe('junk input on routes outside the endpoint list', () => {
  it("refuses a NUL in the event stream's query, and in a body sent to no route at all", async () => {
    expectRefused(await app.inject({ method: 'GET', url: '/api/events?application=web%00' }), 'application', /null character/);
    expectRefused(await send(withBody[0]![1], '/api/nowhere', '{"a":"\\u0000"}'), 'a', /null character/);
  });
});

describe('findUnsafeInput', () => {
  it('walks a million levels without overflowing its own stack', () => {
    expect(findUnsafeInput(JSON.parse(nested(1_000_000)))?.problem).toBe('is nested more than 64 levels deep');
  });

  it('accepts ordinary text, emoji (surrogate pairs) included, at the depth limit', () => {
    expect(findUnsafeInput({ name: 'Grüße 🚀', list: JSON.parse(nested(MAX_JSON_DEPTH - 1)) })).toBeUndefined();
    expect(findUnsafeInput({ list: JSON.parse(nested(MAX_JSON_DEPTH)) })).toBeDefined();
  });
});
