import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Recipe } from '../../shared/domain/recipe';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp({ seed: false })), 60_000);
afterAll(() => close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

const YAML = `
name: shop-web
builder: bundle
base: { type: scratch }
provisioners:
  - type: file
    source: /srv/builds/shop/config.json
    destination: /etc/shop/config.json
  - type: packages
run:
  entrypoint: app/server.mjs
`;

describe('recipes', () => {
  it('creates from YAML, saves revisions, and answers 409 to a stale save', async () => {
    const created = await call('POST', '/api/recipes', { yaml: YAML });
    expect(created.statusCode).toBe(201);
    const recipe = Recipe.parse(created.json());
    expect(recipe).toMatchObject({ name: 'shop-web', revision: 1, run: { entrypoint: 'app/server.mjs', healthPath: '/health' } });
    expect(recipe.run?.resources).toBeUndefined();
    const limited = await call('POST', '/api/recipes', { yaml: `${YAML.replace('shop-web', 'shop-api')}  resources: { cpu: 0.5, memoryMiB: 256 }\n` });
    expect(limited.json()).toMatchObject({ run: { resources: { cpu: 0.5, memoryMiB: 256 } } });
    expect(recipe.provisioners[1]).toEqual({ type: 'packages', packages: ['iotop', 'mtr-tiny', 'sysstat'] });

    const saved = await call('PUT', `/api/recipes/${recipe.id}`, { baseRevision: 1, recipe: { ...recipe, description: 'v2' } });
    expect(saved.json()).toMatchObject({ revision: 2, description: 'v2' });
    const stale = await call('PUT', `/api/recipes/${recipe.id}`, { baseRevision: 1, recipe: { ...recipe, description: 'lost' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'baseRevision', details: { current: { revision: 2 } } });
    expect((await call('GET', `/api/recipes/${recipe.id}/revisions`)).json().map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect((await call('POST', '/api/recipes', { yaml: YAML })).json()).toMatchObject({ error: 'conflict', field: 'name' });
  });

  it('rejects bad input with 400 naming the field', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ name: 'x', provisioners: [{ type: 'file', source: '/tmp/a', destination: '../../etc/passwd' }] }, 'provisioners.0.destination', /must not contain '\.\.'/],
      [{ name: 'x', artifact: { source: '/srv/app', destination: 'opt/../../etc' } }, 'artifact.destination', /'\.\.'/],
      [{ name: 'x', provisioners: [{ type: 'file', source: 'relative/file', destination: '/etc/x' }] }, 'provisioners.0.source', /absolute/],
      [{ name: 'x', base: { type: 'image', image: 'base' } }, 'base.image', /name:vN/],
      [{ name: 'x', builder: 'vagrant' }, 'builder', /./],
      [{ name: 'Bad Name' }, 'name', /lowercase/],
      [{ yaml: 'name: [unclosed' }, 'yaml', /YAML line 1/],
      [{ yaml: '- just\n- a list' }, 'recipe', /must be an object/],
      [{ name: 'x', provisioning: { hostname: 'Not_A_Host' } }, 'provisioning.hostname', /hostname/],
      [{ name: 'x', run: { entrypoint: 'a.mjs', resources: { cpu: 'lots' } } }, 'run.resources.cpu', /number of cores/],
      [{ name: 'x', run: { entrypoint: 'a.mjs', resources: { cpu: -1 } } }, 'run.resources.cpu', /more than 0/],
      [{ yaml: 'name: x\nrun: { entrypoint: a.mjs, resources: { cpu: 0.0001 } }' }, 'run.resources.cpu', /thousandths/],
      [{ name: 'x', run: { entrypoint: 'a.mjs', resources: { memoryMiB: 0.5 } } }, 'run.resources.memoryMiB', /whole number/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', '/api/recipes', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request', field });
      expect(res.json().message).toMatch(message);
    }
    const malformed = await app.inject({ method: 'POST', url: '/api/recipes', payload: '{"name": "x",', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect((await call('POST', '/api/recipes', { name: 'x', provisoners: [] })).json()).toMatchObject({ field: 'recipe', message: expect.stringMatching(/provisoners/) });
    expect((await call('POST', '/api/recipes', { name: 'x', provisioning: { units: [{ name: 'a.service', wat: 1 }] } })).json()).toMatchObject({ field: 'provisioning.units.0' });
    expect((await call('GET', '/api/recipes/not-a-uuid')).json()).toMatchObject({ field: 'recipeId' });
    expect((await call('GET', '/api/recipes/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
